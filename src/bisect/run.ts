import { ReldiffError } from '../errors.js';
import { listMergedCandidates, type Candidate } from './candidates.js';
import { cannotRun, runTestCommand } from './oracle.js';
import { priorsFromRisk, type OracleModel, type Verdict } from './posterior.js';
import { search, type SearchResult, type SearchStep, type StopReason } from './search.js';
import { gitFreeEnv, WorktreePool } from './worktree.js';

// Drives a bisect over real commits: worktrees + the test command as the oracle, descending into a merge
// that the first-parent search finds bad.

export interface RunOptions {
  root: string;
  candidates: Candidate[];
  /** The good end (`from`): checked when every tested commit was bad, so that a check failing everywhere names no culprit. */
  good: { ref: string; sha: string };
  risk: ReadonlyMap<string, number>;
  command: string;
  timeoutMs?: number;
  jobs: number;
  model: OracleModel;
  confidence: number;
  slack: number;
  isAllCommits: boolean;
  env: Record<string, string | undefined>;
  onProgress: (line: string) => void;
  /** Gives the pool to the caller so that a signal handler can remove it. */
  onPool?: (pool: WorktreePool) => void;
}

export interface BisectOutcome {
  firstBad: string;
  probability: number;
  steps: number;
  tested: { sha: string; result: Verdict; step: number }[];
  posterior: { sha: string; probability: number }[];
  history: number[][];
  stop: StopReason;
  candidates: number;
}

function short(sha: string): string { return sha.slice(0, 10); }

export async function runBisect(options: RunOptions): Promise<BisectOutcome> {
  const last = options.candidates.at(-1);
  if (!last) throw new ReldiffError('bisect', 'there are no commits between the two refs', 'Check the order: reldiff bisect <good> <bad>');
  const pool = new WorktreePool(options.root);
  options.onPool?.(pool);
  try {
    await pool.create(Math.max(1, options.jobs), last.sha);
    const tested: BisectOutcome['tested'] = [];
    const state = { isFirstRun: true };
    let candidates = options.candidates;
    let history: number[][];
    for (;;) {
      const result = await searchOnce(candidates, pool, options, tested, state);
      // The posterior is over the current candidate list, so the snapshots kept are those of the last search.
      history = result.history;
      const culprit = candidates[result.firstBad] as Candidate;
      const isMerge = culprit.parents.length > 1 && !options.isAllCommits;
      const isSettled = result.stop === 'pinned' || result.stop === 'confident';
      if (isMerge && isSettled) {
        const inner = await listMergedCandidates(options.root, culprit);
        if (inner.length > 1) {
          options.onProgress(`merge ${short(culprit.sha)} is the first bad commit on the main line; descending into the ${inner.length - 1} commits it merged`);
          candidates = inner;
          continue;
        }
      }
      if (candidates === options.candidates && result.firstBad === 0 && tested.length > 0 && tested.every(t => t.result !== 'good')) {
        await assertGoodEnd(pool, options);
      }
      return {
        firstBad: culprit.sha, probability: result.probability, steps: tested.length, tested,
        posterior: candidates.map((c, i) => ({ sha: c.sha, probability: round(result.posterior[i] ?? 0) })),
        history: history.map(row => row.map(round)), stop: result.stop, candidates: options.candidates.length,
      };
    }
  } finally {
    await pool.dispose();
  }
}

function round(p: number): number { return Math.round(p * 1e6) / 1e6; }

/**
 * Every commit tested bad and the first one is blamed: that is also what a check that fails everywhere gives. The
 * good end is run once; when it fails too, the check cannot tell good from bad and no commit is named.
 */
async function assertGoodEnd(pool: WorktreePool, options: RunOptions): Promise<void> {
  const { ref, sha } = options.good;
  options.onProgress(`every tested commit was bad; testing the good end ${short(sha)} (${ref}) to make sure the check can pass`);
  const dir = await pool.checkout(0, sha);
  const outcome = await runTestCommand(options.command, dir, sha, { timeoutMs: options.timeoutMs, env: gitFreeEnv(options.env) });
  pool.intact(0);
  if (outcome.verdict !== 'bad') return;
  throw new ReldiffError('bisect', `the test command fails on the good ref ${ref} (${sha.slice(0, 12)}) too (exit ${outcome.code}), so it cannot tell good from bad and no commit is to blame`,
    `Make the check pass on ${ref}: run it by hand there (\`git switch --detach ${sha.slice(0, 12)}\`) to see why it fails`);
}

async function searchOnce(candidates: Candidate[], pool: WorktreePool, options: RunOptions,
  tested: BisectOutcome['tested'], state: { isFirstRun: boolean }): Promise<SearchResult> {
  const prior = priorsFromRisk(candidates.map(c => options.risk.get(c.sha) ?? 0));
  const offset = tested.length;
  const oracle = async (indices: readonly number[]): Promise<Verdict[]> => Promise.all(indices.map(async (index, slot) => {
    const sha = (candidates[index] as Candidate).sha;
    options.onProgress(`testing ${short(sha)} (candidate ${index + 1} of ${candidates.length})`);
    const dir = await pool.checkout(slot, sha);
    const outcome = await runTestCommand(options.command, dir, sha, { timeoutMs: options.timeoutMs, env: gitFreeEnv(options.env) });
    pool.intact(slot);
    const broken = state.isFirstRun ? cannotRun(outcome, sha) : undefined;
    if (broken) throw broken;
    if (outcome.timedOut) options.onProgress(`${short(sha)} timed out; counted as untestable (skip)`);
    return outcome.verdict;
  }));
  const onStep = (step: SearchStep): void => {
    state.isFirstRun = false;
    const sha = (candidates[step.index] as Candidate).sha;
    tested.push({ sha, result: step.result, step: offset + step.step });
    const best = (candidates[step.best] as Candidate).sha;
    options.onProgress(`step ${offset + step.step}: ${short(sha)} is ${step.result}; best guess ${short(best)} (p=${step.probability.toFixed(3)})`);
  };
  return search(prior, oracle, { model: options.model, confidence: options.confidence, jobs: options.jobs, slack: options.slack }, onStep);
}
