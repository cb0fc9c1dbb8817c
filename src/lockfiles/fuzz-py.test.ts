import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DependencySet, Parsed } from '../types.js';
import { parseCargoLock } from './cargo-lock.js';
import { parseGemfileLock } from './gemfile-lock.js';
import { parseGoMod, parseGoSum } from './go-mod.js';
import { parsePdmLock } from './pdm-lock.js';
import { parsePipList } from './pip-list.js';
import { parsePipfileLock } from './pipfile-lock.js';
import { parsePoetryLock } from './poetry-lock.js';
import { parseRequirements } from './requirements.js';
import { parseUvLock } from './uv-lock.js';

type Parser = (text: string, path: string) => Parsed<DependencySet>;

// Small valid samples of each format; the properties cut, duplicate and garble their lines.
const samples: [string, Parser, string][] = [
  ['requirements', parseRequirements, 'a==1 \\\n    --hash=sha256:00\n    # via -r x.in\nb[c]>=2 ; python_version < "3.9"\n-e git+https://x/y.git#egg=y\n'],
  ['pip-list', parsePipList, 'Package Version\n------- -------\nDjango  4.2\nsix     1.16\n'],
  ['pip-list json', parsePipList, '[{"name": "a", "version": "1"}, {"name": "b", "version": "2"}]'],
  ['poetry', parsePoetryLock, '[[package]]\nname = "a"\nversion = "1"\ngroups = ["main"]\nfiles = [\n    {file = "a-1-cp311-cp311-win_amd64.whl", hash = "sha256:00"},\n]\n\n[package.dependencies]\nb = "*"\n\n[[package]]\nname = "b"\nversion = "2"\n'],
  ['uv', parseUvLock, 'version = 1\nrevision = 3\n\n[[package]]\nname = "app"\nversion = "0"\nsource = { virtual = "." }\ndependencies = [\n    { name = "a" },\n]\n\n[[package]]\nname = "a"\nversion = "1"\nsource = { registry = "https://pypi.org/simple" }\nwheels = [\n    { url = "https://x/a-1-py3-none-any.whl", hash = "sha256:00", size = 1 },\n]\n'],
  ['pipfile', parsePipfileLock, '{\n"default": {\n"a": {"version": "==1"}\n},\n"develop": {\n"b": {"version": "==2"}\n}\n}'],
  ['pdm', parsePdmLock, '[metadata]\nlock_version = "4.4"\n\n[[package]]\nname = "a"\nversion = "1"\ngroups = ["default"]\ndependencies = ["b>=1"]\n'],
  ['cargo', parseCargoLock, 'version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = [\n "a",\n]\n\n[[package]]\nname = "a"\nversion = "1.0.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n'],
  ['go.mod', parseGoMod, 'module x\n\ngo 1.22\n\nrequire (\n\ta.b/c v1.0.0 // indirect\n)\n\nreplace a.b/c => ../c\n'],
  ['go.sum', parseGoSum, 'a.b/c v1.0.0 h1:abc=\na.b/c v1.0.0/go.mod h1:def=\n'],
  ['gemfile', parseGemfileLock, 'GEM\n  remote: https://rubygems.org/\n  specs:\n    a (1.0)\n      b (>= 1)\n    b (2.0-x86_64-linux)\n\nDEPENDENCIES\n  a\n'],
];

const garble = (text: string) => fc.array(fc.tuple(fc.nat(), fc.constantFrom('drop', 'dup', 'cut', 'junk')), { maxLength: 4 })
  .chain(ops => fc.string({ maxLength: 8 }).map(junk => {
    const lines = text.split('\n');
    for (const [at, op] of ops) {
      const i = at % Math.max(1, lines.length);
      if (op === 'drop') lines.splice(i, 1);
      else if (op === 'dup') lines.splice(i, 0, lines[i] ?? '');
      else if (op === 'cut') lines[i] = (lines[i] ?? '').slice(0, Math.floor((lines[i] ?? '').length / 2));
      else lines[i] = `${lines[i] ?? ''}${junk}`;
    }
    return lines.join('\n');
  }));

describe('parsers never throw on bad input', () => {
  for (const [label, parse, sample] of samples) {
    it(`${label}: a valid sample parses, and any garbled copy gives ok or a failure naming the file`, () => {
      const good = parse(sample, 'sample');
      expect(good.ok ? good.value.packages.length : good.error.message).toBeGreaterThan(0);
      fc.assert(fc.property(fc.oneof(garble(sample), fc.string({ maxLength: 200 })), text => {
        const r = parse(text, 'dir/the-file');
        if (!r.ok) {
          expect(r.error.message).toContain('dir/the-file');
          expect(r.error.hint.length).toBeGreaterThan(0);
        } else {
          const keys = r.value.packages.map(p => [p.name, p.version, p.installPath ?? '']);
          const sorted = [...keys].sort((a, b) => (a.join('\0') < b.join('\0') ? -1 : a.join('\0') > b.join('\0') ? 1 : 0));
          expect(keys).toEqual(sorted);
        }
      }), { numRuns: 150 });
    });
  }
});
