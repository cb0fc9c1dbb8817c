import { ReldiffError } from '../errors.js';

// Bayesian model of "which candidate is the first bad commit". Candidates are ordered oldest first; the
// commit before the first one is known good and the last one is known bad, as in `git bisect start <bad> <good>`.

export type Verdict = 'good' | 'bad' | 'skip';
export interface Observation { index: number; result: Verdict }

/** How far a test can be trusted. falseNegative: a bad commit tests good; falsePositive: a good commit tests bad. */
export interface OracleModel { falseNegative: number; falsePositive: number }

export const PERFECT: OracleModel = { falseNegative: 0, falsePositive: 0 };

export function isPerfect(model: OracleModel): boolean {
  return model.falseNegative === 0 && model.falsePositive === 0;
}

/**
 * Priors from per-commit risk, mixed with a uniform floor so that no commit is ever ruled out before it is
 * tested: a low-ranked culprit costs a few extra runs, never a wrong answer.
 */
export function priorsFromRisk(risks: readonly number[], floor = 0.25): number[] {
  const n = risks.length;
  if (n === 0) return [];
  const clean = risks.map(r => (Number.isFinite(r) && r > 0 ? r : 0));
  const total = clean.reduce((a, b) => a + b, 0);
  if (total === 0) return clean.map(() => 1 / n);
  return clean.map(r => floor / n + (1 - floor) * (r / total));
}

function normalise(weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map(w => w / total);
}

/** P(first bad = i | observations). Throws when a perfect oracle contradicts itself. */
export function posterior(prior: readonly number[], observations: readonly Observation[], model: OracleModel): number[] {
  const weights = [...prior];
  for (const { index, result } of observations) {
    if (result === 'skip') continue;
    const [bad, good] = likelihoods(result, model);
    for (let f = 0; f < weights.length; f++) weights[f] = (weights[f] ?? 0) * (f <= index ? bad : good);
  }
  return normaliseOrThrow(weights);
}

/** The likelihood of `result` when the commit is truly bad, and when it is truly good. */
function likelihoods(result: 'good' | 'bad', model: OracleModel): [number, number] {
  return result === 'bad' ? [1 - model.falseNegative, model.falsePositive] : [model.falseNegative, 1 - model.falsePositive];
}

function normaliseOrThrow(weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) {
    throw new ReldiffError('bisect', 'the test results contradict each other (a commit tested good after a later one, or bad before an earlier good one)',
      'The command is flaky: rerun with --flaky, or make the check deterministic');
  }
  return normalise(weights);
}

/** Index of the most probable first bad commit (the oldest one on ties). */
export function mapIndex(post: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < post.length; i++) if ((post[i] ?? 0) > (post[best] ?? 0)) best = i;
  return best;
}

export function entropy(post: readonly number[]): number {
  let h = 0;
  for (const p of post) if (p > 0) h -= p * Math.log2(p);
  return h;
}
