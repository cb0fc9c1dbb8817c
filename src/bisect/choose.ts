import { isPerfect, type OracleModel } from './posterior.js';

// Where to test next. Each candidate test point t splits the posterior into "first bad <= t" and "> t"; the
// expected posterior entropy after the answer is computed in O(1) per t from prefix sums, so a step is O(N).

export interface ChooseOptions {
  model: OracleModel;
  /** Indices whose test was skipped (exit 125): testing them again tells nothing. */
  skipped: ReadonlySet<number>;
  /** Perfect oracle only: runs left before plain bisect + slack is exceeded. Keeps the worst case bounded. */
  runsLeft?: number;
}

/** Expected entropy (bits) of the posterior after testing index t. */
export function expectedEntropyAfter(post: readonly number[], t: number, model: OracleModel): number {
  let a = 0;
  let aLog = 0;
  let bLog = 0;
  for (let i = 0; i < post.length; i++) {
    const p = post[i] ?? 0;
    const pl = p > 0 ? p * Math.log2(p) : 0;
    if (i <= t) { a += p; aLog += pl; } else bLog += pl;
  }
  return entropyAfterSplit(a, aLog, 1 - a, bLog, model);
}

function segmentEntropy(scale: number, mass: number, massLog: number): number {
  if (scale <= 0 || mass <= 0) return 0;
  return -scale * mass * Math.log2(scale) - scale * massLog;
}

function entropyAfterSplit(a: number, aLog: number, b: number, bLog: number, model: OracleModel): number {
  const { falseNegative: fn, falsePositive: fp } = model;
  const pBad = a * (1 - fn) + b * fp;
  const pGood = a * fn + b * (1 - fp);
  let h = 0;
  if (pBad > 0) h += pBad * (segmentEntropy((1 - fn) / pBad, a, aLog) + segmentEntropy(fp / pBad, b, bLog));
  if (pGood > 0) h += pGood * (segmentEntropy(fn / pGood, a, aLog) + segmentEntropy((1 - fp) / pGood, b, bLog));
  return h;
}

/** Test points a perfect oracle may use so that the rest of the search fits in `runsLeft`: both sides <= 2^(runsLeft-1). */
function budgetWindow(post: readonly number[], runsLeft: number | undefined): (t: number) => boolean {
  if (runsLeft === undefined) return () => true;
  let lo = 0;
  while (lo < post.length && (post[lo] ?? 0) === 0) lo++;
  let hi = post.length - 1;
  while (hi > lo && (post[hi] ?? 0) === 0) hi--;
  const cap = 2 ** Math.max(0, runsLeft - 1);
  return t => t - lo + 1 <= cap && hi - t <= cap;
}

/**
 * The next index to test, or undefined when no test can change the posterior (the answer is pinned, or only
 * skipped commits are left). The last candidate is known bad and never tested.
 */
export function chooseNext(post: readonly number[], options: ChooseOptions): number | undefined {
  const perfect = isPerfect(options.model);
  const isAllowed = budgetWindow(post, options.runsLeft);
  let best: number | undefined;
  let bestH = Infinity;
  let fallback: number | undefined;
  let fallbackH = Infinity;
  let a = 0;
  let aLog = 0;
  let total = 0;
  let totalLog = 0;
  for (const p of post) { total += p; totalLog += p > 0 ? p * Math.log2(p) : 0; }
  for (let t = 0; t < post.length - 1; t++) {
    const p = post[t] ?? 0;
    a += p;
    aLog += p > 0 ? p * Math.log2(p) : 0;
    if (options.skipped.has(t)) continue;
    // A perfect answer at t is informative only when both sides still carry mass.
    if (perfect && (a <= 1e-15 || total - a <= 1e-15)) continue;
    const h = entropyAfterSplit(a, aLog, total - a, totalLog - aLog, options.model);
    if (h < fallbackH - 1e-12) { fallbackH = h; fallback = t; }
    if (perfect && !isAllowed(t)) continue;
    if (h < bestH - 1e-12) { bestH = h; best = t; }
  }
  return best ?? fallback;
}

/** k test points at once (for --jobs): the untested indices closest to the posterior quantiles j/(k+1). */
export function chooseBatch(post: readonly number[], k: number, options: ChooseOptions): number[] {
  if (k <= 1) {
    const one = chooseNext(post, options);
    return one === undefined ? [] : [one];
  }
  const picked = new Set<number>();
  const cdf: number[] = [];
  let run = 0;
  for (const p of post) { run += p; cdf.push(run); }
  const perfect = isPerfect(options.model);
  for (let j = 1; j <= k; j++) {
    const target = j / (k + 1);
    let best: number | undefined;
    let bestGap = Infinity;
    for (let t = 0; t < post.length - 1; t++) {
      const c = cdf[t] ?? 0;
      if (picked.has(t) || options.skipped.has(t)) continue;
      if (perfect && (c <= 1e-15 || 1 - c <= 1e-15)) continue;
      const gap = Math.abs(c - target);
      if (gap < bestGap - 1e-12) { bestGap = gap; best = t; }
    }
    if (best !== undefined) picked.add(best);
  }
  return [...picked].sort((x, y) => x - y);
}
