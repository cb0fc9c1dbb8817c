import { describe, expect, it } from 'vitest';
import type { Report } from '../report/model.js';
import { groupUpgrades, npmRequires, planUnits, runBound, simulateRuns } from './deps-plan.js';
import { priorsFromRisk } from './posterior.js';

type Slice = Pick<Report, 'dependencies' | 'ranking'>;

function batch(n: number, scores: Record<string, number> = {}): Slice {
  const names = Array.from({ length: n }, (_, i) => `pkg-${String(i).padStart(2, '0')}`);
  return {
    dependencies: names.map(name => ({ ecosystem: 'npm', lockfile: 'package-lock.json', name, from: '1.0.0', to: '1.1.0',
      fromVersions: ['1.0.0'], toVersions: ['1.1.0'], change: 'minor', direct: true, dev: false, signals: [], commits: [] })),
    ranking: names.map((name, i) => ({ rank: i + 1, id: name, kind: 'dependency', score: scores[name] ?? 0.05, level: 'low', title: name,
      reasons: [], dependency: { ecosystem: 'npm', name, lockfile: 'package-lock.json' }, commits: [] })),
  };
}

describe('groupUpgrades', () => {
  const upgrades = [{ name: 'a', from: '1.0.0', to: '2.0.0' }, { name: 'b', from: '1.0.0', to: '2.0.0' }, { name: 'c', from: '1.0.0', to: '1.1.0' }];
  it('joins a new version with the dependency whose old version it does not accept, and says why', () => {
    const groups = groupUpgrades(upgrades, new Map([['a', { b: '^2.0.0', c: '^1.0.0' }]]));
    expect(groups.map(g => g.members.map(m => m.name))).toEqual([['a', 'b'], ['c']]);
    expect(groups[0]?.why).toEqual(['a@2.0.0 requires b ^2.0.0 (package-lock.json), which b@1.0.0 does not satisfy']);
  });
  it('lets packages move alone when the old versions still satisfy the new ranges', () => {
    const groups = groupUpgrades(upgrades, new Map<string, Record<string, string>>([['a', { b: '>=1.0.0' }], ['b', { c: '1.x' }]]));
    expect(groups.map(g => g.members.length)).toEqual([1, 1, 1]);
  });
  it('reads the top-level edges of package-lock v3 and ignores text that is not a lockfile', () => {
    const lock = JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/a': { version: '2.0.0', dependencies: { b: '^2.0.0' } },
      'node_modules/a/node_modules/x': { version: '1.0.0', dependencies: { q: '1' } }, 'node_modules/@s/p': { peerDependencies: { a: '2' } } } });
    expect([...npmRequires(lock)]).toEqual([['a', { b: '^2.0.0' }], ['@s/p', { a: '2' }]]);
    expect(npmRequires('{ not json').size).toBe(0);
  });
});

describe('planUnits', () => {
  it('orders the units by the ranking, likeliest first, and lists what it cannot move', () => {
    const slice = batch(4, { 'pkg-02': 0.9 });
    slice.dependencies.push({ ...slice.dependencies[0]!, name: 'fresh', from: null, to: '1.0.0', change: 'added' });
    const plan = planUnits(slice, 'package-lock.json', new Map());
    expect(plan.units.map(u => u.members[0]?.name)).toEqual(['pkg-02', 'pkg-00', 'pkg-01', 'pkg-03']);
    expect(plan.units[0]!.prior).toBeGreaterThan(plan.units[1]!.prior);
    expect(plan.unmoved).toEqual(['fresh (none) -> 1.0.0 (added)']);
  });
});

describe('simulateRuns (the issue targets)', () => {
  for (const n of [12, 40, 70]) {
    it(`names a lone culprit among ${n} upgrades in at most ceil(log2 n) + 2 runs, and sooner when it ranks first`, async () => {
      const flat = await simulateRuns(priorsFromRisk(new Array(n).fill(0.05)));
      expect(flat.bound).toBe(Math.ceil(Math.log2(n)) + 2);
      expect(flat.worst).toBeLessThanOrEqual(flat.bound);
      const sharp = await simulateRuns(planUnits(batch(n, { 'pkg-07': 0.95 }), 'package-lock.json', new Map()).units.map(u => u.prior));
      expect(sharp.worst).toBeLessThanOrEqual(sharp.bound);
      expect(sharp.topFirst).toBeLessThan(Math.ceil(Math.log2(n)));
      expect(sharp.expected).toBeLessThan(flat.expected);
    });
  }
  it('counts one run for a single upgrade: the check of the full set', async () => {
    expect(runBound(1)).toBe(1);
    expect((await simulateRuns([1])).worst).toBe(1);
  });
});
