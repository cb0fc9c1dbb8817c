import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DependencySet, LockedPackage } from '../types.js';
import { diffDependencySets } from './diff.js';

const pkg = (name: string, version: string, extra: Partial<LockedPackage> = {}): LockedPackage =>
  ({ name, version, direct: false, dev: false, installPath: `node_modules/${name}`, facts: { integrity: `sha512-${name}${version}` }, ...extra });
const set = (packages: LockedPackage[], path = 'package-lock.json'): DependencySet => ({ format: 'npm-lock', ecosystem: 'npm', path, packages });

describe('diffDependencySets', () => {
  it('classifies every kind of change by comparing sets of installed versions', () => {
    const before = set([pkg('a', '1.0.0'), pkg('b', '1.0.0'), pkg('c', '1.0.0'), pkg('d', '2.0.0'), pkg('e', '1.0.0'), pkg('gone', '1.0.0'),
      pkg('p', '1.0.0'), pkg('same', '1.0.0'), pkg('nested', '2.0.0'), pkg('nested', '1.0.0', { installPath: 'node_modules/x/node_modules/nested' })]);
    const after = set([pkg('a', '2.0.0'), pkg('b', '1.1.0'), pkg('c', '1.0.1'), pkg('d', '1.9.0'), pkg('e', '1.0.0', { facts: { integrity: 'sha512-other' } }),
      pkg('new', '0.1.0', { direct: true }), pkg('p', '1.1.0-beta.1'), pkg('same', '1.0.0'), pkg('nested', '2.0.0'),
      pkg('nested', '1.2.0', { installPath: 'node_modules/x/node_modules/nested' })]);
    expect(diffDependencySets(before, after).map(c => [c.name, c.from, c.to, c.change, c.fromVersions, c.toVersions])).toEqual([
      ['a', '1.0.0', '2.0.0', 'major', ['1.0.0'], ['2.0.0']],
      ['b', '1.0.0', '1.1.0', 'minor', ['1.0.0'], ['1.1.0']],
      ['c', '1.0.0', '1.0.1', 'patch', ['1.0.0'], ['1.0.1']],
      ['d', '2.0.0', '1.9.0', 'downgrade', ['2.0.0'], ['1.9.0']],
      ['e', '1.0.0', '1.0.0', 'reresolved', ['1.0.0'], ['1.0.0']],
      ['gone', '1.0.0', null, 'removed', ['1.0.0'], []],
      ['nested', '2.0.0', '2.0.0', 'minor', ['1.0.0', '2.0.0'], ['1.2.0', '2.0.0']],
      ['new', null, '0.1.0', 'added', [], ['0.1.0']],
      ['p', '1.0.0', '1.1.0-beta.1', 'prerelease', ['1.0.0'], ['1.1.0-beta.1']],
    ]);
  });

  it('flags install scripts and native code that appear', () => {
    const [change] = diffDependencySets(set([pkg('sharp', '0.32.6')]), set([pkg('sharp', '0.33.1', { facts: { installScript: true, native: true } })]));
    expect(change?.signals.map(s => s.id)).toEqual(['install-script-added', 'native-added']);
  });

  it('treats a lockfile that appears or disappears as all added or all removed', () => {
    expect(diffDependencySets(undefined, set([pkg('a', '1.0.0')])).map(c => c.change)).toEqual(['added']);
    expect(diffDependencySets(set([pkg('a', '1.0.0')]), undefined).map(c => c.change)).toEqual(['removed']);
    expect(diffDependencySets(undefined, undefined)).toEqual([]);
  });

  const arbPackages = fc.uniqueArray(
    fc.record({ name: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), major: fc.nat(3), minor: fc.nat(3), patch: fc.nat(3) }),
    { selector: p => `${p.name}@${p.major}.${p.minor}.${p.patch}`, maxLength: 12 },
  ).map(list => set(list.map(p => pkg(p.name, `${p.major}.${p.minor}.${p.patch}`, { installPath: `node_modules/${p.name}/${p.major}.${p.minor}.${p.patch}` }))));

  it('property: diff(a, a) is empty, whatever the order', () => {
    fc.assert(fc.property(arbPackages, fc.boolean(), (a, reverse) => {
      const shuffled = { ...a, packages: reverse ? [...a.packages].reverse() : a.packages };
      expect(diffDependencySets(a, shuffled)).toEqual([]);
    }));
  });

  it('property: diff(b, a) mirrors diff(a, b)', () => {
    const inverse: Record<string, string> = { added: 'removed', removed: 'added', downgrade: 'upgrade' };
    fc.assert(fc.property(arbPackages, arbPackages, (a, b) => {
      const forward = diffDependencySets(a, b);
      const backward = diffDependencySets(b, a);
      expect(backward.map(c => c.name)).toEqual(forward.map(c => c.name));
      forward.forEach((c, i) => {
        const back = backward[i];
        expect([back?.fromVersions, back?.toVersions]).toEqual([c.toVersions, c.fromVersions]);
        if (c.change === 'added' || c.change === 'removed') expect(back?.change).toBe(inverse[c.change]);
        if (['major', 'minor', 'patch'].includes(c.change) && c.from !== c.to) expect(back?.change).toBe('downgrade');
      });
    }));
  });
});

describe('versions spelled differently', () => {
  it('treats PEP 440 spellings of one version as no change, and still sees a real one', () => {
    const py = (packages: [string, string][]): DependencySet => ({ format: 'requirements', ecosystem: 'pypi', path: 'requirements.txt',
      packages: packages.map(([name, version]) => ({ name, version, direct: true, dev: false, facts: {} })) });
    const changes = diffDependencySets(py([['foo-bar', '1.0'], ['Django', '4.2'], ['x', '2.0']]), py([['foo_bar', '1.0.0'], ['django', '4.2.0'], ['x', '2.1']]));
    expect(changes.map(c => [c.name, c.from, c.to, c.change])).toEqual([['x', '2.0', '2.1', 'minor']]);
  });
});
