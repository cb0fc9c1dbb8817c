import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ReldiffError } from '../errors.js';
import { ACK_FILE, parseAckFile, serializeAckFile, type AckFile } from './model.js';

/** Reads `.reldiff/acknowledged.json` under the repository root; an absent file is an empty store. */
export async function readAckFile(repoRoot: string): Promise<AckFile> {
  const path = join(repoRoot, ACK_FILE);
  try {
    return parseAckFile(await readFile(path, 'utf8'), ACK_FILE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, acknowledged: [] };
    if (error instanceof ReldiffError) throw error;
    throw new ReldiffError('io', `cannot read ${ACK_FILE} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, 'Check its permissions');
  }
}

/** Writes through a temporary file so that an interrupted run never leaves half a store. */
export async function writeAckFile(repoRoot: string, file: AckFile): Promise<string> {
  const path = join(repoRoot, ACK_FILE);
  try {
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, serializeAckFile(file));
    await rename(temporary, path);
    return path;
  } catch (error) {
    throw new ReldiffError('io', `cannot write ${ACK_FILE} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`,
      'Check that the repository folder is writable');
  }
}
