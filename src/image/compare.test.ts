import { describe, expect, it } from 'vitest';
import type { DependencySet, Ecosystem } from '../types.js';
import { diffImageSides, type Side } from './compare.js';

const set = (ecosystem: Ecosystem, packages: [string, string][], path = 'x'): DependencySet => ({
  format: 'image-archive', ecosystem, path,
  packages: packages.map(([name, version]) => ({ name, version, direct: ecosystem === 'runtime', dev: false, facts: {} })),
});
const image = (...sets: DependencySet[]): Side => ({ kind: 'image', sets });
const names = { before: 'a.tar', after: 'b.tar' };

describe('comparing with an image', () => {
  it('two images: every ecosystem either holds, settings moved as "other" with their signal', () => {
    const warnings: string[] = [];
    const changes = diffImageSides(
      image(set('runtime', [['env:MALLOC_ARENA_MAX', '2'], ['python', '3.11.7']]), set('deb', [['libc6', '2.36-9']])),
      image(set('runtime', [['env:MALLOC_ARENA_MAX', '4'], ['python', '3.11.8']]), set('apk', [['musl', '1.2.4-r2']])),
      'b.tar', names, warnings);
    expect(changes.map(c => `${c.ecosystem} ${c.name} ${c.change} ${c.signals.map(s => s.id).join(',')}`)).toEqual([
      'apk musl added ', 'deb libc6 removed ', 'runtime env:MALLOC_ARENA_MAX other runtime-memory-env', 'runtime python patch runtime-interpreter',
    ]);
    expect(warnings).toEqual([]);
  });

  it('an image and a lockfile: the lockfile ecosystem only, said once; none of it in the image is an error', () => {
    const warnings: string[] = [];
    const lock: Side = { kind: 'file', set: set('pypi', [['numpy', '1.26.4']], 'poetry.lock') };
    const changes = diffImageSides(image(set('pypi', [['numpy', '1.26.4'], ['pip', '24.0']]), set('deb', [['libc6', '1']])), lock, 'poetry.lock', names, warnings);
    expect(changes.map(c => `${c.name} ${c.change}`)).toEqual(['pip removed']);
    expect(warnings).toHaveLength(1);
    expect(() => diffImageSides(image(set('deb', [['libc6', '1']])), { kind: 'file', set: set('npm', [['x', '1']], 'package-lock.json') }, 'package-lock.json', names, []))
      .toThrow(/a\.tar holds no npm packages to compare with package-lock\.json/);
  });
});
