import { describe, expect, it } from 'vitest';
import type { DependencySet } from '../types.js';
import { attributeChanges, packageStates } from './attribute.js';
import { diffDependencySets } from './diff.js';
import { readFixture } from '../../test/helpers/fixtures.js';

const set = (versions: Record<string, string>): DependencySet => ({
  format: 'npm-lock', ecosystem: 'npm', path: 'package-lock.json',
  packages: Object.entries(versions).map(([name, version]) => ({ name, version, direct: true, dev: false, facts: {} })),
});

describe('attributeChanges', () => {
  it('names every commit that moved a package, and none that did not', () => {
    const start = set({ a: '1.0.0', b: '1.0.0', c: '1.0.0' });
    const revisions = [
      { sha: 'c1', set: set({ a: '1.1.0', b: '1.0.0', c: '1.0.0' }) },
      { sha: 'c2', set: set({ a: '1.1.0', b: '1.0.0', c: '1.0.0', d: '1.0.0' }) },
      { sha: 'c3', set: set({ a: '1.2.0', b: '1.0.0', c: '1.0.0', d: '1.0.0' }) },
      { sha: 'c4', set: set({ a: '1.2.0', b: '2.0.0', c: '1.0.0', d: '1.0.0' }) },
      { sha: 'c5', set: set({ a: '1.2.0', b: '1.0.0', c: '1.0.0', d: '1.0.0' }) },
    ];
    const end = revisions.at(-1)?.set;
    const changes = diffDependencySets(start, end);
    attributeChanges(changes, packageStates(start), revisions.map(r => ({ sha: r.sha, states: packageStates(r.set) })));
    expect(changes.map(c => [c.name, c.change, c.commits])).toEqual([['a', 'minor', ['c1', 'c3']], ['d', 'added', ['c2']]]);
  });

  it('attributes a lockfile deleted in the range to the deleting commit', () => {
    const start = set({ a: '1.0.0' });
    const changes = diffDependencySets(start, undefined);
    attributeChanges(changes, packageStates(start), [{ sha: 'x', states: new Map() }]);
    expect(changes[0]?.commits).toEqual(['x']);
  });
});

describe('the npm fast path for lockfile revisions', () => {
  it('gives the same states as a full parse on real lockfiles', async () => {
    const { parseNpmLock, npmLockStates } = await import('../lockfiles/npm-lock.js');
    const { packageStatesFromCopies } = await import('./attribute.js');
    for (const file of ['npm-lock-v3/npm__cli@v10.7.0/package-lock.json', 'npm-lock-v2/facebook__lexical@v0.39.0/package-lock.json']) {
      const text = readFixture(file);
      const parsed = parseNpmLock(text, file);
      if (!parsed.ok) throw new Error(parsed.error.message);
      const names = [...new Set(parsed.value.packages.map(p => p.name))];
      expect(names.length).toBeGreaterThan(100);
      expect(packageStatesFromCopies(npmLockStates(text) ?? new Map(), 'npm', names)).toEqual(packageStates(parsed.value, names));
    }
  });
});
