import { describe, expect, it } from 'vitest';
import type { DependencyChange, FileChange } from '../types.js';
import { scoreDependency, scoreSource } from './score.js';
import { defaultWeights as w } from './weights.js';

const dep = (name: string, extra: Partial<DependencyChange> = {}): DependencyChange => ({
  ecosystem: 'pypi', lockfile: 'requirements.txt', name, from: '1.0.0', to: '2.0.0', fromVersions: ['1.0.0'], toVersions: ['2.0.0'],
  change: 'major', direct: true, dev: false, signals: [], commits: [], ...extra,
});
const file = (path: string, lines: number, extra: Partial<FileChange> = {}): FileChange => ({
  path, status: 'modified', binary: false, additions: lines, deletions: 0, added: [], removed: [], commits: ['c1'],
  hunks: [{ oldStart: 10, oldLines: 0, newStart: 10, newLines: lines, lines: Array.from({ length: lines }, (_, i) => `+x = ${i}`) }], ...extra,
});
const ids = (reasons: { id: string }[]): string[] => reasons.map(r => r.id);

describe('scoreDependency', () => {
  it('a type checker listed as a direct requirement is a tool, not something the service loads', () => {
    const mypy = scoreDependency(dep('mypy'), w);
    const sqlalchemy = scoreDependency(dep('sqlalchemy'), w);
    expect(ids(mypy.reasons)).toEqual(['dep-major', 'dep-tool']);
    expect(mypy.points).toBeCloseTo(w.change.major * w.devFactor);
    expect(sqlalchemy.points).toBe(w.change.major + w.direct);
  });

  it('weighs down a library\'s CI pins and keeps a front-end app\'s devDependencies at full weight', () => {
    const library = scoreDependency(dep('httpx'), w, { kind: 'library', why: 'pyproject.toml builds a distributable package' });
    expect(ids(library.reasons)).toContain('dep-library-pins');
    expect(library.points).toBeCloseTo((w.change.major + w.direct) * w.libraryPinFactor);
    const bundled = scoreDependency(dep('vue-router', { ecosystem: 'npm', dev: true }), w, { kind: 'frontend-app', why: 'a private app built with vite' });
    expect(ids(bundled.reasons)).toContain('dep-dev-bundled');
    expect(bundled.points).toBe(w.change.major + w.direct);
    expect(scoreDependency(dep('vue-router', { ecosystem: 'npm', dev: true }), w).points).toBeCloseTo((w.change.major + w.direct) * w.devFactor);
  });
});

describe('scoreSource', () => {
  it('a small change in a connection handler outranks a 50,000-line generated schema and a large test change', () => {
    const handler = scoreSource(file('app/connection.py', 6), [], w);
    const generated = scoreSource(file('api/schema_pb2.py', 50_000, { status: 'added' }), [], w);
    const tests = scoreSource(file('tests/test_api.py', 400), [], w);
    expect(ids(handler.reasons)).toContain('src-hot-path');
    expect(ids(generated.reasons)).toContain('src-kind-generated');
    expect(handler.points).toBeGreaterThan(generated.points);
    expect(handler.points).toBeGreaterThan(tests.points);
  });

  it('a whole deleted module weighs less than the same lines changed in place', () => {
    const deleted = scoreSource(file('app/old_worker.py', 0, { status: 'deleted', deletions: 300, hunks: [] }), [], w);
    const changed = scoreSource(file('app/util.py', 300), [], w);
    expect(deleted.points).toBeLessThan(changed.points);
  });
});
