import fc from 'fast-check';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { parseUvLock } from './uv-lock.js';
import { readFixture } from '../../test/helpers/fixtures.js';

const read = (tag: string): string => readFixture(`uv-lock/pydantic__pydantic-ai@${tag}/uv.lock`);

interface RefPackage { name: string; version: string; source: Record<string, string> }
/**
 * Reference: smol-toml and plain counting. A "package" is one [[package]] table except the workspace's own
 * members ([manifest] members with an editable or virtual source), keyed by name + version.
 */
function referenceKeys(text: string): Set<string> {
  const doc = parse(text) as unknown as { package: RefPackage[]; manifest: { members: string[] } };
  const members = new Set(doc.manifest.members);
  const own = (p: RefPackage): boolean => members.has(p.name) && ('editable' in p.source || 'virtual' in p.source);
  return new Set(doc.package.filter(p => !own(p)).map(p => `${p.name}@${p.version}`));
}

function parsed(text: string) {
  const r = parseUvLock(text, 'uv.lock');
  if (!r.ok) throw new Error(r.error.message);
  return r.value.packages;
}
const keys = (text: string): Set<string> => new Set(parsed(text).map(p => `${p.name}@${p.version}`));
const minus = (a: Set<string>, b: Set<string>): string[] => [...a].filter(x => !b.has(x)).sort();

describe('uv.lock (pydantic-ai v1.74.0 -> v1.75.0, version 1 revision 3)', () => {
  it('counts the same packages as smol-toml', () => {
    for (const tag of ['v1.74.0', 'v1.75.0']) expect(keys(read(tag))).toEqual(referenceKeys(read(tag)));
    expect(parsed(read('v1.75.0'))).toHaveLength(420);
  });

  it('gives the same diff as the reference', () => {
    const [a, b] = [read('v1.74.0'), read('v1.75.0')];
    expect(minus(keys(b), keys(a))).toEqual(minus(referenceKeys(b), referenceKeys(a)));
    expect(minus(keys(a), keys(b))).toEqual(minus(referenceKeys(a), referenceKeys(b)));
    // Written down from the reference run: 421 -> 420, two versions added (google-auth, google-genai), three removed.
    expect(minus(referenceKeys(b), referenceKeys(a))).toEqual(['google-auth@2.49.1', 'google-genai@1.68.0']);
    expect(minus(referenceKeys(a), referenceKeys(b))).toHaveLength(3);
  });

  it('reads the same packages when wheel lines are formatted differently (the fast path and smol-toml agree)', () => {
    const text = read('v1.75.0');
    const reformatted = text.replace(/^ {4}\{ url = /gm, '    {url = ');
    expect(reformatted).not.toBe(text);
    expect(parsed(reformatted)).toEqual(parsed(text));
  });

  it('still rejects a broken wheel line, with its line number', () => {
    const lines = read('v1.75.0').split('\n');
    const i = lines.findIndex(l => l.startsWith('    { url = ') && l.includes('.whl"'));
    lines[i] = (lines[i] ?? '').replace('", hash', ' hash');
    const r = parseUvLock(lines.join('\n'), 'uv.lock');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.line).toBe(i + 1);
  });

  it('marks platform wheels native, direct deps of workspace members, and dev-group-only packages', () => {
    const by = new Map(parsed(read('v1.75.0')).map(p => [p.name, p]));
    expect(by.get('pydantic-core')?.facts.native).toBe(true);
    expect(by.get('accelerate')?.facts.native).toBeUndefined();
    expect(by.get('anthropic')?.direct).toBe(true);
    expect(by.get('accelerate')?.direct).toBe(false);
    expect(by.get('pytest')?.dev).toBe(true);
    expect(by.get('pydantic')?.dev).toBe(false);
    expect(by.has('pydantic-ai-slim')).toBe(false);
  });
});

const SMALL = `version = 1
revision = 2
requires-python = ">=3.12"

[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [
    { name = "numpy" },
    { name = "requests", extra = ["socks"] },
]

[package.dev-dependencies]
dev = [
    { name = "pytest" },
]

[[package]]
name = "certifi"
version = "2024.8.30"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/certifi-2024.8.30.tar.gz", hash = "sha256:aa", size = 1, upload-time = "2024-08-30T01:00:00Z" }
wheels = [
    { url = "https://files.pythonhosted.org/certifi-2024.8.30-py3-none-any.whl", hash = "sha256:bb", size = 2, upload-time = "2024-08-30T01:00:00Z" },
]

[[package]]
name = "numpy"
version = "2.1.0"
source = { registry = "https://pypi.org/simple" }
wheels = [
    { url = "https://files.pythonhosted.org/numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", hash = "sha256:cc", size = 3 },
]

[[package]]
name = "pytest"
version = "8.3.3"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "certifi" },
]

[[package]]
name = "requests"
version = "2.32.3"
source = { git = "https://github.com/psf/requests?rev=main#0e322af87745eff34caffe4df68456ebc20d9068" }
dependencies = [
    { name = "certifi" },
]
`;

describe('uv.lock edge cases', () => {
  it('reads a single project, git sources, dev groups and platform wheels', () => {
    const ps = parsed(SMALL);
    expect(ps.map(p => [p.name, p.version, p.direct, p.dev, p.facts.native ?? false])).toEqual([
      ['certifi', '2024.8.30', false, false, false],
      ['numpy', '2.1.0', true, false, true],
      ['pytest', '8.3.3', true, true, false],
      ['requests', '2.32.3', true, false, false],
    ]);
    expect(ps.find(p => p.name === 'requests')?.facts.resolved).toContain('#0e322af');
  });

  it('ignores revision and upload-time churn (property)', () => {
    const base = parsed(SMALL);
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.date({ min: new Date(2020, 0, 1), max: new Date(2030, 0, 1), noInvalidDate: true }),
      fc.boolean(), (revision, date, drop) => {
        let text = SMALL.replace('revision = 2', `revision = ${revision}`)
          .replace(/upload-time = "[^"]*"/g, `upload-time = "${date.toISOString()}"`);
        if (drop) text = text.replace(/, upload-time = "[^"]*"/g, '').replace(/revision = \d+\n/, '');
        expect(parsed(text)).toEqual(base);
      }));
  });

  it('gives the same packages whatever the order of [[package]] tables (property)', () => {
    const [head, ...blocks] = SMALL.split('\n[[package]]\n');
    fc.assert(fc.property(fc.shuffledSubarray(blocks, { minLength: blocks.length, maxLength: blocks.length }), order => {
      expect(parsed([head, ...order].join('\n[[package]]\n'))).toEqual(parsed(SMALL));
    }));
  });

  it('rejects an unknown lockfile version and broken TOML with a line', () => {
    const v2 = parseUvLock('version = 2\n', 'uv.lock');
    expect(v2.ok).toBe(false);
    const broken = parseUvLock('version = 1\n[[package]\nname = "x"\n', 'uv.lock');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.error.line).toBe(2);
  });
});

describe('uv.lock versions and shapes', () => {
  const lock = (head: string, pkg: string) => `${head}\nrequires-python = ">=3.9"\n\n[[package]]\nname = "a"\n${pkg}\n`;
  const REGISTRY = 'source = { registry = "https://pypi.org/simple" }';

  it.each([
    ['a number version', lock('version = 1\nrevision = 3', `version = 2\n${REGISTRY}`), /has "version" = a number \(2\) in "a", where a string is expected/, 6],
    ['a table version', lock('version = 1\nrevision = 3', `version = { x = 1 }\n${REGISTRY}`), /has "version" = a table or object in "a"/, 6],
    ['a source that is text', lock('version = 1', 'version = "1.0"\nsource = "pypi"'), /has "source" = a string \(pypi\) in "a", where a table is expected/, 5],
    ['a source value that is a number', lock('version = 1', 'version = "1.0"\nsource = { registry = 1 }'), /has "source\.registry" = a number \(1\) in "a"/, 5],
    ['an unknown version', lock('version = 2', `version = "1.0"\n${REGISTRY}`), /has version 2, which reldiff does not know/, 1],
    ['a version that is text', lock('version = "1"', `version = "1.0"\n${REGISTRY}`), /has version "1", which reldiff does not know/, 1],
    ['a revision that is text', lock('version = 1\nrevision = "3"', `version = "1.0"\n${REGISTRY}`), /has revision "3", which reldiff does not know/, 2],
  ])('refuses %s with the package or key and its line', (_what, text, message, line) => {
    const r = parseUvLock(text, 'uv.lock');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toMatch(message);
    expect(r.error.message).not.toMatch(/registry:|\[object Object\]/);
    expect(r.error.line).toBe(line);
  });

  it('says which versions it reads, and warns on a newer revision of version 1', () => {
    const r = parseUvLock(lock('version = 2', `version = "1.0"\n${REGISTRY}`), 'uv.lock');
    expect(!r.ok && r.error.hint).toMatch(/reldiff reads uv\.lock version 1 \(revisions 1 to 3\)/);
    const newer = parseUvLock(lock('version = 1\nrevision = 4', `version = "1.0"\n${REGISTRY}`), 'uv.lock');
    expect(newer.ok && newer.warnings).toEqual(['uv.lock: uv.lock revision 4 is newer than reldiff knows (1 to 3); read with the revision 3 rules']);
    expect(newer.ok && newer.value.packages.map(p => p.version)).toEqual(['1.0']);
  });

  it('walks a project with 200,000 dependencies (no spread of the edge list into push)', () => {
    const names = Array.from({ length: 200_000 }, (_, i) => `p${i}`);
    const text = [
      'version = 1', 'revision = 3', 'requires-python = ">=3.9"', '', '[[package]]', 'name = "app"', 'version = "0"', 'source = { virtual = "." }',
      `dependencies = [${names.map(n => `{ name = "${n}" }`).join(', ')}]`, '',
      ...names.flatMap(n => ['[[package]]', `name = "${n}"`, 'version = "1.0"', `${REGISTRY}`, '']),
    ].join('\n');
    const r = parseUvLock(text, 'uv.lock');
    expect(r.ok ? r.value.packages.length : r.error.message).toBe(200_000);
    expect(r.ok && r.value.packages.every(p => p.direct && !p.dev)).toBe(true);
  }, 60_000);
});
