import { describe, expect, it } from 'vitest';
import type { DependencySet, Parsed } from '../types.js';
import { parseCargoLock } from './cargo-lock.js';
import { parseCondaLock } from './conda-lock.js';
import { parseNpmLs } from './npm-ls.js';
import { parsePdmLock } from './pdm-lock.js';
import { parsePipfileLock } from './pipfile-lock.js';
import { parsePixiLock } from './pixi-lock.js';
import { parsePoetryLock } from './poetry-lock.js';
import { parsePylock } from './pylock.js';
import { readDependencySet } from './read.js';
import { shapeProblem } from './util.js';

// Issue 12, items 9 and 15: a number or a table where a string belongs, and a lockfile version no one wrote, are
// refused with the key (and line where there is one), never read into `[object Object]` or a wrong version.

type Parse = (text: string, path: string) => Parsed<DependencySet>;
const pipfile = (meta: unknown, entry: unknown) => JSON.stringify({ _meta: meta, default: { flask: entry } }, null, 2);

const refused: [string, Parse, string, string, RegExp, number | undefined][] = [
  ['poetry: a number version', parsePoetryLock, 'poetry.lock', '[[package]]\nname = "a"\nversion = 1\n', /has "version" = a number \(1\) in "a", where a string is expected \(\[\[package\]\] number 1\)/, 2],
  ['poetry: a table name', parsePoetryLock, 'poetry.lock', '[[package]]\nname = { x = 1 }\nversion = "1"\n', /has "name" = a table or object/, undefined],
  ['poetry: lock-version 3.0', parsePoetryLock, 'poetry.lock', '[[package]]\nname = "a"\nversion = "1"\n\n[metadata]\nlock-version = "3.0"\n', /has \[metadata\] lock-version "3\.0", which reldiff does not know/, 6],
  ['poetry: a number lock-version', parsePoetryLock, 'poetry.lock', '[metadata]\nlock-version = 2\n', /has \[metadata\] lock-version 2, which reldiff does not know/, 2],
  ['Pipfile.lock: a number version', parsePipfileLock, 'Pipfile.lock', pipfile({ 'pipfile-spec': 6 }, { version: 1 }), /has "version" = a number \(1\) in "flask", where a string is expected \(in "default"\)/, 6],
  ['Pipfile.lock: a number git', parsePipfileLock, 'Pipfile.lock', pipfile({ 'pipfile-spec': 6 }, { version: '==1', git: 5 }), /has "git" = a number \(5\) in "flask"/, 6],
  ['Pipfile.lock: pipfile-spec 7', parsePipfileLock, 'Pipfile.lock', pipfile({ 'pipfile-spec': 7 }, { version: '==1' }), /has _meta\.pipfile-spec 7, which reldiff does not know/, 3],
  ['Pipfile.lock: pipfile-spec "6"', parsePipfileLock, 'Pipfile.lock', pipfile({ 'pipfile-spec': '6' }, { version: '==1' }), /has _meta\.pipfile-spec "6"/, 3],
  ['Pipfile.lock: _meta a list', parsePipfileLock, 'Pipfile.lock', pipfile([6], { version: '==1' }), /has "_meta" = a list, where an object is expected/, 2],
  ['pdm: a number version', parsePdmLock, 'pdm.lock', '[metadata]\nlock_version = "4.4"\n\n[[package]]\nname = "a"\nversion = 1\n', /has "version" = a number \(1\) in "a"/, 5],
  ['pdm: lock_version 9.0', parsePdmLock, 'pdm.lock', '[metadata]\nlock_version = "9.0"\n\n[[package]]\nname = "a"\nversion = "1"\n', /has \[metadata\] lock_version "9\.0", which reldiff does not know/, 2],
  ['Cargo.lock: a number source', parseCargoLock, 'Cargo.lock', 'version = 3\n\n[[package]]\nname = "a"\nversion = "1.0.0"\nsource = 5\n', /has "source" = a number \(5\) in "a"/, 4],
  ['Cargo.lock: a number version', parseCargoLock, 'Cargo.lock', 'version = 3\n\n[[package]]\nname = "a"\nversion = 1\nsource = "registry+x"\n', /has "version" = a number \(1\) in "a"/, 4],
  ['pylock: a number version', parsePylock, 'pylock.toml', 'lock-version = "1.0"\n\n[[packages]]\nname = "a"\nversion = 1\n', /has "version" = a number \(1\) in "a"/, 4],
  ['npm ls: a number version', parseNpmLs, 'npm-ls.json', '{\n  "dependencies": {\n    "a": { "version": 1 }\n  }\n}', /has "version" = a number \(1\) in "a", where a string is expected/, 3],
  ['npm ls: a dependency that is a number', parseNpmLs, 'npm-ls.json', '{\n  "dependencies": {\n    "a": 5\n  }\n}', /has "a" = a number \(5\), where an object is expected/, 3],
];

describe('every parser checks the shape of what it reads', () => {
  it.each(refused)('refuses %s, with the key and line', (_what, parse, path, text, message, line) => {
    const r = parse(text, path);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toMatch(message);
    expect(r.error.message).not.toMatch(/\n|\[object Object\]/);
    expect(r.error.line).toBe(line);
    expect(r.error.hint).not.toBe('');
  });

  it('says which versions a parser reads when it refuses one', () => {
    const hint = (r: Parsed<DependencySet>): string => (r.ok ? '' : r.error.hint);
    expect(hint(parsePoetryLock('[metadata]\nlock-version = "3.0"\n', 'poetry.lock'))).toMatch(/reldiff reads poetry\.lock lock-version 1\.x and 2\.x/);
    expect(hint(parsePipfileLock(pipfile({ 'pipfile-spec': 7 }, { version: '==1' }), 'Pipfile.lock'))).toMatch(/reldiff reads Pipfile\.lock pipfile-spec 6/);
    expect(hint(parsePdmLock('[metadata]\nlock_version = "9.0"\n', 'pdm.lock'))).toMatch(/reldiff reads pdm\.lock lock_version 3\.x and 4\.x/);
  });

  it('still reads every known version', () => {
    for (const v of ['1.0', '1.1', '2.0', '2.1']) expect(parsePoetryLock(`[[package]]\nname = "a"\nversion = "1"\n\n[metadata]\nlock-version = "${v}"\n`, 'poetry.lock').ok).toBe(true);
    expect(parsePipfileLock(pipfile({ 'pipfile-spec': 6 }, { version: '==1' }), 'Pipfile.lock').ok).toBe(true);
    for (const v of ['3.1', '4.0', '4.4.1', '4.5.0']) expect(parsePdmLock(`[metadata]\nlock_version = "${v}"\n`, 'pdm.lock').ok).toBe(true);
  });

  it('keeps YAML versions as written: conda-lock and pixi read 1.10 as 1.10, not the number 1.1', () => {
    const conda = parseCondaLock('version: 1\nmetadata: {}\npackage:\n  - name: six\n    version: 1.10\n    manager: conda\n    platform: linux-64\n', 'conda-lock.yml');
    expect(conda.ok && conda.value.packages.map(p => p.version)).toEqual(['1.10']);
    const pixi = parsePixiLock('version: 6\nenvironments: {}\npackages:\n  - conda: https://conda.anaconda.org/conda-forge/linux-64/six-1.10-py_0.conda\n    name: six\n    version: 1.10\n', 'pixi.lock');
    expect(pixi.ok && pixi.value.packages.map(p => p.version)).toEqual(['1.10']);
    const nested = parseCondaLock('version: 1\nmetadata: {}\npackage:\n  - name: six\n    version: {a: 1}\n    manager: conda\n', 'conda-lock.yml');
    expect(nested.ok).toBe(false);
  });

  it('checks every parsed set once more where all formats pass: no number or object reaches a report', () => {
    const set: DependencySet = { format: 'npm-lock', ecosystem: 'npm', path: 'x', packages: [
      { name: 'a', version: 1 as unknown as string, direct: false, dev: false, facts: {} }] };
    expect(shapeProblem(set)).toBe('has "version" = a number (1) in "a", where a string is expected');
    expect(shapeProblem({ ...set, packages: [{ name: 'a', version: '1', direct: false, dev: false, facts: { resolved: {} as string } }] })).toMatch(/"resolved" = a table or object/);
    expect(() => readDependencySet(JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/a': { version: { x: 1 } } } }), 'package-lock.json'))
      .toThrow(/package-lock\.json:\d+ \(npm-lock\) has "version" = a table or object in "node_modules\/a"/);
  });
});
