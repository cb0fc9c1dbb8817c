import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePipfileLock } from './pipfile-lock.js';
import { readFixture } from '../../test/helpers/fixtures.js';

const read = (tag: string): string => readFixture(`pipfile-lock/paperless-ngx__paperless-ngx@${tag}/Pipfile.lock`);

type Section = Record<string, { version: string }>;
/**
 * Reference: JSON.parse. A "package" is a distinct (PEP 503 name, version) over every category: "default",
 * "develop" and custom ones (paperless-ngx v2.14.0 has "typing-dev").
 */
function referenceKeys(text: string): Set<string> {
  const lock = JSON.parse(text) as Record<string, Section>;
  const out = new Set<string>();
  for (const section of Object.entries(lock).filter(([key]) => key !== '_meta').map(([, value]) => value)) {
    for (const [name, e] of Object.entries(section)) out.add(`${name.toLowerCase().replace(/[-_.]+/g, '-')}@${e.version.replace(/^==/, '')}`);
  }
  return out;
}
function parsed(text: string) {
  const r = parsePipfileLock(text, 'Pipfile.lock');
  if (!r.ok) throw new Error(r.error.message);
  return r.value.packages;
}
const keys = (text: string): Set<string> => new Set(parsed(text).map(p => `${p.name}@${p.version}`));
const minus = (a: Set<string>, b: Set<string>): string[] => [...a].filter(x => !b.has(x)).sort();

describe('Pipfile.lock (paperless-ngx v2.13.5 -> v2.14.0)', () => {
  it('counts the same packages as JSON.parse', () => {
    for (const tag of ['v2.13.5', 'v2.14.0']) {
      expect(keys(read(tag))).toEqual(referenceKeys(read(tag)));
      expect(parsed(read(tag))).toHaveLength(referenceKeys(read(tag)).size);
    }
  });

  it('gives the same diff as the reference', () => {
    const [a, b] = [read('v2.13.5'), read('v2.14.0')];
    expect(minus(keys(b), keys(a))).toEqual(minus(referenceKeys(b), referenceKeys(a)));
    expect(minus(keys(a), keys(b))).toEqual(minus(referenceKeys(a), referenceKeys(b)));
    // Written down from the reference run over every category (typing-dev included; 182 -> 193 over default and
    // develop only): 205 -> 222 packages, 89 versions added.
    expect([referenceKeys(a).size, referenceKeys(b).size, minus(referenceKeys(b), referenceKeys(a)).length]).toEqual([205, 222, 89]);
  });

  it('marks develop-only packages dev and keeps both versions when the sections disagree', () => {
    const ps = parsed(read('v2.14.0'));
    const anyio = ps.filter(p => p.name === 'anyio');
    expect(anyio.map(p => [p.version, p.dev])).toEqual([['4.6.2.post1', true], ['4.7.0', false]]);
    expect(ps.find(p => p.name === 'pytest')?.dev).toBe(true);
  });
});

describe('Pipfile.lock edge cases', () => {
  const lock = (develop: object) => JSON.stringify({ _meta: { 'pipfile-spec': 6 }, default: {
    'Flask_Login': { version: '==0.6.3', hashes: [] },
    mylib: { git: 'https://github.com/example/mylib.git', ref: 'abc123', editable: true },
  }, develop });

  it('reads every custom category (pipenv [typing-dev] and the like) as development', () => {
    const lock = JSON.stringify({ _meta: { 'pipfile-spec': 6 }, default: { flask: { version: '==3.0.0' } }, develop: { pytest: { version: '==8.0.0' } },
      'typing-dev': { mypy: { version: '==1.8.0' }, flask: { version: '==3.0.0' } }, docs: { sphinx: { version: '==7.2.6' } } });
    const packages = parsed(lock);
    expect(packages.map(p => [p.name, p.version, p.dev])).toEqual([['flask', '3.0.0', false], ['mypy', '1.8.0', true], ['pytest', '8.0.0', true], ['sphinx', '7.2.6', true]]);
  });

  it('reads git entries and normalises names', () => {
    expect(parsed(lock({ 'flask-login': { version: '==0.6.3' } }))).toEqual([
      { name: 'flask-login', version: '0.6.3', direct: false, dev: false, facts: {} },
      { name: 'mylib', version: 'https://github.com/example/mylib.git@abc123', direct: false, dev: false,
        facts: { resolved: 'https://github.com/example/mylib.git' } },
    ]);
  });

  it('rejects broken JSON with a line, and entries without a version', () => {
    const r = parsePipfileLock('{\n  "default": {\n    "a": {,}\n  }\n}', 'Pipfile.lock');
    expect(r.ok).toBe(false);
    if (!r.ok) { expect(r.error.line).toBe(3); expect(r.error.message).toContain('pipfile-lock'); }
    expect(parsePipfileLock(JSON.stringify({ default: { a: { hashes: [] } } }), 'Pipfile.lock').ok).toBe(false);
  });

  it('gives the same set whatever the key order (property)', () => {
    const entries = Object.entries({ a: { version: '==1' }, b: { version: '==2' }, c: { version: '==3' }, d: { version: '==4' } });
    fc.assert(fc.property(fc.shuffledSubarray(entries, { minLength: 4, maxLength: 4 }), order => {
      expect(parsed(JSON.stringify({ default: Object.fromEntries(order) }))).toEqual(parsed(JSON.stringify({ default: Object.fromEntries(entries) })));
    }));
  });
});
