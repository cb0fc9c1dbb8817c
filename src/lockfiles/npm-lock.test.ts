import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DependencySet } from '../types.js';
import format, { npmLockStates, parseNpmLock } from './npm-lock.js';
import { mine, valueOrThrow, versionsOf, type Versions } from '../../test/helpers/lockfile-tests.js';
import { fixtureFolder, readFixture } from '../../test/helpers/fixtures.js';

const V3_OLD = 'npm-lock-v3/npm__cli@v10.6.0';
const V3_NEW = 'npm-lock-v3/npm__cli@v10.7.0';
const V2 = 'npm-lock-v2/facebook__lexical@v0.39.0';

function parsed(text: string): DependencySet {
  return valueOrThrow(parseNpmLock(text, 'package-lock.json'));
}


/**
 * The reference is npm's own reader, @npmcli/arborist loadVirtual (it reads package-lock.json + package.json
 * from the fixture folder). "Package" = one node of the virtual tree installed under a node_modules folder:
 * not the root, not a workspace folder, not a link (workspace symlink). Its name is the package's own name,
 * so an alias installed as `foo` counts as the real package.
 */
interface ArbNode {
  isRoot: boolean; isLink: boolean; isWorkspace: boolean; location: string; packageName: string; version: string;
  target: ArbNode; edgesOut: Map<string, { to: ArbNode | null }>; inventory: Map<string, ArbNode>;
}
type ArboristClass = new (options: { path: string }) => { loadVirtual(): Promise<ArbNode> };

async function reference(dir: string): Promise<{ count: number; versions: Versions; direct: string[] }> {
  // Arborist ships no types: import it by a computed name and describe the little this test uses.
  const arborist = '@npmcli/arborist';
  const Arborist = (await import(arborist) as { default: ArboristClass }).default;
  const tree = await new Arborist({ path: fixtureFolder(dir) }).loadVirtual();
  const all = [...tree.inventory.values()];
  const nodes = all.filter(n => !n.isRoot && !n.isLink && n.location.includes('node_modules/'));
  const direct = new Set<string>();
  // Importers: the root and every workspace (the target of a workspace link).
  for (const importer of [tree, ...all.filter(n => n.isLink).map(n => n.target)]) {
    for (const edge of importer.edgesOut.values()) if (edge.to && !edge.to.isLink && !edge.to.isWorkspace) direct.add(edge.to.packageName);
  }
  return { count: nodes.length, versions: versionsOf(nodes.map(n => [n.packageName, n.version])), direct: [...direct].sort() };
}
const read = (dir: string): string => readFixture(`${dir}/package-lock.json`);
const changedNames = (a: Versions, b: Versions): string[] => [...new Set([...Object.keys(a), ...Object.keys(b)])]
  .filter(n => JSON.stringify(a[n]) !== JSON.stringify(b[n])).sort();

describe('npm-lock on real lockfiles', () => {
  it.each([[V3_OLD, 1182], [V3_NEW, 1182], [V2, 3451]])('%s: %i installed nodes, the same name/version sets as arborist', async (dir, count) => {
    const ref = await reference(dir);
    const set = parsed(read(dir));
    expect(ref.count).toBe(count);
    expect(set.packages.length).toBe(ref.count);
    expect(mine(set)).toEqual(ref.versions);
    expect([...new Set(set.packages.filter(p => p.direct).map(p => p.name))].sort()).toEqual(ref.direct);
  });

  it('diffs npm v10.6.0 -> v10.7.0 exactly as arborist does', async () => {
    const ours = changedNames(mine(parsed(read(V3_OLD))), mine(parsed(read(V3_NEW))));
    expect(ours).toEqual(changedNames((await reference(V3_OLD)).versions, (await reference(V3_NEW)).versions));
    expect(ours.length).toBeGreaterThan(0);
  });
});

const V3 = {
  name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true,
  packages: {
    '': { name: 'app', version: '1.0.0', workspaces: ['packages/lib'], dependencies: { debug: '^2.6.0', 'my-ms': 'npm:ms@^2.1.0' }, devDependencies: { esbuild: '^0.20.0' } },
    'node_modules/debug': { version: '2.6.9', resolved: 'https://registry.npmjs.org/debug/-/debug-2.6.9.tgz', integrity: 'sha512-d==', dependencies: { ms: '2.0.0' } },
    'node_modules/debug/node_modules/ms': { version: '2.0.0', integrity: 'sha512-m0==' },
    'node_modules/my-ms': { name: 'ms', version: '2.1.3', integrity: 'sha512-m1==' },
    'node_modules/esbuild': { version: '0.20.2', dev: true, hasInstallScript: true, optionalDependencies: { '@esbuild/linux-x64': '0.20.2' } },
    'node_modules/@esbuild/linux-x64': { version: '0.20.2', dev: true, optional: true, os: ['linux'] },
    'node_modules/lib': { resolved: 'packages/lib', link: true },
    'packages/lib': { name: 'lib', version: '0.1.0', dependencies: { ms: '^2.1.0' } },
    'packages/lib/node_modules/ms': { version: '2.1.2' },
  },
};
const V1 = {
  name: 'app', version: '1.0.0', lockfileVersion: 1, requires: true,
  dependencies: {
    debug: { version: '2.6.9', resolved: 'https://registry.npmjs.org/debug/-/debug-2.6.9.tgz', integrity: 'sha512-d==', requires: { ms: '2.0.0' },
      dependencies: { ms: { version: '2.0.0', integrity: 'sha512-m0==' } } },
    'my-ms': { version: 'npm:ms@2.1.3', integrity: 'sha512-m1==' },
    esbuild: { version: '0.20.2', dev: true, requires: { '@esbuild/linux-x64': '0.20.2' } },
    '@esbuild/linux-x64': { version: '0.20.2', dev: true, optional: true },
    lib: { version: 'file:packages/lib', requires: { ms: '^2.1.0' }, dependencies: { ms: { version: '2.1.2' } } },
  },
};

describe('npm-lock edge cases', () => {
  it('keeps nested duplicates, follows aliases, skips workspace links, reads hasInstallScript', () => {
    const set = parsed(JSON.stringify(V3));
    expect(set.packages.map(p => [p.name, p.version, p.installPath, p.direct, p.dev])).toEqual([
      ['@esbuild/linux-x64', '0.20.2', 'node_modules/@esbuild/linux-x64', false, true],
      ['debug', '2.6.9', 'node_modules/debug', true, false],
      ['esbuild', '0.20.2', 'node_modules/esbuild', true, true],
      ['ms', '2.0.0', 'node_modules/debug/node_modules/ms', false, false],
      ['ms', '2.1.2', 'packages/lib/node_modules/ms', true, false],
      ['ms', '2.1.3', 'node_modules/my-ms', true, false],
    ]);
    expect(set.packages.find(p => p.name === 'esbuild')?.facts.installScript).toBe(true);
    expect(set.packages[0]?.facts.optional).toBe(true);
  });

  it('gives the same name/version set for a project rewritten from lockfileVersion 1 to 3', () => {
    const pairs = (s: DependencySet): string[] => s.packages.map(p => `${p.name}@${p.version}`);
    expect(pairs(parsed(JSON.stringify(V1)))).toEqual(pairs(parsed(JSON.stringify(V3))));
  });

  it('is detected by name and by content', () => {
    expect(format.detect('a/package-lock.json', '')).toBe(true);
    expect(format.detect('a/npm-shrinkwrap.json', '')).toBe(true);
    expect(format.detect('old.json', JSON.stringify(V3))).toBe(true);
    expect(format.detect('package.json', '{"dependencies":{"a":"^1"}}')).toBe(false);
  });

  it.each([
    ['truncated JSON', JSON.stringify(V3, null, 2).slice(0, 400), 'is not valid JSON'],
    ['an unknown lockfileVersion', JSON.stringify({ ...V3, lockfileVersion: 7 }), 'lockfileVersion 7'],
    ['a JSON array', '[1, 2]', 'is not a package-lock object'],
  ])('returns ok:false naming file and format for %s', (_what, text, message) => {
    const r = parseNpmLock(text, 'svc/package-lock.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toContain('svc/package-lock.json');
    expect(r.error.message).toContain('(npm-lock)');
    expect(r.error.message).toContain(message);
  });

  it('names the line of a JSON syntax error', () => {
    const text = JSON.stringify(V3, null, 2).replace('"version": "2.6.9",', '"version": "2.6.9",,');
    const r = parseNpmLock(text, 'package-lock.json');
    expect(r.ok || r.error.line).toBe(text.split('\n').findIndex(l => l.includes(',,')) + 1);
  });
});

describe('npm-lock properties', () => {
  it('reordering the packages map gives the same set', () => {
    const entries = Object.entries(V3.packages);
    fc.assert(fc.property(fc.func(fc.integer()), order => {
      const shuffled = [...entries].sort(([a], [b]) => order(a) - order(b));
      expect(parsed(JSON.stringify({ ...V3, packages: Object.fromEntries(shuffled) }))).toEqual(parsed(JSON.stringify(V3)));
    }), { numRuns: 50 });
  });
});

describe('npm-lock shape checks', () => {
  const v3 = (packages: unknown) => JSON.stringify({ lockfileVersion: 3, packages }, null, 2);
  it.each([
    ['a number version', v3({ '': {}, 'node_modules/a': { version: 1 } }), /:\d+ \(npm-lock\) has "version" = a number \(1\) in "node_modules\/a", where a string is expected/],
    ['an object version', v3({ '': {}, 'node_modules/a': { version: { x: 1 } } }), /has "version" = a table or object in "node_modules\/a"/],
    ['a number name', v3({ '': {}, 'node_modules/a': { version: '1.0.0', name: 5 } }), /has "name" = a number \(5\)/],
    ['an object integrity', v3({ '': {}, 'node_modules/a': { version: '1.0.0', integrity: {} } }), /has "integrity" = a table or object/],
    ['an entry that is a number', v3({ '': {}, 'node_modules/a': 7 }), /has "node_modules\/a" = a number \(7\), where an object is expected/],
    ['root dependencies as a list', v3({ '': { dependencies: ['a'] }, 'node_modules/a': { version: '1.0.0' } }), /has "dependencies" = a list in "\(root\)", where an object is expected/],
    ['"packages" as a list', JSON.stringify({ lockfileVersion: 3, packages: [1, 2, 3] }), /has "packages" = a list, where an object keyed by install path is expected/],
    ['"dependencies" as a list (v1)', JSON.stringify({ lockfileVersion: 1, dependencies: [1, 2] }), /has "dependencies" = a list/],
    ['a v1 number version', JSON.stringify({ lockfileVersion: 1, dependencies: { a: { version: 1 } } }), /has "version" = a number \(1\) in "a"/],
    ['a v1 nested object version', JSON.stringify({ lockfileVersion: 1, dependencies: { a: { version: '1.0.0', dependencies: { b: { version: {} } } } } }), /has "version" = a table or object in "b"/],
    ['a v1 requires list', JSON.stringify({ lockfileVersion: 1, dependencies: { a: { version: '1.0.0', requires: ['b'] } } }), /has "requires" = a list in "a"/],
    ['a lockfileVersion string', JSON.stringify({ lockfileVersion: '3', packages: {} }), /has lockfileVersion "3", which reldiff does not know/],
    ['a lockfileVersion 2.5', JSON.stringify({ lockfileVersion: 2.5, packages: {} }), /has lockfileVersion 2.5, which reldiff does not know/],
    ['a lockfileVersion 4', JSON.stringify({ lockfileVersion: 4, packages: {} }), /has lockfileVersion 4, which reldiff does not know/],
  ])('refuses %s with the key in one line, never a crash or a wrong answer', (_what, text, message) => {
    const r = parseNpmLock(text, 'package-lock.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toMatch(message);
    expect(r.error.message).not.toMatch(/\n|\[object Object\]/);
    expect(r.error.hint).toMatch(/npm install --package-lock-only/);
  });

  it('names the line of the bad entry', () => {
    const text = v3({ '': {}, 'node_modules/ok': { version: '1.0.0' }, 'node_modules/a': { version: 1 } });
    const r = parseNpmLock(text, 'package-lock.json');
    expect(!r.ok && r.error.line).toBe(text.split('\n').findIndex(l => l.includes('"node_modules/a"')) + 1);
  });

  it('leaves a file of the wrong shape to parse() in the fast path', () => {
    expect(npmLockStates(v3({ '': {}, 'node_modules/a': { version: 1 } }))).toBeUndefined();
    expect(npmLockStates(JSON.stringify({ lockfileVersion: 3, packages: [1, 2, 3] }))).toBeUndefined();
    expect(npmLockStates(JSON.stringify({ lockfileVersion: 9, packages: {} }))).toBeUndefined();
    expect(npmLockStates(v3({ '': {}, 'node_modules/a': { version: '1.0.0' } }))?.get('a')).toEqual(['1.0.0|']);
  });

  it('reads a v1 lockfile of 200,000 nested packages (no spread of an unbounded array into a call)', () => {
    // One package whose own node_modules holds 200,000 others: the nested list is handed up in one piece.
    const inner: Record<string, unknown> = {};
    for (let k = 0; k < 200_000; k++) inner[`n${k}`] = { version: '1.0.0' };
    const r = parseNpmLock(JSON.stringify({ lockfileVersion: 1, dependencies: { p: { version: '1.0.0', dependencies: inner } } }), 'package-lock.json');
    expect(r.ok ? r.value.packages.length : r.error.message).toBe(200_001);
  });
});
