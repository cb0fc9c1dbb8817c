import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DependencySet, Parsed } from '../types.js';
import { parseNpmLock } from './npm-lock.js';
import { parseNpmLs } from './npm-ls.js';
import { parsePnpmLock } from './pnpm-lock.js';
import { parseYarnBerry } from './yarn-berry.js';
import { parseYarnClassic } from './yarn-classic.js';

// Lockfiles come from repositories and images: untrusted. Whatever the bytes, a parser returns a Parsed
// (never throws), and an ok result is well formed and sorted.

const SAMPLES: [string, (t: string, p: string) => Parsed<DependencySet>, string][] = [
  ['pnpm-lock', parsePnpmLock, "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      a:\n        specifier: ^1.0.0\n        version: 1.0.0(b@2.0.0)\n\npackages:\n\n  a@1.0.0:\n    resolution: {integrity: sha512-a}\n\n  b@2.0.0:\n    resolution: {tarball: 'https://x/b.tgz'}\n\nsnapshots:\n\n  a@1.0.0(b@2.0.0):\n    dependencies:\n      b: 2.0.0\n\n  b@2.0.0: {}\n"],
  ['yarn-berry', parseYarnBerry, '__metadata:\n  version: 8\n\n"app@workspace:.":\n  version: 0.0.0-use.local\n  resolution: "app@workspace:."\n  dependencies:\n    a: "npm:^1.0.0"\n\n"a@npm:^1.0.0":\n  version: 1.0.0\n  resolution: "a@npm:1.0.0"\n  checksum: 10c0/x\n'],
  ['yarn-classic', parseYarnClassic, '# yarn lockfile v1\n\n"a@^1.0.0", a@^1.1.0:\n  version "1.1.0"\n  resolved "https://r/a.tgz#x"\n  dependencies:\n    b "2.0.0"\n\nb@2.0.0:\n  version "2.0.0"\n'],
  ['npm-lock', parseNpmLock, '{"lockfileVersion":3,"packages":{"":{"dependencies":{"a":"^1"}},"node_modules/a":{"version":"1.0.0","hasInstallScript":true},"node_modules/a/node_modules/b":{"version":"2.0.0"}}}'],
  ['npm-lock v1', parseNpmLock, '{"lockfileVersion":1,"dependencies":{"a":{"version":"1.0.0","requires":{"b":"2"},"dependencies":{"b":{"version":"2.0.0"}}}}}'],
  ['npm-ls', parseNpmLs, '{"name":"app","dependencies":{"a":{"version":"1.0.0","dependencies":{"b":{"version":"2.0.0"}}},"c":{"missing":true}}}'],
];

const noise = fc.constantFrom(':', ' ', '  ', '\n', '{', '}', '[', ']', '"', "'", '-', '#', '@', '&a', '*a', '!!', '|', '>', ',', '\t', '\r\n', '__proto__', 'constructor', '(', ')', '/', '_', '0', '---\n', 'version');
const mutation = fc.oneof(
  fc.record({ at: fc.nat(), del: fc.nat(8), ins: fc.array(noise, { maxLength: 4 }).map(a => a.join('')) }),
);

function assertWellFormed(r: Parsed<DependencySet>, path: string): void {
  if (!r.ok) {
    expect(r.error.message).toContain(path);
    expect(r.error.hint.length).toBeGreaterThan(0);
    if (r.error.line !== undefined) expect(r.error.line).toBeGreaterThanOrEqual(1);
    return;
  }
  for (const p of r.value.packages) {
    expect(typeof p.name).toBe('string');
    expect(typeof p.version).toBe('string');
  }
  const keys = r.value.packages.map(p => [p.name, p.version, p.installPath ?? '']);
  const sorted = [...keys].sort((a, b) => (a.join('\0') < b.join('\0') ? -1 : a.join('\0') > b.join('\0') ? 1 : 0));
  expect(keys).toEqual(sorted);
}

describe('JS lockfile parsers under random damage', () => {
  it.each(SAMPLES)('%s never throws', (_id, parse, sample) => {
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), muts => {
      let text = sample;
      for (const m of muts) {
        const at = m.at % (text.length + 1);
        text = text.slice(0, at) + m.ins + text.slice(at + m.del);
      }
      assertWellFormed(parse(text, 'repo/lockfile'), 'repo/lockfile');
    }), { numRuns: 500 });
  });

  it.each(SAMPLES)('%s reads a file with a byte-order mark like one without', (_id, parse, sample) => {
    const plain = parse(sample, 'lock');
    expect(plain.ok).toBe(true);
    expect(parse(`\uFEFF${sample}`, 'lock')).toEqual(plain);
  });

  it.each(SAMPLES)('%s survives absurd nesting', (_id, parse) => {
    for (const text of ['['.repeat(200_000), `a: ${'['.repeat(200_000)}`, `a:\n${Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i + 1)}- x:\n`).join('')}`, '{"dependencies":'.repeat(50_000), `a:\n${'  b:\n'.repeat(1)}`,
      `{"lockfileVersion":1,"dependencies":${'{"a":{"version":"1","dependencies":'.repeat(20_000)}{}${'}}'.repeat(20_000)}}`,
      `{"dependencies":${'{"a":{"version":"1","dependencies":'.repeat(20_000)}{}${'}}'.repeat(20_000)}}`]) {
      assertWellFormed(parse(text, 'repo/lockfile'), 'repo/lockfile');
    }
  });
});
