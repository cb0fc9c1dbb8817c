import { describe, expect, it } from 'vitest';
import type { DependencyChange } from '../types.js';
import { foldPlatformBinaries, platformParentCandidates } from './platform-binaries.js';

const change = (name: string, lockfile = 'package-lock.json'): DependencyChange => ({
  ecosystem: 'npm', lockfile, name, from: '0.33.0', to: '0.34.0', fromVersions: ['0.33.0'], toVersions: ['0.34.0'],
  change: 'minor', direct: false, dev: false, signals: [], commits: [],
});

describe('per-platform binaries', () => {
  it('knows the parent of the common layouts', () => {
    expect(platformParentCandidates('@img/sharp-linux-x64')).toContain('sharp');
    expect(platformParentCandidates('@esbuild/darwin-arm64')).toEqual(['esbuild']);
    expect(platformParentCandidates('@swc/core-win32-x64-msvc')[0]).toBe('@swc/core');
    expect(platformParentCandidates('lightningcss-linux-x64-gnu')).toEqual(['lightningcss']);
    expect(platformParentCandidates('left-pad')).toEqual([]);
    expect(platformParentCandidates('@types/node')).toEqual([]);
  });

  it('folds them into the parent that changed in the same lockfile, and keeps orphans', () => {
    const out = foldPlatformBinaries([
      change('sharp'), change('@img/sharp-linux-x64'), change('@img/sharp-darwin-arm64'), change('@img/sharp-win32-x64'),
      change('@esbuild/linux-x64'), change('react'), change('@img/sharp-linux-arm64', 'web/package-lock.json'),
    ]);
    expect(out.map(c => c.name)).toEqual(['sharp', '@esbuild/linux-x64', 'react', '@img/sharp-linux-arm64']);
    expect(out[0]?.signals).toEqual([{ id: 'platform-binaries', detail: 'with its 3 per-platform binaries (@img/sharp-darwin-arm64, @img/sharp-linux-x64, @img/sharp-win32-x64), folded into this row' }]);
  });
});
