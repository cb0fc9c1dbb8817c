import { describe, expect, it } from 'vitest';
import type { SourceInput } from '../types.js';
import { changelogEntries, memoryQuotes, sectionBetween } from './changelog.js';
import { changedSources, deepScan, fileChange, isBundle } from './deep-scan.js';
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

  it('finds a few edits in a large file, and gives up on a rewrite', () => {
    const old = Array.from({ length: 40_000 }, (_, i) => `  x${i}();`).join('\n');
    const edited = old.split('\n').map((l, i) => (i === 10 || i === 30_000 ? `${l} cache.set(k, v);` : l)).join('\n');
    const change = fileChange('big.js', old, edited);
    expect(change?.added).toEqual([{ start: 11, end: 11 }, { start: 30_001, end: 30_001 }]);
    expect([change?.additions, change?.deletions]).toEqual([2, 2]);
    expect(fileChange('big.js', old, old.replaceAll('x', 'y'))).toBeUndefined();
  });
});

describe('bundles told by content', () => {
  const handWritten = Array.from({ length: 2_000 }, (_, i) => `export function f${i}(x) {\n  return x + ${i};\n}`).join('\n');
  const minified = Array.from({ length: 40 }, (_, i) => `function f${i}(x){return x+${i}}`.repeat(200)).join('\n');
  it('are long lines with few newlines, whatever the name', () => {
    expect(isBundle(handWritten)).toBe(false);
    expect(isBundle(minified)).toBe(true);
    expect(isBundle(`${handWritten}\n${'a'.repeat(30_000)}`)).toBe(true); // one inlined blob of 30 KB
    expect(isBundle('x'.repeat(1000))).toBe(false); // small files are read as they are
  });

  it('are not diffed or checked, and the package line says how many were left', async () => {
    const before = tree({ 'lib/index.js': 'a\n', 'dist/index.js': minified.replaceAll('x+', 'x-') });
    const after = tree({ 'lib/index.js': 'a\nb\n', 'dist/index.js': minified });
    const bundles: string[] = [];
    expect(changedSources('p', '2.0.0', before, after, bundles).map(i => i.path)).toEqual(['p@2.0.0/lib/index.js']);
    expect(bundles).toEqual(['dist/index.js']);
    const result = await deepScan('p', '1.0.0', '2.0.0', before, after, async () => ({ findings: [], warnings: [] }));
    expect(result.warnings).toEqual(['inside p 2.0.0: 1 file not checked (minified, binary or over 1 MB)']);
    const onlyBundle = await deepScan('p', '1.0.0', '2.0.0', tree({ 'dist/index.js': 'x' }), tree({ 'dist/index.js': minified }), async () => ({ findings: [], warnings: [] }));
    expect([onlyBundle.inputs, onlyBundle.warnings]).toEqual([0, ['inside p 2.0.0: 1 file not checked (minified, binary or over 1 MB)']]);
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
  it('reads a rewritten changelog as the lines the old one lacked', () => {
    const old = Array.from({ length: 15_000 }, (_, i) => `- fix ${i}`).join('\n');
    const rewritten = `## 2.0.0\n* Fix a memory leak in the pool\n${Array.from({ length: 15_000 }, (_, i) => `* fix ${i}`).join('\n')}\n- fix 3\n`;
    const entries = changelogEntries(tree({ 'CHANGELOG.md': old }), tree({ 'CHANGELOG.md': rewritten }), '1.0.0', '2.0.0');
    expect(entries?.lines.slice(0, 2)).toEqual(['## 2.0.0', '* Fix a memory leak in the pool']);
    expect(entries?.lines).not.toContain('- fix 3');
    expect(memoryQuotes(entries?.lines ?? [])).toEqual(['Fix a memory leak in the pool']);
  });

  it('takes the sections from the new version down to the old one', () => {
    const text = '# Changelog\n## v2.0.0\n- Listener removed on close\n## 1.5.0\n- cache is now bounded\n## 1.4.0\n- fix timer leak\n';
    expect(memoryQuotes(sectionBetween(text, '1.4.0', '2.0.0'))).toEqual(['Listener removed on close', 'cache is now bounded']);
    expect(sectionBetween(text, '1.4.0', '9.9.9')).toEqual([]);
  });
});
