import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DependencySet } from '../types.js';
import { parseNpmLock } from './npm-lock.js';
import format, { parseNpmLs } from './npm-ls.js';

function parsed(text: string): DependencySet {
  const r = parseNpmLs(text, 'npm-ls.json');
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('npm-ls on real `npm ls` output', () => {
  // The truth is npm itself: `npm ls` on this project's own node_modules, checked against package-lock.json
  // (whose parser is checked against arborist in npm-lock.test.ts). An installed tree is the lockfile minus
  // the optional packages for other platforms. "Package" = one installed copy (one node_modules folder).
  const lock = parseNpmLock(readFileSync('package-lock.json', 'utf8'), 'package-lock.json');
  const npmLs = (...args: string[]): string => execFileSync('npm', ['ls', '--json', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });

  it('--all --long: every installed copy is in the lockfile at the same path, with the same direct and dev flags', () => {
    if (!lock.ok) throw new Error(lock.error.message);
    const set = parsed(npmLs('--all', '--long'));
    const byPath = new Map(lock.value.packages.map(p => [p.installPath, p]));
    expect(set.packages.length).toBeGreaterThan(100);
    for (const p of set.packages) {
      const locked = byPath.get(p.installPath);
      expect(locked, p.installPath).toBeDefined();
      expect([p.name, p.version, p.direct, p.dev]).toEqual([locked?.name, locked?.version, locked?.direct, locked?.dev]);
    }
    const installed = new Set(set.packages.map(p => p.installPath));
    const notInstalled = lock.value.packages.filter(p => !installed.has(p.installPath));
    expect(notInstalled.every(p => p.facts.optional)).toBe(true);
  });

  it('--all without --long: one entry per name@version, the same set as with --long', () => {
    const long = parsed(npmLs('--all', '--long'));
    const short = parsed(npmLs('--all'));
    const ids = (s: DependencySet): string[] => [...new Set(s.packages.map(p => `${p.name}@${p.version}`))];
    // Without --long an alias shows under its folder name (execa = safe-execa): the only names that may differ.
    const aliases = long.packages.filter(p => !p.installPath?.endsWith(`node_modules/${p.name}`)).length;
    expect(Math.abs(ids(short).length - ids(long).length)).toBeLessThanOrEqual(aliases);
    expect(short.packages.length).toBe(ids(short).length);
  });
});

const TREE = {
  name: 'app', version: '1.0.0', path: '/srv/app',
  devDependencies: { vitest: '^1.0.0' },
  dependencies: {
    debug: { version: '2.6.9', resolved: 'https://registry.npmjs.org/debug/-/debug-2.6.9.tgz', path: '/srv/app/node_modules/debug',
      dependencies: { ms: { version: '2.0.0', path: '/srv/app/node_modules/debug/node_modules/ms', integrity: 'sha512-m0==' } } },
    ms: { version: '2.1.3', path: '/srv/app/node_modules/ms' },
    'my-ms': { name: 'ms', version: '2.1.2', path: '/srv/app/node_modules/my-ms' },
    vitest: { version: '1.6.0', path: '/srv/app/node_modules/vitest',
      dependencies: { tinypool: { version: '0.8.4', path: '/srv/app/node_modules/tinypool' }, ms: { version: '2.1.3', path: '/srv/app/node_modules/ms' } } },
    lib: { version: '0.1.0', resolved: 'file:../packages/lib', path: '/srv/app/packages/lib',
      dependencies: { chalk: { version: '5.3.0', path: '/srv/app/node_modules/chalk' } } },
    left: { required: '^1.0.0', missing: true },
    '@edge-runtime/vm': {},
  },
};

describe('npm-ls edge cases', () => {
  it('keeps nested copies, follows --long names, treats workspaces as the project, and computes dev', () => {
    const r = parseNpmLs(JSON.stringify(TREE), 'before/npm-ls.json');
    expect(r.ok && r.warnings).toEqual(['before/npm-ls.json: 1 missing package(s) in the installed tree, e.g. left']);
    if (!r.ok) return;
    expect(r.value.packages.map(p => [p.name, p.version, p.installPath, p.direct, p.dev])).toEqual([
      ['chalk', '5.3.0', 'node_modules/chalk', true, false],
      ['debug', '2.6.9', 'node_modules/debug', true, false],
      ['ms', '2.0.0', 'node_modules/debug/node_modules/ms', false, false],
      ['ms', '2.1.2', 'node_modules/my-ms', true, false],
      ['ms', '2.1.3', 'node_modules/ms', true, false],
      ['tinypool', '0.8.4', 'node_modules/tinypool', false, true],
      ['vitest', '1.6.0', 'node_modules/vitest', true, true],
    ]);
    expect(r.value.packages[2]?.facts.integrity).toBe('sha512-m0==');
  });

  it('passes on the problems npm ls reported', () => {
    const r = parseNpmLs(JSON.stringify({ name: 'app', problems: ['invalid: ms@2.1.3 /srv/app/node_modules/ms'], dependencies: { ms: { version: '2.1.3', invalid: '"^1" from the root project' } } }), 'ls.json');
    expect(r.ok && r.warnings).toEqual(['ls.json: npm ls reported 1 problem(s), first: invalid: ms@2.1.3 /srv/app/node_modules/ms']);
    expect(r.ok && r.value.packages.length).toBe(1);
  });

  it('dedupes a short tree by name@version and keeps the shallowest copy', () => {
    const short = { name: 'app', dependencies: { a: { version: '1.0.0', dependencies: { ms: { version: '2.1.3' } } }, ms: { version: '2.1.3' } } };
    expect(parsed(JSON.stringify(short)).packages.map(p => [p.name, p.installPath, p.direct])).toEqual([
      ['a', 'node_modules/a', true], ['ms', 'node_modules/ms', true]]);
  });

  it('reads npm 6 fields (_resolved, _integrity, dev)', () => {
    const old = { name: 'app', dependencies: { ms: { version: '2.1.3', _resolved: 'https://r/ms.tgz', _integrity: 'sha1-x', dev: true } } };
    expect(parsed(JSON.stringify(old)).packages[0]).toMatchObject({ dev: true, facts: { resolved: 'https://r/ms.tgz', integrity: 'sha1-x' } });
  });

  it('is detected by name and by content, but not for package.json or a lockfile', () => {
    expect(format.detect('images/v1/npm-ls.json', '')).toBe(true);
    expect(format.detect('before.json', JSON.stringify(TREE, null, 2))).toBe(true);
    expect(format.detect('package.json', '{"dependencies": {"a": "^1"}}')).toBe(false);
    expect(format.detect('x.json', '{"lockfileVersion": 3, "dependencies": {"a": {"version": "1"}}}')).toBe(false);
  });

  it('returns ok:false with the line of a JSON error', () => {
    const text = JSON.stringify(TREE, null, 2).replace('"2.6.9"', '"2.6.9" "x"');
    const r = parseNpmLs(text, 'npm-ls.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.line).toBe(text.split('\n').findIndex(l => l.includes('"x"')) + 1);
    expect(r.error.message).toMatch(/npm-ls\.json:\d+ \(npm-ls\) is not valid JSON/);
    expect(parseNpmLs('[]', 'npm-ls.json').ok).toBe(false);
    expect(parseNpmLs('{"dependencies": 3}', 'npm-ls.json').ok).toBe(false);
  });
});

describe('npm-ls properties', () => {
  it('reordering dependencies gives the same set', () => {
    const entries = Object.entries(TREE.dependencies);
    fc.assert(fc.property(fc.func(fc.integer()), order => {
      const shuffled = [...entries].sort(([a], [b]) => order(a) - order(b));
      expect(parsed(JSON.stringify({ ...TREE, dependencies: Object.fromEntries(shuffled) }))).toEqual(parsed(JSON.stringify(TREE)));
    }), { numRuns: 50 });
  });
});
