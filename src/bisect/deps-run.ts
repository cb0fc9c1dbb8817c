import { ReldiffError } from '../errors.js';
import { searchSlack, type DepsPlan, type DepUnit, type Upgrade } from './deps-plan.js';
import { cannotRun, runTestCommand } from './oracle.js';
import { PERFECT, type Verdict } from './posterior.js';
import { search, type StopReason } from './search.js';
import { gitFreeEnv, WorktreePool } from './worktree.js';

// Drives a dependency bisect: every trial is a fresh worktree of `from` with the units 0..t installed by the
// ecosystem's installer, then the check. An installer that refuses the mix makes the trial a skip (exit 125), and
// the culprit is then the smallest run of units the engine could not split: the group grows.

export type InstallResult = { ok: true; env: Record<string, string> } | { ok: false; reason: string };

export interface Installer {
  /** Installs `from`'s set with `upgrades` applied into the worktree at `dir`, in trial slot `slot`. */
  apply(dir: string, slot: number, upgrades: readonly Upgrade[]): Promise<InstallResult>;
  dispose(): Promise<void>;
}

export interface DepsTrial { step: number; units: number; set: string[]; verdict: Verdict; reason?: string; resumed?: boolean }

export interface DepsOutcome {
  culprit: { name: string; from: string; to: string; lockfile: string; members: Upgrade[]; why: string[] };
  /** True when the engine could not split the culprit's units (a refused mix): they are named together. */
  isGroup: boolean;
  runs: number;
  stop: StopReason;
  trials: DepsTrial[];
}

export interface DepsRunOptions {
  root: string;
  fromSha: string;
  plan: DepsPlan;
  installer: Installer;
  command: string;
  jobs: number;
  timeoutMs?: number;
  env: Record<string, string | undefined>;
  onProgress: (line: string) => void;
  onPool?: (pool: WorktreePool) => void;
  /** Trials of an earlier run of the same plan (--resume): their verdicts are reused instead of installing again. */
  previous?: readonly DepsTrial[];
  /** After every trial, for a checkpoint that --resume can read. */
  onTrial?: (trials: readonly DepsTrial[]) => void;
}

/**
 * Earlier verdicts by the set they installed. The search is deterministic, so a resumed run asks for the same sets
 * in the same order and gets these answers for free; a set that is not a prefix of this plan means another plan.
 */
export function reusableVerdicts(previous: readonly DepsTrial[], plan: DepsPlan): Map<string, DepsTrial> {
  const prefixes = new Set<string>([''].concat(plan.units.map((_, t) => plan.units.slice(0, t + 1).flatMap(u => u.members).map(label).join(' '))));
  const out = new Map<string, DepsTrial>();
  for (const t of previous) {
    const key = t.set.join(' ');
    if (!prefixes.has(key)) {
      throw new ReldiffError('bisect', `the --resume file has a trial (${key.slice(0, 120) || 'the from set'}) that this plan would never run, so it comes from other refs or another lockfile`,
        'Resume with the same refs, --lockfile and ranking options, or start again without --resume');
    }
    out.set(key, t);
  }
  return out;
}

const label = (u: Upgrade): string => `${u.name}@${u.to}`;

export async function runDepsBisect(options: DepsRunOptions): Promise<DepsOutcome> {
  const { units } = options.plan;
  if (units.length === 0) throw new ReldiffError('bisect', `no package was upgraded in ${options.plan.lockfile} between the two refs`, 'Pick the lockfile that changed with --lockfile');
  const pool = new WorktreePool(options.root);
  options.onPool?.(pool);
  const trials: DepsTrial[] = [];
  let isFirstRun = true;
  const known = reusableVerdicts(options.previous ?? [], options.plan);
  const record = (entry: Omit<DepsTrial, 'step'>): void => {
    trials.push({ step: trials.length + 1, ...entry });
    options.onTrial?.(trials);
  };
  const trial = async (slot: number, upgrades: readonly Upgrade[], count: number): Promise<Verdict> => {
    const set = upgrades.map(label);
    const before = known.get(set.join(' '));
    if (before) {
      record({ units: count, set, verdict: before.verdict, ...(before.reason ? { reason: before.reason } : {}), resumed: true });
      return before.verdict;
    }
    options.onProgress(`trial ${trials.length + 1}: ${count} of ${units.length} units (${upgrades.length} upgrades)`);
    const dir = await pool.checkout(slot, options.fromSha);
    const installed = await options.installer.apply(dir, slot, upgrades);
    if (!installed.ok) {
      options.onProgress(`the installer refused ${set.join(' ')}: ${installed.reason}; counted as a skip`);
      record({ units: count, set, verdict: 'skip', reason: installed.reason });
      return 'skip';
    }
    const env = { ...gitFreeEnv(options.env), ...installed.env };
    const outcome = await runTestCommand(options.command, dir, options.fromSha, { timeoutMs: options.timeoutMs, env });
    pool.intact(slot);
    const broken = isFirstRun ? cannotRun(outcome, options.fromSha) : undefined;
    if (broken) throw broken;
    isFirstRun = false;
    record({ units: count, set, verdict: outcome.verdict, ...(outcome.timedOut ? { reason: 'timed out' } : {}) });
    return outcome.verdict;
  };
  const prefix = (t: number): Upgrade[] => units.slice(0, t + 1).flatMap(u => u.members);
  try {
    await pool.create(Math.max(1, options.jobs), options.fromSha);
    const prior = units.map(u => u.prior);
    const result = await search(prior, async indices => Promise.all(indices.map((t, slot) => trial(slot, prefix(t), t + 1))),
      { model: PERFECT, confidence: 1, jobs: options.jobs, slack: searchSlack(units.length) });
    const judged = trials.filter(t => t.verdict !== 'skip');
    if (result.firstBad === units.length - 1 && judged.every(t => t.verdict === 'good')) {
      // Every trial passed: the full set was never run, and a check that never fails would blame the last unit.
      const verdict = await trial(0, prefix(units.length - 1), units.length);
      if (verdict === 'good') {
        throw new ReldiffError('bisect', `the check passes with every upgrade of ${options.plan.lockfile} applied to the source of ${options.fromSha.slice(0, 12)}, so no upgrade is to blame`,
          'The change is in the source or another lockfile: run reldiff bisect without --deps, or pick another --lockfile');
      }
    }
    if (result.firstBad === 0 && judged.length > 0 && judged.every(t => t.verdict === 'bad')) {
      const verdict = await trial(0, [], 0);
      if (verdict === 'bad') {
        throw new ReldiffError('bisect', `the check fails on the dependency set of ${options.fromSha.slice(0, 12)} too, so it cannot tell good from bad and no upgrade is to blame`,
          'Make the check pass on the from ref first (run it there by hand)');
      }
    }
    const open = result.stop === 'only-skipped'
      ? units.filter((_, i) => (result.posterior[i] ?? 0) > 1e-12) : [units[result.firstBad] as DepUnit];
    const members = open.flatMap(u => u.members).sort((a, b) => a.name.localeCompare(b.name));
    const why = open.flatMap(u => u.why);
    if (open.length > 1) why.push(`the installer refused every mix that would split ${members.map(m => m.name).join(', ')} (those trials were skips), so they are named together`);
    const head = open[0]?.members[0] ?? (members[0] as Upgrade);
    return {
      culprit: { name: head.name, from: head.from, to: head.to, lockfile: options.plan.lockfile, members, why },
      isGroup: members.length > 1, runs: trials.length, stop: result.stop, trials,
    };
  } finally {
    await options.installer.dispose();
    await pool.dispose();
  }
}
