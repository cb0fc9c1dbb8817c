import { describe, expect, it } from 'vitest';
import type { SourceInput } from '../types.js';
import { memoryQuotes, sectionBetween } from './changelog.js';
import { deepScan, fileChange } from './deep-scan.js';
import type { PackageTree } from './tarball.js';

const tree = (files: Record<string, string>): PackageTree => ({
  files: new Map(Object.entries(files)), sizes: new Map(Object.entries(files).map(([p, t]) => [p, t.length])), refused: [],
});

describe('fileChange', () => {
  it('turns a diff into added and removed line ranges', () => {
    const change = fileChange('a.js', 'a\nb\nc\n', 'a\nB\nc\nd\ne\n');
    expect(change?.added).toEqual([{ start: 2, end: 2 }, { start: 4, end: 5 }]);
    expect(change?.removed).toEqual([{ start: 2, end: 2 }]);
    expect([change?.additions, change?.deletions, change?.status]).toEqual([3, 1, 'modified']);
    expect(fileChange('n.js', undefined, 'x\ny\n')?.added).toEqual([{ start: 1, end: 2 }]);
  });
});

describe('deepScan', () => {
  const before = tree({ 'package.json': '{}', 'lib/cache.js': 'const a = 1;\n', 'CHANGELOG.md': '## 0.32.6\n- initial\n' });
  const after = tree({
    'package.json': '{}', 'lib/cache.js': 'const a = 1;\nconst cache = new Map();\n', 'lib/new.js': 'x\n', 'index.d.ts': 'declare const x: 1;\n',
    'build/Release/sharp.node': 'ELF', 'CHANGELOG.md': '## 0.33.1\n- Fix memory leak when a pipeline errors\n- Docs typo\n## 0.32.6\n- initial\n',
  });

  it('runs the rules over the package\'s added lines and quotes the changelog', async () => {
    const seen: SourceInput[] = [];
    const result = await deepScan('sharp', '0.32.6', '0.33.1', before, after, async inputs => {
      seen.push(...inputs);
      return { findings: [{ rule: 'unbounded-cache', severity: 'high', file: 'sharp@0.33.1/lib/cache.js', line: 2, message: 'Map grows forever', commits: [] }], warnings: [] };
    });
    expect(seen.map(i => [i.path, i.change.added])).toEqual([
      ['sharp@0.33.1/lib/cache.js', [{ start: 2, end: 2 }]], ['sharp@0.33.1/lib/new.js', [{ start: 1, end: 1 }]],
    ]);
    expect(result.signals).toEqual([
      { id: 'deep-scan', detail: 'inside sharp 0.32.6 -> 0.33.1: 1 finding (unbounded-cache at lib/cache.js:2: Map grows forever)' },
      { id: 'changelog-memory', detail: 'CHANGELOG.md of sharp between 0.32.6 and 0.33.1: "Fix memory leak when a pipeline errors"' },
      { id: 'native-added', detail: 'the 0.33.1 tarball contains build/Release/sharp.node' },
    ]);
  });

  it('adds no deep-scan signal when the rules find nothing', async () => {
    const result = await deepScan('sharp', '0.32.6', '0.33.1', before, before, async () => ({ findings: [], warnings: [] }));
    expect(result.signals).toEqual([]);
  });
});

describe('changelog', () => {
  it('takes the sections from the new version down to the old one', () => {
    const text = '# Changelog\n## v2.0.0\n- Listener removed on close\n## 1.5.0\n- cache is now bounded\n## 1.4.0\n- fix timer leak\n';
    expect(memoryQuotes(sectionBetween(text, '1.4.0', '2.0.0'))).toEqual(['Listener removed on close', 'cache is now bounded']);
    expect(sectionBetween(text, '1.4.0', '9.9.9')).toEqual([]);
  });
});
