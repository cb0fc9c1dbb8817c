import { describe, expect, it } from 'vitest';
import type { DependencyChange } from '../types.js';
import { npmVersions } from '../versions/semver.js';
import type { RegistryPackage, RegistryVersion } from './facts.js';
import { registrySignals, skippedVersions } from './signals.js';

const version = (extra: Partial<RegistryVersion> = {}): RegistryVersion =>
  ({ dependencies: [], installScripts: {}, native: [], maintainers: [], ...extra });

const change = (from: string | null, to: string | null, extra: Partial<DependencyChange> = {}): DependencyChange => ({
  ecosystem: 'npm', lockfile: 'package-lock.json', name: 'sharp', from, to, fromVersions: from ? [from] : [], toVersions: to ? [to] : [],
  change: 'minor', direct: true, dev: false, signals: [], commits: [], ...extra,
});

const pkg = (versions: Record<string, RegistryVersion>): RegistryPackage => ({ format: 2, name: 'sharp', keywords: [], versions });
const compare = npmVersions.compare;

describe('registrySignals', () => {
  it('reports what changed between two versions, with reasons', () => {
    const before = version({ published: '2023-01-01T00:00:00Z', dependencies: ['color'], maintainers: ['lovell'], publisher: 'lovell', unpackedSize: 500_000, fileCount: 40 });
    const after = version({
      published: '2023-12-01T00:00:00Z', dependencies: ['color', 'detect-libc', 'semver'], native: ['gypfile (binding.gyp)'],
      installScripts: { install: 'node install/check' }, maintainers: ['lovell', 'mallory'], publisher: 'mallory',
      unpackedSize: 2_000_000, fileCount: 90, deprecated: 'use 0.33.2',
    });
    const signals = registrySignals({ change: change('0.32.6', '0.33.1'), pkg: pkg({ '0.32.6': before, '0.32.7': version(), '0.33.0': version(), '0.33.0-rc.1': version(), '0.33.1': after }),
      toDate: '2023-12-04T12:00:00Z', leakProne: [], compare });
    expect(Object.fromEntries(signals.map(s => [s.id, s.detail]))).toEqual({
      'native-added': 'native code appeared in 0.33.1: gypfile (binding.gyp)',
      'install-script-added': '0.33.1 adds an install script (install: `node install/check`)',
      'fresh-release': '0.33.1 was 3 days old at the `to` commit (published 2023-12-01)',
      deprecated: '0.33.1 is deprecated: use 0.33.2',
      'new-dependencies': '0.33.1 pulls in 2 new dependencies: detect-libc, semver',
      'maintainers-changed': 'added mallory',
      'publisher-changed': '0.32.6 was published by lovell, 0.33.1 by mallory',
      'size-growth': 'unpacked size 500.0 kB -> 2.0 MB (+300%), files 40 -> 90 (+125%)',
    });
  });

  it('does not repeat what the lockfile already said, and says nothing for an unchanged, old, quiet release', () => {
    const quiet = version({ published: '2020-01-01T00:00:00Z', native: ['depends on nan'] });
    const existing = change('1.0.0', '1.0.1', { signals: [{ id: 'native-code', detail: 'from the lockfile' }] });
    expect(registrySignals({ change: existing, pkg: pkg({ '1.0.0': version({ native: ['depends on nan'] }), '1.0.1': quiet }), toDate: '2023-01-01T00:00:00Z', leakProne: [], compare })).toEqual([]);
  });

  it('flags a changed install script and a yanked release', () => {
    const signals = registrySignals({
      change: change('1.0.0', '1.1.0'),
      pkg: pkg({ '1.0.0': version({ installScripts: { postinstall: 'node a.js' } }), '1.1.0': version({ installScripts: { postinstall: 'node b.js' }, yanked: 'broken wheel' }) }),
      leakProne: [], compare,
    });
    expect(signals.map(s => s.id).sort()).toEqual(['install-script-changed', 'yanked']);
    expect(signals.find(s => s.id === 'yanked')?.detail).toBe('1.1.0 was yanked: broken wheel');
  });

  it('still names a leak-prone package when the registry knew nothing', () => {
    const signals = registrySignals({ change: change('1.0.0', '1.1.0'), pkg: undefined, compare,
      leakProne: [{ category: 'logger', label: 'loggers', why: 'buffers', via: 'known package', evidence: 'https://example.test/1' }] });
    expect(signals).toEqual([{ id: 'leak-prone-category', detail: 'loggers (known package): buffers; evidence: https://example.test/1' }]);
  });

  it('counts skipped releases without prereleases unless the target is one', () => {
    const p = pkg({ '1.0.0': version(), '1.1.0-beta.1': version(), '1.1.0': version(), '1.2.0': version(), '2.0.0-rc.1': version() });
    expect(skippedVersions(p, '1.0.0', '1.2.0', compare)).toEqual(['1.1.0']);
    expect(skippedVersions(p, '1.0.0', '2.0.0-rc.1', compare)).toEqual(['1.1.0-beta.1', '1.1.0', '1.2.0']);
  });
});

describe('fastCompare', () => {
  it('orders npm versions exactly as the npm scheme does', async () => {
    const { fastCompare } = await import('./compare.js');
    const fast = fastCompare('npm');
    const versions = ['1.0.0', '1.0.0-rc.1', '1.0.0-rc.10', '1.0.0-rc.2', 'v2.0.0', '2.0', 'latest', '0.0.1', '10.0.0', '1.0.0+build'];
    for (const a of versions) for (const b of versions) expect(Math.sign(fast(a, b))).toBe(Math.sign(compare(a, b)));
  });
});
