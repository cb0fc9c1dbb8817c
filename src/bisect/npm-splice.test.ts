import { describe, expect, it } from 'vitest';
import { resolveFrom, spliceNpmLock } from './npm-splice.js';

// The splice on package-lock v3 texts: what it copies from `to`, what it prunes, and every case it hands back to npm.

type Pkgs = Record<string, Record<string, unknown>>;
const entry = (name: string, version: string, extra: Record<string, unknown> = {}) => ({
  version, resolved: `http://127.0.0.1:9/${name}-${version}.tgz`, integrity: `sha512-${name}${version}`, ...extra,
});
const lock = (packages: Pkgs, indent: string | number = 2) => `${JSON.stringify({ name: 'svc', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, indent)}\n`;
const root = (dependencies: Record<string, string>, extra: Record<string, unknown> = {}) => ({ name: 'svc', version: '1.0.0', dependencies, ...extra });
const manifest = (dependencies: Record<string, string>) => `${JSON.stringify({ name: 'svc', version: '1.0.0', private: true, dependencies }, null, 2)}\n`;
const up = (name: string, from: string, to: string) => ({ name, from, to });
const packagesOf = (text: string): Pkgs => (JSON.parse(text) as { packages: Pkgs }).packages;

describe('spliceNpmLock', () => {
  it('takes the upgraded entry from to, keeps the rest of from, and moves an exact root pin in package.json and the lock', () => {
    const from = lock({ '': root({ a: '1.0.0', b: '^1.0.0' }), 'node_modules/a': entry('a', '1.0.0'), 'node_modules/b': entry('b', '1.0.0') });
    const to = lock({ '': root({ a: '1.1.0', b: '^1.0.0' }), 'node_modules/a': entry('a', '1.1.0'), 'node_modules/b': entry('b', '1.2.0') });
    const out = spliceNpmLock(from, manifest({ a: '1.0.0', b: '^1.0.0' }), to, [up('a', '1.0.0', '1.1.0')]);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const pkgs = packagesOf(out.lock);
    expect(pkgs['node_modules/a']).toEqual(entry('a', '1.1.0'));
    expect(pkgs['node_modules/b']).toEqual(entry('b', '1.0.0'));
    expect(pkgs['']?.['dependencies']).toEqual({ a: '1.1.0', b: '^1.0.0' });
    expect(JSON.parse(out.manifest ?? '{}').dependencies).toEqual({ a: '1.1.0', b: '^1.0.0' });
  });

  it('leaves package.json alone when its range already admits the new version, and keeps the lock indentation', () => {
    const from = lock({ '': root({ b: '^1.0.0' }), 'node_modules/b': entry('b', '1.0.0') }, '\t');
    const to = lock({ '': root({ b: '^1.0.0' }), 'node_modules/b': entry('b', '1.2.0') });
    const out = spliceNpmLock(from, manifest({ b: '^1.0.0' }), to, [up('b', '1.0.0', '1.2.0')]);
    expect(out).toMatchObject({ ok: true, manifest: undefined });
    if (out.ok) expect(out.lock).toContain('\n\t"name": "svc"');
  });

  it('keeps from\'s placement flags on a moved entry (dev stays dev)', () => {
    const from = lock({ '': root({}, { devDependencies: { t: '^1.0.0' } }), 'node_modules/t': entry('t', '1.0.0', { dev: true }) });
    const to = lock({ '': root({}, { devDependencies: { t: '^1.0.0' } }), 'node_modules/t': entry('t', '1.1.0') });
    const out = spliceNpmLock(from, undefined, to, [up('t', '1.0.0', '1.1.0')]);
    expect(out.ok && packagesOf(out.lock)['node_modules/t']).toEqual(entry('t', '1.1.0', { dev: true }));
  });

  it('adds what the new version needs from to, brings its own nested copies, and drops what only the old one needed', () => {
    const from = lock({
      '': root({ a: '1.0.0', c: '^1.0.0' }),
      'node_modules/a': entry('a', '1.0.0', { dependencies: { old: '^1.0.0' } }), 'node_modules/old': entry('old', '1.0.0'),
      'node_modules/c': entry('c', '1.0.0'),
    });
    const to = lock({
      '': root({ a: '2.0.0', c: '^1.0.0' }),
      'node_modules/a': entry('a', '2.0.0', { dependencies: { fresh: '^3.0.0', c: '^2.0.0' } }), 'node_modules/fresh': entry('fresh', '3.0.0'),
      'node_modules/a/node_modules/c': entry('c', '2.0.0'), 'node_modules/c': entry('c', '1.0.0'),
    });
    const out = spliceNpmLock(from, manifest({ a: '1.0.0', c: '^1.0.0' }), to, [up('a', '1.0.0', '2.0.0')]);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(Object.keys(packagesOf(out.lock))).toEqual(['', 'node_modules/a', 'node_modules/a/node_modules/c', 'node_modules/c', 'node_modules/fresh']);
  });

  it('resolves a dependency as node does: own node_modules first, then each parent, then the top', () => {
    const pkgs = { '': {}, 'node_modules/x': {}, 'node_modules/a/node_modules/x': {}, 'node_modules/a': {}, 'node_modules/a/node_modules/b': {} };
    expect(resolveFrom(pkgs, 'node_modules/a/node_modules/b', 'x')).toBe('node_modules/a/node_modules/x');
    expect(resolveFrom(pkgs, 'node_modules/a', 'x')).toBe('node_modules/a/node_modules/x');
    expect(resolveFrom(pkgs, '', 'x')).toBe('node_modules/x');
    expect(resolveFrom(pkgs, 'node_modules/x', 'y')).toBeUndefined();
  });

  describe('hands back to npm what it cannot decide', () => {
    const base = { '': root({ a: '1.0.0', p: '1.0.0' }), 'node_modules/a': entry('a', '1.0.0'), 'node_modules/p': entry('p', '1.0.0') };
    const toBase = { '': root({ a: '2.0.0', p: '1.0.0' }), 'node_modules/a': entry('a', '2.0.0'), 'node_modules/p': entry('p', '1.0.0') };
    const cases: [string, Pkgs, Pkgs, RegExp][] = [
      ['a peer the new version no longer satisfies', { ...base, 'node_modules/p': entry('p', '1.0.0', { peerDependencies: { a: '^1.0.0' } }) },
        { ...toBase, 'node_modules/p': entry('p', '1.1.0', { peerDependencies: { a: '^1.0.0 || ^2.0.0' } }) }, /p peers on a@\^1\.0\.0, which a@2\.0\.0 does not satisfy/],
      ['a dependent that stays and asks for the old range', { ...base, 'node_modules/p': entry('p', '1.0.0', { dependencies: { a: '^1.0.0' } }) },
        { ...toBase, 'node_modules/p': entry('p', '1.0.0', { dependencies: { a: '^1.0.0' } }), 'node_modules/p/node_modules/a': entry('a', '1.0.0') },
        /nested copies of a move/],
      ['a dependent that stays, asks for the old range, and to never nested it', { ...base, 'node_modules/p': entry('p', '1.0.0', { dependencies: { a: '^1.0.0' } }) },
        { ...toBase }, /p asks for a@\^1\.0\.0, which a@2\.0\.0 does not satisfy/],
      ['a needed entry to does not hold', base, { ...toBase, 'node_modules/a': entry('a', '2.0.0', { dependencies: { gone: '^1.0.0' } }) },
        /a needs gone, which the to lockfile does not hold/],
      ['an upgrade whose top-level entry to lacks', base, { '': toBase[''], 'node_modules/p': entry('p', '1.0.0'), 'node_modules/x/node_modules/a': entry('a', '2.0.0') },
        /a has no top-level entry in the to lockfile/],
      ['an alias', base, { ...toBase, 'node_modules/a': entry('a', '2.0.0', { name: 'real-a' }) }, /a is installed under an alias/],
      ['workspaces', { ...base, 'packages/w': { version: '1.0.0' }, 'node_modules/w': { resolved: 'packages/w', link: true } }, toBase, /workspaces or links/],
      ['a non-semver spec on a moved edge', base, { ...toBase, 'node_modules/a': entry('a', '2.0.0', { dependencies: { p: 'github:o/p' } }) }, /a asks for p@github:o\/p/],
    ];
    for (const [what, fromPkgs, toPkgs, reason] of cases) {
      it(what, () => {
        const out = spliceNpmLock(lock(fromPkgs), manifest({ a: '1.0.0', p: '1.0.0' }), lock(toPkgs), [up('a', '1.0.0', '2.0.0')]);
        expect(out.ok).toBe(false);
        if (!out.ok) expect(out.reason).toMatch(reason);
      });
    }

    it('a lockfile v1 or text that is not JSON', () => {
      const v1 = JSON.stringify({ lockfileVersion: 1, dependencies: { a: { version: '1.0.0' } } });
      expect(spliceNpmLock(v1, undefined, lock(toBase), [up('a', '1.0.0', '2.0.0')])).toMatchObject({ ok: false, reason: expect.stringMatching(/lockfileVersion 1/) });
      expect(spliceNpmLock('{', undefined, lock(toBase), [up('a', '1.0.0', '2.0.0')])).toMatchObject({ ok: false, reason: 'the from lockfile is not JSON' });
    });

    it('a root range that neither lockfile lets reach the new version', () => {
      const toPkgs = { ...toBase, '': root({ a: '1.0.0', p: '1.0.0' }) };
      const out = spliceNpmLock(lock(base), manifest({ a: '1.0.0', p: '1.0.0' }), lock(toPkgs), [up('a', '1.0.0', '2.0.0')]);
      expect(out).toMatchObject({ ok: false, reason: expect.stringMatching(/range for a \(1\.0\.0\) does not admit 2\.0\.0/) });
    });
  });
});
