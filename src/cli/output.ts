import { writeFile } from 'node:fs/promises';
import { ReldiffError } from '../errors.js';
import { guardOutput } from '../util/control-chars.js';
import type { Io } from './io.js';

/** Writes the report to --output or stdout. */
export async function writeReport(text: string, output: string | undefined, io: Io): Promise<void> {
  if (output === undefined || output === '-') {
    io.stdout(text);
    return;
  }
  try {
    // The same last-line guard as stdout: a report file is often `cat`ed.
    await writeFile(output, guardOutput(io.redactor ? io.redactor.apply(text) : text));
  } catch (error) {
    throw new ReldiffError('io', `cannot write ${output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      'Check that the folder exists and is writable');
  }
}
