import { parseArgs } from 'node:util';
import { ReldiffError } from '../../errors.js';
import { renderChart } from '../../probe/chart.js';
import { isProcAvailable } from '../../probe/proc.js';
import { sampleWorkload } from '../../probe/sample.js';
import { parseDuration, parseThreshold } from '../../probe/units.js';
import { decide } from '../../probe/verdict.js';
import { htmlReporter } from '../../report/html.js';
import type { Report, ReportProbe } from '../../report/model.js';
import { VERSION } from '../../version.js';
import type { Command } from '../io.js';
import { writeReport } from '../output.js';

// reldiff probe -- <cmd>: a leak check as an exit code (1 leak, 0 flat, 125 inconclusive), usable as
// `reldiff bisect --run 'reldiff probe -- ./load.sh'`.

export const probeHelp = `Usage: reldiff probe [options] -- <cmd> [args...]

Runs the workload, samples the resident memory of its whole process tree after a warm-up, fits a
Theil-Sen trend and exits 1 (leak), 0 (flat) or 125 (inconclusive: too short, too noisy, crashed).

  --duration <d>      sampling time after the warm-up (default 60s)
  --warmup <d>        time before the first sample (default 5s)
  --interval <d>      time between samples (default 500ms)
  --threshold <t>     growth that counts as a leak: MB per minute (1MB/min) or percent (5%) (default 1MB/min)
  --format terminal|json|html   html: the memory curve with its trend as a self-contained page
  --output <file>     write the result to a file instead of stdout
`;

const OPTIONS = {
  duration: { type: 'string' }, warmup: { type: 'string' }, interval: { type: 'string' }, threshold: { type: 'string' },
  format: { type: 'string' }, output: { type: 'string' }, quiet: { type: 'boolean' }, 'no-color': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

const EXIT = { leak: 1, flat: 0, inconclusive: 125 } as const;

export const run: Command = async (argv, io) => {
  const split = argv.indexOf('--');
  const own = split < 0 ? argv : argv.slice(0, split);
  const command = split < 0 ? [] : argv.slice(split + 1);
  let values;
  try {
    ({ values } = parseArgs({ args: own, options: OPTIONS, allowPositionals: false, strict: true }));
  } catch (error) {
    throw new ReldiffError('bad-option', error instanceof Error ? error.message : String(error), 'Put the workload after --: reldiff probe -- ./load-test.sh');
  }
  if (values.help) { io.stdout(probeHelp); return 0; }
  if (command.length === 0) throw new ReldiffError('missing-argument', 'the workload command is missing', 'Put it after --: reldiff probe --duration 60s -- ./load-test.sh');
  const format = values.format ?? 'terminal';
  if (format !== 'terminal' && format !== 'json' && format !== 'html') throw new ReldiffError('bad-option', `--format ${format} is not supported by probe`, 'Use terminal, json or html');
  if (!isProcAvailable()) throw new ReldiffError('probe', '/proc is not available, so memory cannot be sampled', 'reldiff probe needs Linux');
  const durationMs = parseDuration(values.duration ?? '60s', '--duration');
  const warmupMs = parseDuration(values.warmup ?? '5s', '--warmup');
  const intervalMs = parseDuration(values.interval ?? '500ms', '--interval');
  if (intervalMs <= 0 || durationMs <= 0) throw new ReldiffError('bad-option', '--duration and --interval must be above zero', 'For example --duration 60s --interval 500ms');
  const threshold = parseThreshold(values.threshold ?? '1MB/min');

  const probe = sampleWorkload(command, { durationMs, warmupMs, intervalMs, env: io.env, cwd: io.cwd });
  const onSignal = (): void => { probe.stop(); process.exitCode = 125; };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let result;
  try {
    result = await probe.done;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const endedEarly = result.exit !== undefined;
  const decision = decide({ samples: result.samples, threshold, exit: endedEarly ? result.exit : undefined });
  const probeReport: ReportProbe = {
    verdict: decision.verdict, intervalMs, warmupMs, samples: result.samples,
    slopeMbPerMin: round(decision.trend.slope) ?? 0, interceptMb: round(decision.trend.intercept) ?? 0,
  };
  if (!values.quiet) io.stderr(renderChart(result.samples));
  const summary = `reldiff probe: ${decision.verdict}: ${decision.reason}\n`;
  if (format === 'json') {
    await writeReport(`${JSON.stringify({ ...probeReport, reason: decision.reason, slopeLowMbPerMin: round(decision.trend.low),
      slopeHighMbPerMin: round(decision.trend.high), thresholdMbPerMin: round(decision.thresholdMbPerMin) }, null, 2)}\n`, values.output, io);
    if (!values.quiet) io.stderr(summary);
  } else if (format === 'html') {
    const page = htmlReporter.render(probeOnlyReport(probeReport, command.join(' ')), { color: false, top: 10 });
    await writeReport(page, values.output, io);
    if (!values.quiet) io.stderr(summary);
  } else {
    await writeReport(summary.replace(/^reldiff probe: /, ''), values.output, io);
  }
  return EXIT[decision.verdict];
};

/** A report that holds only the probe, so that the HTML page can draw the curve on its own. */
function probeOnlyReport(probe: ReportProbe, command: string): Report {
  return { schemaVersion: 1, tool: { name: 'reldiff', version: VERSION }, from: { ref: `probe: ${command}`, commit: '' },
    to: { ref: probe.verdict, commit: '' }, commits: [], dependencies: [], findings: [], ranking: [],
    bisect: { testFirst: [], commands: [] }, warnings: [], probe };
}

function round(value: number): number | null {
  return Number.isFinite(value) ? Math.round(value * 1000) / 1000 : null;
}
