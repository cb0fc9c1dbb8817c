import { resolve } from 'node:path';
import { analyzeRefs } from '../../analyze.js';
import { ReldiffError } from '../../errors.js';
import { findRepositoryRoot, GitRepoReader } from '../../git/reader.js';
import { enrichFromFlags } from '../../registry/cli-options.js';
import { reporters } from '../../report/index.js';
import type { Report } from '../../report/model.js';
import { isLevelReached } from '../../risk/gate.js';
import { commonOptions, helpText, isColorWanted, parseCommandLine, parseFailOn, parseFormat, parseTop } from '../args.js';
import type { Command, Io } from '../io.js';
import { writeReport } from '../output.js';

/** `reldiff [from] [to]`: read the repository, rank, render, and decide the exit code. */
export const run: Command = async (argv, io) => {
  const { values, positionals } = parseCommandLine(argv, commonOptions);
  if (values.help) {
    io.stdout(helpText);
    return 0;
  }
  if (positionals.length > 2) {
    throw new ReldiffError('bad-option', `too many refs: ${positionals.join(' ')}`, 'Give at most two: reldiff [from] [to]');
  }
  const format = parseFormat(values.format);
  const failOn = parseFailOn(values['fail-on']);
  const top = parseTop(values.top);
  const root = await findRepositoryRoot(resolve(io.cwd, values.repo ?? '.'));
  const reader = new GitRepoReader(root);
  try {
    const [from, to] = positionals.length === 1 ? [positionals[0], undefined] : positionals;
    const { report } = await analyzeRefs(reader, {
      ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}),
      enrich: enrichFromFlags(values, io, root),
    });
    return await finish(report, { format, failOn, top, values }, io);
  } finally {
    reader.close();
  }
};

export interface FinishOptions {
  format: ReturnType<typeof parseFormat>;
  failOn: ReturnType<typeof parseFailOn>;
  top: number;
  values: { output?: string; quiet?: boolean; 'no-color'?: boolean; color?: boolean; 'warn-only'?: boolean };
}

/** Shared by `reldiff A B` and `reldiff deps`: render, write, print warnings, and the --fail-on gate. */
export async function finish(report: Report, o: FinishOptions, io: Io): Promise<number> {
  const reporter = reporters[o.format];
  const toFile = o.values.output !== undefined && o.values.output !== '-';
  const color = o.format === 'terminal' && isColorWanted(o.values, io.env, toFile ? false : io.isStdoutTTY);
  const width = Number(io.env['COLUMNS']) || 100;
  await writeReport(reporter.render(report, { color, top: o.top, width }), o.values.output, io);
  if (!o.values.quiet && o.format !== 'terminal' && io.isStderrTTY) {
    for (const w of report.warnings) io.stderr(`reldiff: warning: ${w}\n`);
  }
  if (o.failOn && o.failOn !== 'none' && !o.values['warn-only'] && isLevelReached(report, o.failOn)) return 1;
  return 0;
}
