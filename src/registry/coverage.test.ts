import { describe, expect, it } from 'vitest';
import { defaultWeights } from '../risk/weights.js';
import type { DependencyChange } from '../types.js';
import { coverageWarning, planCoverage } from './coverage.js';

const change = (name: string, extra: Partial<DependencyChange> = {}): DependencyChange => ({
  ecosystem: 'npm', lockfile: 'package-lock.json', name, from: '1.0.0', to: '2.0.0', fromVersions: ['1.0.0'], toVersions: ['2.0.0'],
  change: 'major', direct: false, dev: false, signals: [], commits: [], ...extra,
});
const plan = (changes: DependencyChange[], extra: Partial<Parameters<typeof planCoverage>[0]> = {}) => planCoverage({
  changes, weights: defaultWeights, budgetBytes: 1000, bytesOf: () => 100, isUpgrade: c => c.from !== c.to, ...extra,
});

describe('which upgrades are looked inside', () => {
  it('takes every upgrade that ships, largest risk first, and reads a package carried by two lockfiles once', () => {
    const a = change('a');
    const b = change('b', { direct: true, signals: [{ id: 'native-code', detail: 'x' }] });
    const a2 = change('a', { lockfile: 'web/package-lock.json' });
    const result = plan([a, b, a2, change('same', { to: '1.0.0' })]);
    expect(result.groups.map(g => [g.name, g.changes.length])).toEqual([['b', 1], ['a', 2]]);
    expect(coverageWarning(result.left, 1000, undefined)).toBeUndefined();
  });

  it('leaves out development-only packages and library CI pins, but reads a front-end app\'s devDependencies', () => {
    const changes = [change('dev-only', { dev: true }), change('eslint'), change('lib-pin', { lockfile: 'lib/package-lock.json' }), change('bundled', { dev: true, lockfile: 'app/package-lock.json' })];
    const projects = new Map([
      ['lib/package-lock.json', { kind: 'library' as const, why: 'published' }], ['app/package-lock.json', { kind: 'frontend-app' as const, why: 'vite' }],
    ]);
    const result = plan(changes, { projects });
    expect(result.groups.map(g => g.name)).toEqual(['bundled']);
    expect(coverageWarning(result.left, 1000, undefined)).toBe("deep scan: did not look inside 3 upgrades: 2 development-only, never run in production (dev-only, eslint); 1 pinned for this library's own CI, not shipped to its users (lib-pin)");
  });

  it('stops at --deep and at the byte budget, skipping one that does not fit for a smaller one after it', () => {
    const changes = [change('big', { direct: true }), change('small1'), change('small2'), change('small3')];
    const sized = plan(changes, { budgetBytes: 250, bytesOf: c => (c.name === 'big' ? 1000 : 100) });
    expect(sized.groups.map(g => g.name)).toEqual(['small1', 'small2']);
    expect(coverageWarning(sized.left, 256 * 1024 * 1024, undefined)).toBe('deep scan: did not look inside 2 upgrades: 2 over the 256 MB download budget (big, small3)');
    const limited = plan(changes, { limit: 1 });
    expect(limited.groups.map(g => g.name)).toEqual(['big']);
    expect(coverageWarning(limited.left, 1000, 1)).toBe('deep scan: did not look inside 3 upgrades: 3 past --deep 1 (small1, small2, small3)');
  });
});
