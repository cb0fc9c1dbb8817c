import type { Verdict } from './posterior.js';
import type { Oracle } from './search.js';

// Simulated oracles and plain bisect, shared by the unit tests and bench/bisect.js.

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so that flaky simulations are repeatable. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An oracle whose culprit is `culprit`; with rates above zero it lies, driven by `random`. */
export function simulatedOracle(culprit: number, rates = { falseNegative: 0, falsePositive: 0 },
  random: () => number = Math.random): Oracle {
  return async indices => indices.map((i): Verdict => {
    const isBad = i >= culprit;
    const lies = random() < (isBad ? rates.falseNegative : rates.falsePositive);
    return isBad !== lies ? 'bad' : 'good';
  });
}

/** Runs `git bisect` needs for n candidates (last known bad), halving by count as git does. */
export function plainBisectRunCount(n: number, culprit: number): number {
  let lo = 0;
  let hi = n - 1;
  let runs = 0;
  while (lo < hi) {
    const t = lo + Math.floor((hi - lo + 1) / 2) - 1;
    runs++;
    if (culprit <= t) hi = t; else lo = t + 1;
  }
  return runs;
}
