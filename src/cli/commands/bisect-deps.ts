import { existsSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { npmInstaller } from '../../bisect/deps-npm.js';
import { planUnits, simulateRuns, type DepsPlan } from '../../bisect/deps-plan.js';
import { lockEdges } from '../../bisect/edges-lock.js';
import { renderDepsHtml } from '../../bisect/deps-html.js';
import { pipInstaller } from '../../bisect/deps-pip.js';
import { pnpmInstaller } from '../../bisect/deps-pnpm.js';
import { yarnInstaller } from '../../bisect/deps-yarn.js';
import { yarnBerryInstaller } from '../../bisect/deps-yarn-berry.js';
import { hasLockPins, lockPinSource } from '../../bisect/deps-lock-pins.js';
import { renderDepsCheckpoint, renderDepsDryRun, renderDepsDryRunJson, renderDepsJson, renderDepsMarkdown, renderDepsText } from '../../bisect/deps-render.js';
import { runDepsBisect, type DepsTrial, type Installer } from '../../bisect/deps-run.js';
import type { WorktreePool } from '../../bisect/worktree.js';
import { ReldiffError } from '../../errors.js';
import { GitRepoReader } from '../../git/reader.js';
import { detectFormat } from '../../lockfiles/index.js';
import { stripBom } from '../../lockfiles/util.js';
import { isBerry } from '../../lockfiles/yarn-detect.js';
import type { Report } from '../../report/model.js';
import { cleanLine } from '../../util/control-chars.js';
import type { Io } from '../io.js';
import { writeReport } from '../output.js';

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ReldiffError('file-not-found', `cannot read the --resume file ${cleanLine(path).slice(0, 160)} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      'Give the JSON that an earlier reldiff bisect --deps --format json --output <file> wrote');
  }
}

// reldiff bisect A B --deps: the source of A, A's dependency set, and a subset of the upgrades to B's set per trial.

export interface DepsFlags {
  lockfile?: string; run?: string; format: string; output?: string; dryRun: boolean; jobs: number; timeoutMs?: number; quiet?: boolean;
  resume?: string;
  /** --no-project: a Python trial installs the pins alone, not the project's own package. */
  noProject?: boolean;
}

/** The trials of a JSON result or checkpoint written by an earlier run, checked field by field. */
export function readResumeTrials(text: string, path: string): DepsTrial[] {
  const bad = (what: string): ReldiffError => new ReldiffError('bad-option', `--resume ${cleanLine(path).slice(0, 120)}: ${what}`,
    'Give the JSON that reldiff bisect --deps --format json --output <file> wrote');
  let doc: unknown;
  try { doc = JSON.parse(text); } catch { throw bad('not JSON'); }
  const trials = (doc as { trials?: unknown } | null)?.trials;
  if (!Array.isArray(trials)) throw bad('no "trials" list');
  return trials.map((t: unknown, i): DepsTrial => {
    const v = t as Partial<DepsTrial> | null;
    if (!v || typeof v.units !== 'number' || !Array.isArray(v.set) || !v.set.every(x => typeof x === 'string')
      || (v.verdict !== 'good' && v.verdict !== 'bad' && v.verdict !== 'skip')) throw bad(`trial ${i + 1} is not a { units, set, verdict } record`);
    return { step: i + 1, units: v.units, set: v.set, verdict: v.verdict, ...(typeof v.reason === 'string' ? { reason: v.reason } : {}) };
  });
}

/** The lockfile to bisect: --lockfile, else the only one with upgrades. */
export function pickLockfile(report: Report, wanted: string | undefined): string {
  const changed = [...new Set(report.dependencies.filter(d => d.from !== null && d.to !== null && d.from !== d.to).map(d => d.lockfile))].sort();
  if (wanted !== undefined) {
    const known = [...new Set(report.dependencies.map(d => d.lockfile))];
    if (!known.includes(wanted)) {
      throw new ReldiffError('bad-option', `--lockfile ${cleanLine(wanted).slice(0, 120)} has no dependency change between the refs`,
        changed.length ? `Pick one of: ${changed.map(cleanLine).join(', ')}` : 'No lockfile changed between the two refs');
    }
    return wanted;
  }
  const [only] = changed;
  if (only === undefined) throw new ReldiffError('bisect', 'no package was upgraded between the two refs', 'reldiff bisect without --deps bisects the commits instead');
  if (changed.length > 1) throw new ReldiffError('bad-option', `${changed.length} lockfiles have upgrades, so --deps needs one`, `Add --lockfile with one of: ${changed.map(cleanLine).join(', ')}`);
  return only;
}

export async function planDeps(report: Report, root: string, lockfile: string): Promise<DepsPlan> {
  // The groups come from the to lock's own edges (A's new version asks for a B its old version is not).
  const reader = new GitRepoReader(root);
  let toText: string | undefined;
  try { toText = await reader.readFile(report.to.commit, lockfile); } finally { reader.close(); }
  const { requires, rules } = lockEdges(detectFormat(lockfile, toText ?? '')?.id, toText);
  const units = planUnits(report, lockfile, requires, rules);
  return { ...units, runs: await simulateRuns(units.units.map(u => u.prior)) };
}

/** A file at the `to` ref, for installers that splice `to`'s lockfile entries into `from`'s. */
function readAtTo(report: Report, root: string): (path: string) => Promise<string | undefined> {
  return async path => {
    const reader = new GitRepoReader(root);
    try { return await reader.readFile(report.to.commit, path); } finally { reader.close(); }
  };
}

async function installerFor(plan: DepsPlan, root: string, env: Record<string, string | undefined>, atTo: (path: string) => Promise<string | undefined>, noProject: boolean,
  warn: (line: string) => void): Promise<Installer> {
  const pip = { installProject: !noProject, warn };
  if (plan.ecosystem === 'npm' && /(?:^|\/)(?:package-lock|npm-shrinkwrap)\.json$/.test(plan.lockfile)) return npmInstaller(plan.lockfile, env, () => atTo(plan.lockfile));
  if (plan.ecosystem === 'npm' && /(?:^|\/)yarn\.lock$/.test(plan.lockfile)) {
    // Both yarn generations write yarn.lock; the content tells which installs it. A berry lock goes to its own splice
    // and `yarn install --immutable`; whether the project uses PnP or node_modules does not matter (deps-yarn-berry.ts).
    if (isBerry(stripBom((await atTo(plan.lockfile)) ?? ''))) {
      // yarn --version is asked where the user's checkout has the lockfile's folder (corepack reads packageManager there).
      const dir = join(root, dirname(plan.lockfile));
      return yarnBerryInstaller(plan.lockfile, env, atTo, existsSync(dir) ? dir : root);
    }
    return yarnInstaller(plan.lockfile, env, atTo);
  }
  if (plan.ecosystem === 'npm' && /(?:^|\/)pnpm-lock\.yaml$/.test(plan.lockfile)) return pnpmInstaller(plan.lockfile, env, atTo);
  if (plan.ecosystem === 'pypi' && /\.txt$/.test(plan.lockfile)) return pipInstaller(plan.lockfile, env, undefined, pip);
  // The other Python locks become pins of what their tool's plain install puts in (each parser says what that is).
  const format = detectFormat(plan.lockfile, '')?.id;
  if (plan.ecosystem === 'pypi' && format !== undefined && hasLockPins(format)) {
    return pipInstaller(plan.lockfile, env, lockPinSource(format, plan.lockfile, () => atTo(plan.lockfile)), pip);
  }
  throw new ReldiffError('bisect', `bisect --deps cannot install ${cleanLine(plan.lockfile)} yet (npm package-lock.json, yarn.lock (yarn 1 and yarn 2+), pnpm-lock.yaml, Python requirements/constraints .txt pins, poetry.lock, uv.lock, Pipfile.lock and pdm.lock are supported)`,
    'Use --dry-run for the plan, or bisect the commits without --deps');
}

export async function runDeps(report: Report, root: string, flags: DepsFlags, io: Io,
  withCleanup: <T>(io: Io, body: (onPool: (pool: WorktreePool) => void) => Promise<T>) => Promise<T>): Promise<number> {
  if (flags.format === 'html' && flags.dryRun) throw new ReldiffError('bad-option', '--format html shows a finished run; --dry-run prints terminal or json', 'Drop --format html, or use --format json');
  const lockfile = pickLockfile(report, flags.lockfile);
  const plan = await planDeps(report, root, lockfile);
  if (flags.dryRun) {
    await writeReport(flags.format === 'json' ? renderDepsDryRunJson(plan) : renderDepsDryRun(plan), flags.output, io);
    return 0;
  }
  const previous = flags.resume === undefined ? [] : readResumeTrials(await readText(resolve(io.cwd, flags.resume)), flags.resume);
  const output = flags.output === undefined ? undefined : resolve(io.cwd, flags.output);
  // With --format json --output, the file holds the trials so far after each one: Ctrl-C leaves a checkpoint to --resume.
  const onTrial = flags.format === 'json' && output !== undefined
    ? (trials: readonly DepsTrial[]): void => writeFileSync(output, renderDepsCheckpoint(trials, plan)) : undefined;
  const progress = (line: string): void => { if (io.isStderrTTY && !flags.quiet) io.stderr(`reldiff bisect: ${cleanLine(line)}\n`); };
  const installer = await installerFor(plan, root, io.env, readAtTo(report, root), flags.noProject === true, line => progress(`warning: ${line}`));
  const outcome = await withCleanup(io, onPool => runDepsBisect({
    root, fromSha: report.from.commit, plan, installer, command: flags.run ?? '', jobs: flags.jobs,
    ...(flags.timeoutMs !== undefined ? { timeoutMs: flags.timeoutMs } : {}), env: io.env, onProgress: progress, onPool,
    previous, ...(onTrial ? { onTrial } : {}),
  }));
  if (outcome.trials.length > 0 && outcome.trials.every(t => t.verdict === 'skip')) {
    const reason = outcome.trials[0]?.reason;
    throw new ReldiffError('bisect', `all ${outcome.trials.length} trials were skipped${reason ? ` (first: ${cleanLine(reason).slice(0, 240)})` : ''}, so no upgrade can be named`,
      'Run the install and the --run command by hand on the from ref to see why');
  }
  const text = flags.format === 'json' ? renderDepsJson(outcome, plan) : flags.format === 'html' ? renderDepsHtml(outcome, plan) : flags.format === 'markdown' ? renderDepsMarkdown(outcome, plan) : renderDepsText(outcome, plan);
  await writeReport(text, flags.output, io);
  return 0;
}
