import { describe, expect, it } from 'vitest';
import type { Report, ReportRankingItem } from '../report/model.js';
import { applyEvidence, parseEvidence } from './index.js';
import { packageOfPath } from './match.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

function item(rank: number, partial: Partial<ReportRankingItem> & Pick<ReportRankingItem, 'id' | 'title'>): ReportRankingItem {
  return { rank, kind: 'source', score: 0.5 - rank * 0.05, level: 'medium', reasons: [], commits: [], ...partial };
}

const report: Report = {
  schemaVersion: 1, tool: { name: 'reldiff', version: '0.0.0' },
  from: { ref: 'v1', commit: '0'.repeat(40) }, to: { ref: 'v2', commit: C },
  commits: [A, B, C].map(sha => ({ sha, subject: sha.slice(0, 1), author: 't', date: '2024-01-01T00:00:00Z', risk: 0.2 })),
  dependencies: [],
  findings: [{ rule: 'module-level-exception-instance', severity: 'high', file: 'app/errors.py', line: 4, message: 'IMAGE_FORMAT_ERROR is created once', commits: [A] }],
  ranking: [
    item(1, { id: 'source:app/cache.py', title: 'app/cache.py', file: 'app/cache.py', reasons: ['adds module-level state'], commits: [B] }),
    item(2, { id: 'dependency:npm:sharp', kind: 'dependency', title: 'sharp 0.32.6 → 0.33.1', dependency: { ecosystem: 'npm', name: 'sharp', lockfile: 'package-lock.json' }, commits: [C] }),
    item(3, { id: 'source:web/gallery.js', title: 'web/gallery.js', file: 'web/gallery.js', reasons: ['defines class ImageCache, kept in a module-level Map'], commits: [C] }),
    item(4, { id: 'dependency:pypi:pytz', kind: 'dependency', title: 'pytz 2023.3 → 2024.1', dependency: { ecosystem: 'pypi', name: 'pytz', lockfile: 'requirements.txt' }, commits: [B] }),
    item(5, { id: 'source:app/errors.py', title: 'app/errors.py', file: 'app/errors.py', score: 0.2, level: 'low', reasons: ['IMAGE_FORMAT_ERROR is created once'], commits: [A] }),
  ],
  bisect: { testFirst: [], commands: [] }, warnings: [],
};

const TRACEMALLOC = `[ Top 10 differences ]
/srv/app/app/errors.py:5: size=24.3 MiB (+24.3 MiB), count=310 (+310), average=80.3 KiB
/usr/local/lib/python3.11/site-packages/pytz/__init__.py:48: size=512 KiB (+12.0 KiB), count=41 (+2), average=12.5 KiB
/usr/local/lib/python3.11/linecache.py:137: size=380 KiB (+0 B), count=3712 (+0), average=105 B
`;

const OBJGRAPH = `dict                           52187     +1203
function                       43911      +602
tuple                          30123      +598
traceback                        604      +604
`;

const PYMPLER = `                       types |   # objects |   total size
============================ | =========== | ============
                        dict |        1203 |    263.06 KB
                       frame |         604 |     99.08 KB
                   traceback |         604 |     37.75 KB
`;

const MEMLAB = `--Similar leaks in this run: 4--
--Retained size of leaked objects: 8.3MB--
[Window](native) @35847 [8.3MB]
  --20 (element)--->  [InternalNode](native) @216022 [8.3MB]
  --leakedObjects (property)--->  [Array](object) @182929 [8.3MB]
  --0 (element)--->  [ImageCache](object) @182931 [8.3MB]
`;

describe('parseEvidence', () => {
  it('detects each tool by content', () => {
    expect(parseEvidence(TRACEMALLOC).kind).toBe('tracemalloc');
    expect(parseEvidence(OBJGRAPH).kind).toBe('objgraph');
    expect(parseEvidence(`[('dict', 52187, 1203), ('ImageCache', 40, 40)]`).entries.map(e => e.typeName)).toEqual(['dict', 'ImageCache']);
    expect(parseEvidence(PYMPLER).kind).toBe('pympler');
    expect(parseEvidence(MEMLAB).kind).toBe('memlab');
    expect(() => parseEvidence('hello\nworld\n')).toThrow(/not output of a memory tool/);
  });
  it('keeps only growth, largest first', () => {
    const { entries } = parseEvidence(TRACEMALLOC);
    expect(entries.map(e => [e.file, e.line])).toEqual([['/srv/app/app/errors.py', 5], ['/usr/local/lib/python3.11/site-packages/pytz/__init__.py', 48]]);
  });
});

describe('tracemalloc tracebacks', () => {
  it('attributes a statistic to every frame of its traceback', () => {
    const text = `/usr/lib/python3.11/site-packages/PIL/Image.py:3100: size=12.0 MiB (+12.0 MiB), count=150 (+150), average=82 KiB
  File "/srv/app/app/errors.py", line 9
    raise IMAGE_FORMAT_ERROR
  File "/usr/lib/python3.11/site-packages/PIL/Image.py", line 3100
`;
    const { report: out } = applyEvidence(report, text);
    expect(out.ranking[0]?.id).toBe('source:app/errors.py');
    expect(out.ranking[0]?.reasons[0]).toContain('<- File "/srv/app/app/errors.py", line 9');
    expect(parseEvidence(text).entries.map(e => e.line)).toEqual([3100, 9, 3100]);
  });
});

describe('packageOfPath', () => {
  it('maps install folders to packages', () => {
    expect(packageOfPath('/app/node_modules/a/node_modules/@img/sharp-linux/lib/x.js')).toEqual({ ecosystem: 'npm', name: '@img/sharp-linux' });
    expect(packageOfPath('/usr/lib/python3/dist-packages/PIL/Image.py')).toEqual({ ecosystem: 'pypi', name: 'pillow' });
    expect(packageOfPath('/venv/lib/python3.11/site-packages/six.py')).toEqual({ ecosystem: 'pypi', name: 'six' });
    expect(packageOfPath('app/errors.py')).toBeUndefined();
  });
});

describe('applyEvidence', () => {
  it('raises the file and package that tracemalloc points at, quoting the line', () => {
    const { report: out, warnings } = applyEvidence(report, TRACEMALLOC);
    expect(out.ranking[0]?.id).toBe('source:app/errors.py');
    expect(out.ranking[0]?.reasons[0]).toMatch(/^runtime evidence \(tracemalloc\): line 5, next to the module-level-exception-instance finding at line 4: "\/srv\/app\/app\/errors.py:5: size=24.3 MiB/);
    expect(out.ranking.find(i => i.id === 'dependency:pypi:pytz')?.score).toBeGreaterThan(0.3);
    expect(out.ranking.map(i => i.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(out.commits.find(c => c.sha === A)?.risk).toBeGreaterThan(0.2);
    expect(warnings).toEqual([]);
  });
  it('ties growing tracebacks (objgraph, pympler) to a long-lived exception, and says what matched nothing', () => {
    for (const text of [OBJGRAPH, PYMPLER]) {
      const { report: out, warnings } = applyEvidence(report, text);
      // An inference is weaker than a file match: the item rises (5th -> 3rd), it does not jump to the top.
      const raised = out.ranking.find(i => i.id === 'source:app/errors.py');
      expect(raised?.rank).toBe(3);
      expect(raised?.reasons[0]).toMatch(/growing (traceback|frame) objects are what a long-lived exception keeps alive/);
      expect(warnings[0]).toMatch(/entries matched nothing in the diff/);
    }
  });
  it('finds a growing type where the diff defines or allocates it, even when no reason names it', () => {
    const growth = 'Svc                              1203      +1203\nSession                           400       +400\n';
    const added = new Map([['app/cache.py', ['class Svc:', '    pass']], ['web/gallery.js', ['const s = new Session(req);']]]);
    const { report: out } = applyEvidence(report, growth, undefined, added);
    expect(out.ranking.find(i => i.id === 'source:app/cache.py')?.reasons[0]).toMatch(/the change defines Svc/);
    expect(out.ranking.find(i => i.id === 'source:web/gallery.js')?.reasons[0]).toMatch(/the change allocates Session/);
    const without = applyEvidence(report, growth);
    expect(without.warnings[0]).toMatch(/nothing in it matched the diff/);
  });

  it('matches a memlab leaked type to the change that names it', () => {
    const { report: out } = applyEvidence(report, MEMLAB);
    expect(out.ranking[0]?.id).toBe('source:web/gallery.js');
    expect(out.ranking[0]?.reasons[0]).toContain('the change names ImageCache');
  });
  it('leaves the ranking alone and says so when nothing matched', () => {
    const unrelated = '/usr/lib/python3.11/json/decoder.py:353: size=1.2 MiB (+1.2 MiB), count=9000 (+9000), average=140 B\n';
    const { report: out, warnings } = applyEvidence(report, unrelated);
    expect(out).toBe(report);
    expect(warnings).toEqual(['evidence (tracemalloc): nothing in it matched the diff (1 entries, largest: /usr/lib/python3.11/json/decoder.py:353); the ranking is unchanged']);
  });
});
