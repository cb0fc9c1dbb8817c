import { chooseNext } from './choose.js';
import { PERFECT, posterior, type Observation } from './posterior.js';
import { plainBisectRunCount, simulatedOracle } from './simulate.js';
import { search } from './search.js';

// `--dry-run`: what the bisect would do before any checkout, and how many runs it should take.

export interface PlannedTest { sha: string; depth: number; after: string; probabilityBadAtOrBefore: number; prior: number }

export interface DryRunPlan {
  candidates: number;
  expectedRuns: number;
  plainRuns: number;
  worstRuns: number;
  firstTests: PlannedTest[];
  topPriors: { sha: string; prior: number }[];
}

/** Above this many candidates the expectation is taken over culprits at evenly spaced prior quantiles. */
const MAX_SIMULATED = 200;

/** Culprits to simulate, each with its weight: all of them, or quantiles of the prior for long histories. */
function culpritsToSimulate(prior: readonly number[]): [number, number][] {
  if (prior.length <= MAX_SIMULATED) return prior.map((p, i) => [i, p]);
  const picked: [number, number][] = [];
  let cdf = 0;
  let i = 0;
  for (let k = 0; k < MAX_SIMULATED; k++) {
    const target = (k + 0.5) / MAX_SIMULATED;
    while (i < prior.length - 1 && cdf + (prior[i] ?? 0) < target) cdf += prior[i++] ?? 0;
    picked.push([i, 1 / MAX_SIMULATED]);
  }
  return picked;
}

/** Expected runs when the culprit is drawn from the prior itself, plus the first two levels of the test tree. */
export async function planDryRun(shas: readonly string[], prior: readonly number[], slack = 2): Promise<DryRunPlan> {
  const n = shas.length;
  let expectedRuns = 0;
  let plainRuns = 0;
  let worstRuns = 0;
  for (const [culprit, p] of culpritsToSimulate(prior)) {
    const result = await search(prior, simulatedOracle(culprit), { model: PERFECT, confidence: 1, jobs: 1, slack });
    expectedRuns += p * result.steps;
    plainRuns += p * plainBisectRunCount(n, culprit);
    worstRuns = Math.max(worstRuns, result.steps);
  }
  const firstTests: PlannedTest[] = [];
  const visit = (observations: Observation[], depth: number, after: string): void => {
    if (depth > 2) return;
    const post = posterior(prior, observations, PERFECT);
    const t = chooseNext(post, { model: PERFECT, skipped: new Set(), runsLeft: undefined });
    if (t === undefined) return;
    const mass = post.slice(0, t + 1).reduce((a, b) => a + b, 0);
    firstTests.push({ sha: shas[t] ?? '', depth, after, probabilityBadAtOrBefore: mass, prior: prior[t] ?? 0 });
    const label = (shas[t] ?? '').slice(0, 10);
    visit([...observations, { index: t, result: 'bad' }], depth + 1, `${label} bad`);
    visit([...observations, { index: t, result: 'good' }], depth + 1, `${label} good`);
  };
  visit([], 1, 'start');
  const topPriors = shas.map((sha, i) => ({ sha, prior: prior[i] ?? 0 }))
    .sort((a, b) => b.prior - a.prior || a.sha.localeCompare(b.sha)).slice(0, 5);
  return { candidates: n, expectedRuns, plainRuns, worstRuns, firstTests, topPriors };
}
