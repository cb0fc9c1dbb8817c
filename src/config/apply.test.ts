import { describe, expect, it } from 'vitest';
import { defaultWeights } from '../risk/weights.js';
import { applyConfigToWeights } from './apply.js';
import { compileFilters } from './match.js';
import { isFailOnReached } from './gate.js';
import type { Report, ReportRankingItem } from '../report/model.js';
import type { Level } from '../types.js';

describe('applyConfigToWeights', () => {
  it('returns the same table without config', () => {
    expect(applyConfigToWeights(defaultWeights, undefined)).toBe(defaultWeights);
    expect(applyConfigToWeights(defaultWeights, {})).toEqual(defaultWeights);
  });

  it('merges deeply without touching the defaults', () => {
    const before = JSON.stringify(defaultWeights);
    const merged = applyConfigToWeights(defaultWeights, {
      weights: { change: { major: 99 }, signals: { 'new-signal': 7 }, squash: 80, levels: { high: 0.5 } },
      levels: { high: 0.65 },
    });
    expect(merged.change).toEqual({ ...defaultWeights.change, major: 99 });
    expect(merged.signals['new-signal']).toBe(7);
    expect(merged.signals['native-code']).toBe(defaultWeights.signals['native-code']);
    expect(merged.squash).toBe(80);
    expect(merged.levels).toEqual({ medium: 0.3, high: 0.65, critical: 0.85 });
    expect(JSON.stringify(defaultWeights)).toBe(before);
  });
});

describe('compileFilters', () => {
  it('matches packages, paths and lockfiles by glob', () => {
    const filters = compileFilters({
      ignore: { packages: ['@types/*', 'eslint*'], paths: ['docs/**', '**/*.md'] },
      lockfiles: { include: ['**/package-lock.json', 'poetry.lock'], exclude: ['examples/**'] },
    });
    expect(filters.isIgnoredPackage('@types/node')).toBe(true);
    expect(filters.isIgnoredPackage('eslint-plugin-x')).toBe(true);
    expect(filters.isIgnoredPackage('sharp')).toBe(false);
    expect(filters.isIgnoredPath('docs/a/b.txt')).toBe(true);
    expect(filters.isIgnoredPath('src/README.md')).toBe(true);
    expect(filters.isIgnoredPath('src/app.py')).toBe(false);
    expect(filters.isLockfileSelected('package-lock.json')).toBe(true);
    expect(filters.isLockfileSelected('web/package-lock.json')).toBe(true);
    expect(filters.isLockfileSelected('examples/demo/package-lock.json')).toBe(false);
    expect(filters.isLockfileSelected('yarn.lock')).toBe(false);
  });

  it('selects every lockfile and ignores nothing by default', () => {
    const filters = compileFilters(undefined);
    expect(filters.isLockfileSelected('.hidden/yarn.lock')).toBe(true);
    expect(filters.isIgnoredPath('src/x.ts')).toBe(false);
    expect(filters.isIgnoredPackage('x')).toBe(false);
  });
});

function item(rank: number, level: Level, acknowledged?: ReportRankingItem['acknowledged']): ReportRankingItem {
  return { rank, id: `src:f${rank}`, kind: 'source', score: 0.5, level, title: `f${rank}`, reasons: [], file: `f${rank}`,
    commits: [], ...(acknowledged ? { acknowledged } : {}) };
}

function report(ranking: ReportRankingItem[]): Report {
  return { schemaVersion: 1, tool: { name: 'reldiff', version: '0.0.0' }, from: { ref: 'a', commit: 'a'.repeat(40) },
    to: { ref: 'b', commit: 'b'.repeat(40) }, commits: [], dependencies: [], findings: [], ranking,
    bisect: { testFirst: [], commands: [] }, warnings: [] };
}

describe('isFailOnReached', () => {
  it('compares levels, ignores acknowledged items, and never fails on none', () => {
    const r = report([item(1, 'high', { reason: 'reviewed' }), item(2, 'medium')]);
    expect(isFailOnReached(r, 'high')).toBe(false);
    expect(isFailOnReached(r, 'medium')).toBe(true);
    expect(isFailOnReached(r, 'low')).toBe(true);
    expect(isFailOnReached(r, 'critical')).toBe(false);
    expect(isFailOnReached(r, 'none')).toBe(false);
    expect(isFailOnReached(report([]), 'low')).toBe(false);
  });
});
