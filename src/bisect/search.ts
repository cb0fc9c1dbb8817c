import { chooseBatch, chooseNext } from './choose.js';
import { isPerfect, mapIndex, posterior, type Observation, type OracleModel, type Verdict } from './posterior.js';

// The search loop over candidate indices, with the oracle injected: git worktrees in run.ts, a simulated
// culprit in tests and bench/bisect.js.

export interface SearchOptions {
  model: OracleModel;
  /** Noisy oracle: stop once the most likely first bad commit has this probability. */
  confidence: number;
  /** Test this many points per round (each in its own worktree). */
  jobs: number;
  /** Perfect oracle, one job: never use more than floor(log2 N) + slack runs (skips aside). */
  slack: number;
  maxRuns?: number;
}

export type StopReason = 'pinned' | 'confident' | 'only-skipped' | 'max-runs';

export interface SearchStep { step: number; index: number; result: Verdict; best: number; probability: number }

export interface SearchResult {
  firstBad: number;
  probability: number;
  steps: number;
  tested: { index: number; result: Verdict; step: number }[];
  posterior: number[];
  /** Posterior after each round, starting with the prior. */
  history: number[][];
  stop: StopReason;
}

export type Oracle = (indices: readonly number[]) => Promise<Verdict[]>;

/** Runs plain bisect needs at best for n candidates; the budget adds `slack` to it. */
export function plainBisectRuns(n: number): number {
  return n <= 1 ? 0 : Math.floor(Math.log2(n));
}

export function defaultMaxRuns(n: number, model: OracleModel): number {
  const log = Math.ceil(Math.log2(Math.max(2, n)));
  return isPerfect(model) ? n + 1 : 4 * log + 8;
}

export async function search(prior: readonly number[], oracle: Oracle, options: SearchOptions,
  onStep: (step: SearchStep) => void = () => {}): Promise<SearchResult> {
  const n = prior.length;
  const skipped = new Set<number>();
  const tested: SearchResult['tested'] = [];
  const budget = Math.max(Math.ceil(Math.log2(Math.max(1, n))), plainBisectRuns(n) + options.slack);
  const maxRuns = options.maxRuns ?? defaultMaxRuns(n, options.model);
  const perfect = isPerfect(options.model);
  let post = posterior(prior, [], options.model);
  const history = [post];
  let stop: StopReason = 'pinned';
  for (;;) {
    const best = mapIndex(post);
    if (perfect && (post[best] ?? 0) >= 1 - 1e-12) { stop = 'pinned'; break; }
    if (!perfect && (post[best] ?? 0) >= options.confidence) { stop = 'confident'; break; }
    if (tested.length >= maxRuns) { stop = 'max-runs'; break; }
    const choose = { model: options.model, skipped, runsLeft: budget - tested.length };
    const indices = options.jobs > 1 ? chooseBatch(post, Math.min(options.jobs, maxRuns - tested.length), choose)
      : [chooseNext(post, choose)].filter((i): i is number => i !== undefined);
    if (indices.length === 0) { stop = 'only-skipped'; break; }
    const results = await oracle(indices);
    const fresh: Observation[] = [];
    indices.forEach((index, k) => {
      const result = results[k] ?? 'skip';
      tested.push({ index, result, step: tested.length + 1 });
      if (result === 'skip') skipped.add(index);
      else fresh.push({ index, result });
    });
    // Sequential Bayes: the posterior so far is the prior for the new answers.
    post = posterior(post, fresh, options.model);
    history.push(post);
    const now = mapIndex(post);
    for (let k = 0; k < indices.length; k++) {
      const entry = tested[tested.length - indices.length + k];
      if (entry) onStep({ step: entry.step, index: entry.index, result: entry.result, best: now, probability: post[now] ?? 0 });
    }
  }
  const firstBad = mapIndex(post);
  return { firstBad, probability: post[firstBad] ?? 0, steps: tested.length, tested, posterior: post, history, stop };
}
