import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseNext, expectedEntropyAfter } from './choose.js';
import { PERFECT, entropy, posterior, priorsFromRisk } from './posterior.js';
import { plainBisectRuns, search } from './search.js';
import { plainBisectRunCount, seededRandom, simulatedOracle } from './simulate.js';

const perfectOptions = { model: PERFECT, confidence: 0.95, jobs: 1, slack: 2 };

function riskWithCulpritAt(n: number, culprit: number, rank: 'first' | 'middle' | 'last'): number[] {
  const risks = Array.from({ length: n }, (_, i) => 0.05 + ((i * 37) % 11) / 100);
  risks[culprit] = rank === 'first' ? 0.95 : rank === 'middle' ? [...risks].sort()[Math.floor(n / 2)] ?? 0.1 : 0.001;
  return risks;
}

describe('posterior', () => {
  it('narrows to the interval consistent with perfect answers', () => {
    const post = posterior([0.25, 0.25, 0.25, 0.25], [{ index: 0, result: 'good' }, { index: 2, result: 'bad' }], PERFECT);
    expect(post).toEqual([0, 0.5, 0.5, 0]);
  });
  it('refuses contradicting perfect answers with a hint about --flaky', () => {
    expect(() => posterior([0.5, 0.5, 0], [{ index: 1, result: 'good' }, { index: 0, result: 'bad' }], PERFECT))
      .toThrow(expect.objectContaining({ code: 'bisect', hint: expect.stringMatching(/--flaky/) }));
  });
  it('never gives a commit zero prior', () => {
    const prior = priorsFromRisk([0, 0.9, 0, 0]);
    expect(Math.min(...prior)).toBeGreaterThan(0);
    expect(prior.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });
});

describe('chooseNext', () => {
  it('picks the weighted median for a perfect oracle', () => {
    expect(chooseNext([0.1, 0.1, 0.6, 0.1, 0.1], { model: PERFECT, skipped: new Set() })).toBe(1);
    expect(chooseNext([0.7, 0.1, 0.1, 0.1], { model: PERFECT, skipped: new Set() })).toBe(0);
  });
  it('returns undefined once the answer is pinned', () => {
    expect(chooseNext([0, 1, 0], { model: PERFECT, skipped: new Set() })).toBeUndefined();
  });
  it('computes the same expected entropy as the direct formula', () => {
    const post = [0.1, 0.2, 0.3, 0.4];
    const model = { falseNegative: 0.1, falsePositive: 0.05 };
    const pBad = (0.1 + 0.2) * 0.9 + 0.7 * 0.05;
    const direct = pBad * entropy(posterior(post, [{ index: 1, result: 'bad' }], model))
      + (1 - pBad) * entropy(posterior(post, [{ index: 1, result: 'good' }], model));
    expect(expectedEntropyAfter(post, 1, model)).toBeCloseTo(direct, 10);
  });
});

describe('search with a perfect oracle', () => {
  it('finds every culprit and never exceeds plain bisect + 2 runs', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 2, max: 200 }).chain(n => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }))),
      async ([n, culprit, risks]) => {
        const result = await search(priorsFromRisk(risks), simulatedOracle(culprit), perfectOptions);
        expect(result.firstBad).toBe(culprit);
        expect(result.stop).toBe('pinned');
        expect(result.steps).toBeLessThanOrEqual(plainBisectRunCount(n, culprit) + 2);
        expect(result.steps).toBeLessThanOrEqual(plainBisectRuns(n) + 2);
      }), { numRuns: 300 });
  });
  it('uses fewer runs than plain bisect when the culprit ranks first', async () => {
    const n = 64;
    let ours = 0;
    let plain = 0;
    for (let culprit = 0; culprit < n; culprit += 3) {
      const result = await search(priorsFromRisk(riskWithCulpritAt(n, culprit, 'first')), simulatedOracle(culprit), perfectOptions);
      ours += result.steps;
      plain += plainBisectRunCount(n, culprit);
    }
    expect(ours).toBeLessThan(plain);
  });
  it('tests several points per round with --jobs and still pins the culprit', async () => {
    const result = await search(priorsFromRisk(new Array(40).fill(0.1)), simulatedOracle(23), { ...perfectOptions, jobs: 3 });
    expect(result.firstBad).toBe(23);
    expect(result.history.length).toBeLessThan(result.steps);
  });
  it('stops with only-skipped when the neighbours of the culprit cannot be tested', async () => {
    const oracle = async (indices: readonly number[]) => indices.map(i => (i === 4 ? 'skip' as const : i >= 5 ? 'bad' as const : 'good' as const));
    const result = await search(priorsFromRisk(new Array(10).fill(1)), oracle, perfectOptions);
    expect(result.stop).toBe('only-skipped');
    expect(result.posterior[4]! + result.posterior[5]!).toBeCloseTo(1);
  });
});

describe('search with a noisy oracle', () => {
  it('finds the culprit despite lies, re-testing where it pays', async () => {
    const model = { falseNegative: 0.15, falsePositive: 0.1 };
    let correct = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const culprit = (seed * 7) % 32;
      const result = await search(priorsFromRisk(new Array(32).fill(1)), simulatedOracle(culprit, model, seededRandom(seed)),
        { ...perfectOptions, model });
      if (result.firstBad === culprit) correct++;
      expect(result.probability >= 0.95 || result.stop === 'max-runs').toBe(true);
    }
    expect(correct).toBeGreaterThanOrEqual(27);
  });
});

describe('planDryRun', () => {
  it('expects fewer runs than plain bisect when the prior is sharp, and plans the weighted median first', async () => {
    const { planDryRun } = await import('./dry-run.js');
    const shas = Array.from({ length: 64 }, (_, i) => i.toString(16).padStart(40, '0'));
    const risks = shas.map((_, i) => (i === 40 ? 1 : 0.01));
    const plan = await planDryRun(shas, priorsFromRisk(risks));
    expect(plan.expectedRuns).toBeLessThan(plan.plainRuns);
    expect(plan.worstRuns).toBeLessThanOrEqual(plainBisectRuns(64) + 2);
    expect(plan.firstTests[0]?.sha).toBe(shas[39]);
  });
  it('samples culprits on long histories instead of simulating every one', async () => {
    const { planDryRun } = await import('./dry-run.js');
    const shas = Array.from({ length: 3000 }, (_, i) => i.toString(16).padStart(40, '0'));
    const plan = await planDryRun(shas, priorsFromRisk(shas.map(() => 1)));
    expect(plan.expectedRuns).toBeGreaterThan(10.5);
    expect(plan.expectedRuns).toBeLessThan(12.5);
  });
});
