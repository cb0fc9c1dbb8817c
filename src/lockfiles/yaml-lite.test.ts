import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseYamlDocs, type YamlValue } from './yaml-lite.js';
import { readFixture } from '../../test/helpers/fixtures.js';

const files = [
  'pnpm-lock-v9/pnpm__pnpm@v11.21.0/pnpm-lock.yaml',
  'pnpm-lock-v6/pnpm__pnpm@v8.15.0/pnpm-lock.yaml',
  'yarn-berry/medusajs__medusa@v1.20.3/yarn.lock',
];

// The `yaml` package is the reference: the subset reader must give the same tree, scalars as strings.
function reference(text: string): YamlValue[] {
  const toStrings = (v: unknown): YamlValue => {
    if (v === null || v === undefined) return '';
    if (Array.isArray(v)) return v.map(toStrings);
    if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toStrings(x)]));
    return String(v);
  };
  return parseAllDocuments(text, { uniqueKeys: false }).map(d => toStrings(d.toJS({ maxAliasCount: -1 })));
}
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('yaml-lite', () => {
  it.each(files)('reads %s exactly as the yaml package does', file => {
    const text = readFixture(file);
    const mine = parseYamlDocs(text);
    expect(mine.ok && !mine.isFallback).toBe(true);
    if (mine.ok) expect(plain(mine.docs)).toEqual(reference(text));
  });

  it('reads compact and indented sequences, flow collections and quotes', () => {
    const text = [
      'a:', '- x', "- 'y''s'", 'b:', '  c: {integrity: sha1-x, tarball: https://r.io/a.tgz}', '  d: [arm64, x64]',
      '  e: "q\\"uoted" # comment', '  f:', '    - g: 1', '      h: 2', '  i: {}', 'j:', 'k: ~',
    ].join('\n');
    const r = parseYamlDocs(text);
    expect(r.ok && plain(r.docs)).toEqual([{
      a: ['x', "y's"], b: { c: { integrity: 'sha1-x', tarball: 'https://r.io/a.tgz' }, d: ['arm64', 'x64'], e: 'q"uoted',
        f: [{ g: '1', h: '2' }], i: {} }, j: '', k: '',
    }]);
    expect(plain(r.ok && r.docs)).toEqual(reference(text));
    expect(r.ok && r.isFallback).toBeFalsy();
  });

  it('falls back to the full parser for anchors and block scalars', () => {
    const r = parseYamlDocs('a: &x\n  b: 1\nc: *x\nd: |\n  line\n');
    expect(r.ok && plain(r.docs)).toEqual([{ a: { b: '1' }, c: { b: '1' }, d: 'line\n' }]);
    expect(r.ok && r.isFallback).toBe(true);
  });

  it('reports the line of malformed YAML', () => {
    const r = parseYamlDocs('a:\n  b: 1\n c: [unclosed\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.line).toBeGreaterThanOrEqual(2);
  });

  it('keeps __proto__ as a plain key', () => {
    const r = parseYamlDocs('__proto__:\n  polluted: yes\n');
    expect(r.ok && Object.keys(r.docs[0]!)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('yaml-lite fallback limits', () => {
  it('expands more aliases than the yaml package allows by default', () => {
    const text = `base: &b {integrity: x}\n${Array.from({ length: 500 }, (_, i) => `k${i}: *b`).join('\n')}\n`;
    const r = parseYamlDocs(text);
    expect(r.ok && r.isFallback).toBe(true);
    expect(r.ok && Object.keys(r.docs[0]!).length).toBe(501);
  });

  it('keeps the last of duplicate keys instead of failing', () => {
    const r = parseYamlDocs('a: 1\na: 2\n');
    expect(r.ok && r.docs[0]!['a']).toBe('2');
  });
});

describe('yaml-lite keep hint', () => {
  it('steps over skipped blocks, compact sequences and inline values, and keeps the rest', () => {
    const text = [
      'a:', '  keep: 1', '  drop:', '    deep: {x: 1}', '    deeper:', '    - 1', '  drop2:', '  - x', '  - y', '  keep2: [1]',
      '  drop3: {bad', 'list:', '- name: n', '  drop: 1', '  drop4:', '    z: 1', '- name: m', 'b: 2',
    ].join('\n');
    const r = parseYamlDocs(text, (_depth, key) => !key.startsWith('drop'));
    expect(r.ok && !r.isFallback && plain(r.docs)).toEqual([{ a: { keep: '1', keep2: ['1'] }, list: [{ name: 'n' }, { name: 'm' }], b: '2' }]);
  });
});

describe('yaml-lite alias bomb', () => {
  // A "billion laughs": nine levels of nine aliases, about 1 KB that toJS would expand to 9^9 nodes.
  const bomb = (top: string, indent = '  '): string => {
    const lines = [`${top}`, `${indent}a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`];
    const names = 'abcdefghi';
    for (let i = 1; i < names.length; i++) {
      const prev = names[i - 1]!;
      lines.push(`${indent}${names[i]}: &${names[i]} [${Array.from({ length: 9 }, () => `*${prev}`).join(',')}]`);
    }
    return `${lines.join('\n')}\n`;
  };

  it('refuses nested anchors quickly, with the line of the alias, instead of expanding them', () => {
    const text = bomb('lockfileVersion: "9.0"\nx:');
    expect(text.length).toBeLessThan(1024);
    // Expanding them would build 10^9 nodes and outlast the test's timeout; the suite asserts no timings.
    const r = parseYamlDocs(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toMatch(/aliases expand to more than 1,000,000 nodes/);
      expect(r.line).toBeGreaterThan(2);
    }
  });

  it('refuses an alias bomb in a pnpm-lock.yaml and a berry yarn.lock with one line and the fix', async () => {
    const { parsePnpmLock } = await import('./pnpm-lock.js');
    const { parseYarnBerry } = await import('./yarn-berry.js');
    const pnpm = parsePnpmLock(bomb("lockfileVersion: '9.0'\npackages:\n  x@1.0.0:\n    resolution: {integrity: x}\n    z:"), 'pnpm-lock.yaml');
    expect(!pnpm.ok && pnpm.error.message).toMatch(/^pnpm-lock\.yaml:\d+ \(pnpm-lock\) is not valid YAML \(YAML aliases expand/);
    expect(!pnpm.ok && pnpm.error.hint).toMatch(/pnpm install/);
    const berry = parseYarnBerry(bomb('__metadata:\n  version: 8\n"a@npm:1":\n  version: 1.0.0\n  resolution: "a@npm:1.0.0"', ''), 'yarn.lock');
    expect(!berry.ok && berry.error.message).toMatch(/^yarn\.lock:\d+ \(yarn-berry\) is not valid YAML \(YAML aliases expand/);
    expect(!berry.ok && berry.error.message).not.toMatch(/\n/);
  });

  it('refuses an alias inside the node it names', () => {
    const r = parseYamlDocs('a: &x\n  b: *x\n');
    expect(r.ok).toBe(false);
  });
});
