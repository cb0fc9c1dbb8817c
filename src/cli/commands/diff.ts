import { isFailOnReached, itemsAtOrAbove } from '../../config/gate.js';
import { clean } from '../../report/terminal.js';
import { ReldiffError } from '../../errors.js';
import { reporters } from '../../report/index.js';
import type { Report } from '../../report/model.js';
import type { Level } from '../../types.js';
import { analyzeRepository } from '../analysis.js';
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
  const failOnFlag = parseFailOn(values['fail-on']);
  const top = parseTop(values.top);
  const [from, to] = positionals;
  const { report, config } = await analyzeRepository(values, { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }, io);
  // Precedence: command line, then the config file, then no gate.
  return finish(report, { format, failOn: failOnFlag ?? config?.failOn, top, values }, io);
};

export interface FinishOptions {
  format: ReturnType<typeof parseFormat>;
  failOn: Level | 'none' | undefined;
  top: number;
  values: { output?: string; all?: boolean; quiet?: boolean; 'no-color'?: boolean; color?: boolean; 'warn-only'?: boolean };
}

/** Shared by `reldiff A B` and `reldiff deps`: render, write, print warnings, and the --fail-on gate. */
export async function finish(report: Report, o: FinishOptions, io: Io): Promise<number> {
  const reporter = reporters[o.format];
  const toFile = o.values.output !== undefined && o.values.output !== '-';
  const color = o.format === 'terminal' && isColorWanted(o.values, io.env, toFile ? false : io.isStdoutTTY);
  const width = Number(io.env['COLUMNS']) || 100;
  await writeReport(reporter.render(report, { color, top: o.top, width, all: o.values.all === true }), o.values.output, io);
  if (!o.values.quiet && (o.format !== 'terminal' || toFile) && io.isStderrTTY) {
    for (const w of report.warnings) io.stderr(`reldiff: warning: ${clean(w)}\n`);
  }
  if (o.failOn && o.failOn !== 'none' && !o.values['warn-only'] && isFailOnReached(report, o.failOn)) {
    // The one line a CI log needs to say why the job failed, whatever the report's format or destination.
    const hits = itemsAtOrAbove(report, o.failOn);
    if (!o.values.quiet) {
      io.stderr(`reldiff: ${hits.length} change${hits.length === 1 ? '' : 's'} at --fail-on ${o.failOn} or above, first: ${clean(hits[0]?.title ?? '')} (${hits[0]?.level ?? ''}). Review it, or record it with reldiff ack ${clean(hits[0]?.id ?? '')} --reason "..."\n`);
    }
    return 1;
  }
  return 0;
}
