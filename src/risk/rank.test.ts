import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Commit, DependencyChange, FileChange, Finding, ScoredItem } from '../types.js';
import { commitRisks, rankItems } from './rank.js';
import { scoreDependency, scoreSource } from './score.js';
import { defaultWeights as w } from './weights.js';

const file = (path: string, additions: number, extra: Partial<FileChange> = {}): FileChange =>
  ({ path, status: 'modified', binary: false, additions, deletions: 0, added: [], removed: [], hunks: [], commits: ['c1'], ...extra });
const dep = (extra: Partial<DependencyChange>): DependencyChange => ({ ecosystem: 'npm', lockfile: 'package-lock.json', name: 'x', from: '1.0.0',
  to: '1.0.1', fromVersions: ['1.0.0'], toVersions: ['1.0.1'], change: 'patch', direct: false, dev: false, signals: [], commits: ['c1'], ...extra });
const finding = (severity: Finding['severity'], extra: Partial<Finding> = {}): Finding =>
  ({ rule: 'r', severity, file: 'small.py', line: 3, message: 'm', commits: ['c2'], ...extra });

describe('risk model', () => {
  it('ranks a small file with a high-severity finding above a large file without one', () => {
    const ranked = rankItems([scoreSource(file('big.py', 5000), [], w), scoreSource(file('small.py', 3), [finding('high')], w)], w);
    expect(ranked.map(r => [r.file, r.level])).toEqual([['small.py', 'high'], ['big.py', 'medium']]);
  });

  it('does not count a finding silenced with reldiff-ignore, but keeps its reason', () => {
    const item = scoreSource(file('small.py', 3), [finding('high', { ignored: 'bounded by the caller' })], w);
    expect(item.points).toBeLessThan(w.finding.high);
    expect(item.reasons.map(r => r.id)).toContain('finding-ignored');
  });

  it('weights direct over transitive, runtime over dev, and native install scripts high', () => {
    const score = (d: Partial<DependencyChange>): number => scoreDependency(dep(d), w).points;
    expect(score({ direct: true })).toBeGreaterThan(score({ direct: false }));
    expect(score({ dev: true })).toBeLessThan(score({}));
    expect(score({ change: 'major' })).toBeGreaterThan(score({ change: 'minor' }));
    expect(score({ signals: [{ id: 'native-added', detail: '' }] })).toBeGreaterThan(score({ change: 'major' }));
  });

  it('scores deleted cleanup code in a diff', () => {
    const hunks = [{ oldStart: 10, oldLines: 1, newStart: 10, newLines: 0, lines: ['-    emitter.removeListener("data", onData);'] }];
    const item = scoreSource(file('a.js', 0, { deletions: 1, hunks }), [], w);
    expect(item.reasons).toContainEqual({ id: 'src-removed-cleanup', args: { what: 'listener removal', line: 10 } });
  });

  it('ranks the commit with one strong change above the commit with many routine ones', () => {
    const commits: Commit[] = ['strong', 'many'].map(sha => ({ sha, parents: [], subject: sha, author: 'a', date: '2024-01-01T00:00:00Z' }));
    const items: ScoredItem[] = [{ id: 'leak', kind: 'source', points: 70, reasons: [], title: 'leak', commits: ['strong'] },
      ...Array.from({ length: 10 }, (_, i): ScoredItem => ({ id: `bump${i}`, kind: 'dependency', points: 20, reasons: [], title: 'b', commits: ['many'] }))];
    const risks = commitRisks(commits, rankItems(items, w), w);
    expect(risks.get('strong')).toBeGreaterThan(risks.get('many') ?? 1);
  });

  it('shares an item\'s risk among the commits that made it', () => {
    const commits: Commit[] = ['c1', 'c2', 'c3'].map(sha => ({ sha, parents: [], subject: sha, author: 'a', date: '2024-01-01T00:00:00Z' }));
    const ranked = rankItems([{ id: 'x', kind: 'source', points: 60, reasons: [], title: 'x', commits: ['c1', 'c2'] }], w);
    const risks = commitRisks(commits, ranked, w);
    expect(risks.get('c3')).toBe(0);
    expect(risks.get('c1')).toBe(risks.get('c2'));
    expect(risks.get('c1')).toBeGreaterThan(0);
  });

  it('property: the ranking holds each item exactly once, ranks 1..n, scores descending, independent of input order', () => {
    const arbItem = fc.record({ id: fc.string({ minLength: 1, maxLength: 6 }), points: fc.float({ min: 0, max: 500, noNaN: true }),
      kind: fc.constantFrom('source' as const, 'dependency' as const) });
    fc.assert(fc.property(fc.uniqueArray(arbItem, { selector: i => i.id, maxLength: 30 }), list => {
      const items: ScoredItem[] = list.map(i => ({ ...i, reasons: [], title: i.id, commits: [] }));
      const ranked = rankItems(items, w);
      expect(ranked.map(r => r.id).sort()).toEqual(items.map(i => i.id).sort());
      expect(ranked.map(r => r.rank)).toEqual(items.map((_, i) => i + 1));
      for (let i = 1; i < ranked.length; i++) expect((ranked[i - 1]?.score ?? 0) >= (ranked[i]?.score ?? 0)).toBe(true);
      expect(rankItems([...items].reverse(), w).map(r => r.id)).toEqual(ranked.map(r => r.id));
    }));
  });
});
