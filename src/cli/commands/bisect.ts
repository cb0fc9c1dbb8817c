import { parseArgs } from 'node:util';
import { listCandidates } from '../../bisect/candidates.js';
import { planDryRun } from '../../bisect/dry-run.js';
import { killAllRuns } from '../../bisect/oracle.js';
import { PERFECT, priorsFromRisk, type OracleModel } from '../../bisect/posterior.js';
import { culpritReasons, renderDryRun, renderJson, renderPriors, renderText, toBisectRun } from '../../bisect/render.js';
import { runBisect } from '../../bisect/run.js';
import type { WorktreePool } from '../../bisect/worktree.js';
import { ReldiffError } from '../../errors.js';
import { parseDuration, parseRate } from '../../probe/units.js';
import { reporters } from '../../report/index.js';
import type { Report } from '../../report/model.js';
import { analyzeRepository } from '../analysis.js';
import { runDeps } from './bisect-deps.js';
import type { Command, Io } from '../io.js';
import { writeReport } from '../output.js';

// reldiff bisect [from] [to] --run <cmd>: read the ranking, then let the test command find the first bad commit.

const OPTIONS = {
  run: { type: 'string' }, repo: { type: 'string' }, format: { type: 'string' }, output: { type: 'string' }, timeout: { type: 'string' },
  jobs: { type: 'string' }, confidence: { type: 'string' }, flaky: { type: 'boolean' },
  'false-negative': { type: 'string' }, 'false-positive': { type: 'string' }, 'dry-run': { type: 'boolean' },
  'export-priors': { type: 'boolean' }, 'all-commits': { type: 'boolean' }, 'no-prior': { type: 'boolean' },
  quiet: { type: 'boolean' }, 'no-color': { type: 'boolean' }, debug: { type: 'boolean' }, offline: { type: 'boolean' },
  config: { type: 'string' }, evidence: { type: 'string' }, deps: { type: 'boolean' }, lockfile: { type: 'string' }, resume: { type: 'string' }, 'no-project': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const bisectHelp = `Usage: reldiff bisect [from] [to] --run <cmd> [options]

Find the first bad commit in from..to. Each test splits the probability of being the culprit in two, with each
commit's prior from reldiff's ranking, so risky commits are pinned down in fewer runs than a plain bisect.
The command runs with sh -c in a temporary worktree: exit 0 good, 125 skip, any other 1-127 bad, 128+ aborts.

  --run <cmd>              the test command (required unless --dry-run or --export-priors)
  --flaky                  the command may lie (10% either way); re-test until --confidence
  --false-negative <r>     probability that a bad commit tests good (implies a noisy oracle)
  --false-positive <r>     probability that a good commit tests bad
  --confidence <p>         stop when the likeliest first bad commit reaches p (default 0.95)
  --jobs <k>               test k commits at once in k worktrees
  --timeout <duration>     per run (e.g. 10m); a run that times out counts as untestable
  --all-commits            every commit, not only the first-parent chain
  --no-prior               uniform priors (plain bisect order)
  --dry-run                print the plan and expected runs, run nothing
  --export-priors          print git bayesect prior lines
  --deps                   bisect the dependency set instead: keep from's source and pins, apply subsets of the
                           upgrades to to's pins and name the culprit package (package-lock.json, yarn.lock (1 and 2+),
                           pnpm-lock.yaml; requirements .txt, poetry.lock, uv.lock, Pipfile.lock, pdm.lock)
  --lockfile <path>        with --deps: the lockfile to bisect (needed when more than one changed)
  --no-project             with --deps on a Python lock: do not install the project's own package (pyproject.toml
                           with a [build-system], uv workspace members) into each trial's venv after the pins
  --resume <file>          with --deps: reuse the trials of an earlier --format json --output <file> (written after
                           every trial, so an interrupted run leaves one)
  --format terminal|json|html   result format (default terminal); html is the full report with the bisect run
                           (--deps: terminal, json, markdown or html)
  --output <file>          write the result to a file instead of stdout
  --repo <dir>             repository (default: current folder)
  --config <file>          config file (default: reldiff.config.json at the repository root)
  --evidence <file>        memory tool output (tracemalloc, objgraph, pympler, memlab) that raises the priors it points at
  --offline                rank from the lockfiles and the cache only, never a registry
`;

function modelOf(values: { flaky?: boolean; 'false-negative'?: string; 'false-positive'?: string }): OracleModel {
  const fn = values['false-negative'];
  const fp = values['false-positive'];
  if (fn === undefined && fp === undefined) return values.flaky ? { falseNegative: 0.1, falsePositive: 0.1 } : PERFECT;
  return { falseNegative: fn === undefined ? 0.1 : parseRate(fn, '--false-negative'), falsePositive: fp === undefined ? 0.1 : parseRate(fp, '--false-positive') };
}

function parsePositive(text: string | undefined, option: string, fallback: number, isInteger: boolean): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (isInteger && !Number.isInteger(value)) || (!isInteger && value >= 1)) {
    throw new ReldiffError('bad-option', `${option} '${text.slice(0, 40)}' is out of range`, isInteger ? 'Give a whole number of 1 or more' : 'Give a probability between 0 and 1, for example 0.95');
  }
  return value;
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ReldiffError('bad-option', error instanceof Error ? error.message : String(error), 'Run reldiff bisect --help');
  }
}

export const run: Command = async (argv, io) => {
  const { values, positionals } = parse(argv);
  if (values.help) { io.stdout(bisectHelp); return 0; }
  if (positionals.length > 2) throw new ReldiffError('bad-option', 'too many refs', 'Usage: reldiff bisect [from] [to] --run <cmd>');
  const format = values.format ?? 'terminal';
  const isDepsFormat = values.deps === true && format === 'markdown';
  if (format !== 'terminal' && format !== 'json' && format !== 'html' && !isDepsFormat) throw new ReldiffError('bad-option', `--format ${format} is not supported by bisect`, 'Use terminal, json or html');
  const isPlanOnly = values['dry-run'] === true || values['export-priors'] === true;
  if (!isPlanOnly && !values.run) throw new ReldiffError('missing-argument', '--run <cmd> is missing', 'Give the test command, e.g. --run \'npm test\'');
  const model = modelOf(values);
  const confidence = parsePositive(values.confidence, '--confidence', 0.95, false);
  const jobs = parsePositive(values.jobs, '--jobs', 1, true);
  const timeoutMs = values.timeout === undefined ? undefined : parseDuration(values.timeout, '--timeout');

  const [from, to] = positionals;
  // The same ranking as `reldiff A B` (config, registry facts without the deep scan, evidence) gives the priors.
  const { report, root } = await analyzeRepository({ ...values, deep: '0' },
    { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }, io);
  if (values.deps) {
    return runDeps(report, root, { ...(values.lockfile !== undefined ? { lockfile: values.lockfile } : {}), ...(values.run !== undefined ? { run: values.run } : {}),
      format, ...(values.output !== undefined ? { output: values.output } : {}), dryRun: values['dry-run'] === true, jobs,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}), ...(values.quiet !== undefined ? { quiet: values.quiet } : {}),
      ...(values.resume !== undefined ? { resume: values.resume } : {}), ...(values['no-project'] === true ? { noProject: true } : {}) }, io, withCleanup);
  }
  const isAllCommits = values['all-commits'] === true;
  const candidates = await listCandidates(root, report.from.commit, report.to.commit, isAllCommits);
  if (candidates.length === 0) throw new ReldiffError('bisect', 'there are no commits between the two refs', 'Check the order: reldiff bisect <good> <bad>');
  const risk = new Map(values['no-prior'] ? [] : report.commits.map(c => [c.sha, c.risk] as const));
  const shas = candidates.map(c => c.sha);
  const prior = priorsFromRisk(shas.map(s => risk.get(s) ?? 0));
  if (values['export-priors']) { io.stdout(renderPriors(shas, prior)); return 0; }
  if (values['dry-run']) {
    io.stdout(renderDryRun(await planDryRun(shas, prior), new Map(report.commits.map(c => [c.sha, c.subject]))));
    return 0;
  }

  const progress = (line: string): void => { if (io.isStderrTTY && !values.quiet) io.stderr(`reldiff bisect: ${line}\n`); };
  const outcome = await withCleanup(io, pool => runBisect({
    root, candidates, good: { ref: report.from.ref, sha: report.from.commit }, risk, command: values.run ?? '', timeoutMs, jobs, model, confidence, slack: 2, isAllCommits,
    env: io.env, onProgress: progress, onPool: pool,
  }));
  // git bisect's own rule: with only skipped commits there is no answer, just a guess from the priors.
  if (outcome.tested.length > 0 && outcome.tested.every(t => t.result === 'skip')) {
    throw new ReldiffError('bisect', `all ${outcome.tested.length} tested commits were skipped (exit 125 or --timeout), so the first bad commit cannot be told`,
      'Run the --run command by hand in one commit to see why, or raise --timeout');
  }
  const reasons = culpritReasons(report, outcome.firstBad);
  const subject = report.commits.find(c => c.sha === outcome.firstBad)?.subject ?? '';
  const text = format === 'json' ? renderJson(outcome, reasons)
    : format === 'html' ? reporters.html.render({ ...report, bisectRun: toBisectRun(outcome) }, { color: false, top: 10 })
      : renderText(outcome, reasons, subject);
  await writeReport(text, values.output, io);
  return 0;
};

/** Ctrl-C, SIGTERM and SIGHUP (a closed terminal) end the test commands and remove the worktrees before the process exits. */
async function withCleanup<T>(io: Io, body: (onPool: (pool: WorktreePool) => void) => Promise<T>): Promise<T> {
  const pools: WorktreePool[] = [];
  const onSignal = (signal: NodeJS.Signals): void => {
    killAllRuns();
    for (const pool of pools) pool.disposeSync();
    io.stderr(`reldiff bisect: interrupted by ${signal}; worktrees removed, your checkout is unchanged\n`);
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  try {
    return await body(pool => pools.push(pool));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    killAllRuns();
  }
}
