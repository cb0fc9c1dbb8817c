import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { rootGroupsOf, splicePnpmLock } from './pnpm-splice.js';

// The pnpm splice on lockfile texts (v9 as pnpm 9-10 write it, v6 as pnpm 8 does): which edges move, what comes from
// `to`, what is dropped, the importer's specifiers with package.json, and refusals with their reasons.

type Deps = Record<string, string>;
const resolution = (key: string) => `{integrity: sha512-${key.replace(/[@/.]/g, '')}}`;
const depsBlock = (indent: string, deps: Deps) => (Object.keys(deps).length === 0 ? ''
  : `${indent}dependencies:\n${Object.entries(deps).map(([d, v]) => `${indent}  ${d}: ${v}\n`).join('')}`);

/** A v9 lock: the root importer's { name: [specifier, version] }, and each node's key with its dependencies. */
function v9(root: Record<string, [string, string]>, nodes: Record<string, Deps>): string {
  const importer = Object.entries(root).map(([d, [s, v]]) => `      ${d}:\n        specifier: ${s}\n        version: ${v}\n`).join('');
  const bases = [...new Set(Object.keys(nodes).map(k => k.replace(/\(.*$/, '')))];
  return `lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\nimporters:\n\n  .:\n    dependencies:\n${importer}\n`
    + `packages:\n\n${bases.map(b => `  '${b}':\n    resolution: ${resolution(b)}\n`).join('\n')}\n`
    + `snapshots:\n\n${Object.entries(nodes).map(([k, d]) => (Object.keys(d).length === 0 ? `  '${k}': {}\n` : `  '${k}':\n${depsBlock('    ', d)}`)).join('\n')}`;
}

/** react at `version` and dom 1, which peers on it. */
const peered = (version: string) => v9({ react: [version, version], dom: ['^1.0.0', `1.0.0(react@${version})`] },
  { [`react@${version}`]: {}, [`dom@1.0.0(react@${version})`]: { react: version } });

const manifest = (dependencies: Record<string, string>) => `${JSON.stringify({ name: 'svc', version: '1.0.0', dependencies }, null, 2)}\n`;

/** holder -> dependency -> version, read back from a spliced v9 lock; the root is '.'. */
function edges(text: string): Record<string, Deps> {
  const doc = parse(text) as { importers: Record<string, { dependencies: Record<string, { version: string }> }>; snapshots: Record<string, { dependencies?: Deps }> };
  const out: Record<string, Deps> = { '.': Object.fromEntries(Object.entries(doc.importers['.']?.dependencies ?? {}).map(([d, e]) => [d, e.version])) };
  for (const [key, node] of Object.entries(doc.snapshots)) out[key] = node.dependencies ?? {};
  return out;
}

describe('splicePnpmLock (lockfile 9.0)', () => {
  const from = v9({ dup: ['1.0.0', '1.0.0'], noise: ['1.0.0', '1.0.0'], user: ['^1.0.0', '1.0.0'] },
    { 'dup@1.0.0': {}, 'noise@1.0.0': { gone: '1.0.0' }, 'gone@1.0.0': {}, 'user@1.0.0': { dup: '1.0.0' } });
  const to = v9({ dup: ['2.0.0', '2.0.0'], noise: ['^1.1.0', '1.1.0'], user: ['^1.0.0', '1.0.0'] },
    { 'dup@1.0.0': {}, 'dup@2.0.0': {}, 'fresh@3.0.0': {}, 'noise@1.1.0': { fresh: '3.0.0' }, 'user@1.0.0': { dup: '1.0.0' } });
  const fromManifest = manifest({ dup: '1.0.0', noise: '1.0.0', user: '^1.0.0' });

  it('moves the edges whose holder points at the new version in to, and the root range with package.json', () => {
    const out = splicePnpmLock(from, fromManifest, to, [{ name: 'dup', from: '1.0.0', to: '2.0.0' }]);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    // user@1.0.0 still asks for dup 1.0.0 in to: that edge and that entry stay.
    expect(edges(out.lock)).toEqual({ '.': { dup: '2.0.0', noise: '1.0.0', user: '1.0.0' }, 'dup@1.0.0': {}, 'dup@2.0.0': {},
      'gone@1.0.0': {}, 'noise@1.0.0': { gone: '1.0.0' }, 'user@1.0.0': { dup: '1.0.0' } });
    const doc = parse(out.lock) as { importers: { '.': { dependencies: { dup: { specifier: string } } } }; packages: Record<string, unknown>; lockfileVersion: unknown; settings: unknown };
    expect(doc.importers['.'].dependencies.dup.specifier).toBe('2.0.0');
    expect(JSON.parse(out.manifest ?? '{}').dependencies).toEqual({ dup: '2.0.0', noise: '1.0.0', user: '^1.0.0' });
    expect(Object.keys(doc.packages)).toEqual(['dup@1.0.0', 'dup@2.0.0', 'gone@1.0.0', 'noise@1.0.0', 'user@1.0.0']);
    expect(doc.lockfileVersion).toBe('9.0');
    expect(out.lock).toMatch(/^lockfileVersion: "9\.0"$/m);
    expect(doc.settings).toEqual({ autoInstallPeers: true, excludeLinksFromLockfile: false });
  });

  it('brings what the new version needs from to, and drops what only the old one needed', () => {
    const out = splicePnpmLock(from, fromManifest, to, [{ name: 'noise', from: '1.0.0', to: '1.1.0' }]);
    expect(out.ok && edges(out.lock)).toEqual({ '.': { dup: '1.0.0', noise: '1.1.0', user: '1.0.0' }, 'dup@1.0.0': {}, 'fresh@3.0.0': {},
      'noise@1.1.0': { fresh: '3.0.0' }, 'user@1.0.0': { dup: '1.0.0' } });
    expect(out.ok && Object.keys((parse(out.lock) as { packages: object }).packages)).toEqual(['dup@1.0.0', 'fresh@3.0.0', 'noise@1.1.0', 'user@1.0.0']);
  });

  it('moves a transitive edge, and keeps package.json when its range admits the new version', () => {
    const f = v9({ user: ['^1.0.0', '1.0.0'] }, { 'user@1.0.0': { dup: '1.0.0' }, 'dup@1.0.0': {} });
    const t = v9({ user: ['^1.0.0', '1.0.0'] }, { 'user@1.0.0': { dup: '1.2.0' }, 'dup@1.2.0': {} });
    const out = splicePnpmLock(f, manifest({ user: '^1.0.0' }), t, [{ name: 'dup', from: '1.0.0', to: '1.2.0' }]);
    expect(out).toMatchObject({ ok: true, manifest: undefined });
    expect(out.ok && edges(out.lock)).toEqual({ '.': { user: '1.0.0' }, 'dup@1.2.0': {}, 'user@1.0.0': { dup: '1.2.0' } });
  });

  it('refuses what it cannot decide, saying why', () => {
    const up = [{ name: 'noise', from: '1.0.0', to: '1.1.0' }];
    expect(splicePnpmLock(from, fromManifest, v9({ noise: ['^1.1.0', '1.1.0'] }, { 'noise@1.1.0': { lost: '1.0.0' } }), up))
      .toEqual({ ok: false, reason: 'noise@1.1.0 needs lost@1.0.0, which the to lockfile does not hold' });
    // The holder moved in to as well (user 2 asks for dup 2): moving dup alone changes no edge.
    const t = v9({ user: ['^2.0.0', '2.0.0'] }, { 'user@2.0.0': { dup: '2.0.0' }, 'dup@2.0.0': {} });
    const f = v9({ user: ['^1.0.0', '1.0.0'] }, { 'user@1.0.0': { dup: '1.0.0' }, 'dup@1.0.0': {} });
    expect(splicePnpmLock(f, manifest({ user: '^1.0.0' }), t, [{ name: 'dup', from: '1.0.0', to: '2.0.0' }]))
      .toEqual({ ok: false, reason: 'nothing that keeps its version asks for dup@2.0.0 in the to lockfile' });
    // dom moved too in to (dom 2 for react 18.2): dom 1 would keep the old react as its peer next to the new one.
    const peerLeft = v9({ react: ['18.2.0', '18.2.0'], dom: ['^2.0.0', '2.0.0(react@18.2.0)'] }, { 'react@18.2.0': {}, 'dom@2.0.0(react@18.2.0)': { react: '18.2.0' } });
    expect(splicePnpmLock(peered('18.0.0'), manifest({ react: '18.0.0', dom: '^1.0.0' }), peerLeft, [{ name: 'react', from: '18.0.0', to: '18.2.0' }]))
      .toEqual({ ok: false, reason: 'dom@1.0.0(react@18.0.0) keeps react@18.0.0 as its peer, and the to lockfile has no such entry' });
    expect(splicePnpmLock(from, manifest({ dup: '1.0.0', noise: '~1.0.0', user: '^1.0.0' }), to, up))
      .toEqual({ ok: false, reason: 'package.json\'s dependencies does not hold noise@1.0.0 as the lockfile says' });
    expect(splicePnpmLock(from, fromManifest, to.replace(/specifier: \^1\.1\.0/, 'specifier: ~1.0.0'), up))
      .toMatchObject({ ok: false, reason: expect.stringMatching(/range for noise in \. \(1\.0\.0\) does not admit 1\.1\.0/) });
    expect(splicePnpmLock('lockfileVersion: 5.4\nspecifiers: {}\n', fromManifest, to, up))
      .toMatchObject({ ok: false, reason: expect.stringMatching(/lockfileVersion 5\.4; trials splice 6\.0/) });
    expect(splicePnpmLock(`${from}---\n: [\n`, fromManifest, to, up)).toEqual({ ok: false, reason: 'the from pnpm-lock.yaml is not valid YAML' });
  });

  it('splices the project document of a pnpm 11 lock and keeps from\'s env document byte for byte', () => {
    const env = (pnpm: string) => `---\nlockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    configDependencies: {}\n    packageManagerDependencies:\n      pnpm:\n        specifier: ${pnpm}\n        version: ${pnpm}\n\npackages:\n\n  pnpm@${pnpm}:\n    resolution: {integrity: sha512-p}\n\nsnapshots:\n\n  pnpm@${pnpm}: {}\n`;
    const out = splicePnpmLock(`${env('11.0.0')}---\n${peered('18.0.0')}`, manifest({ react: '18.0.0', dom: '^1.0.0' }), `${env('11.1.0')}---\n${peered('18.2.0')}`,
      [{ name: 'react', from: '18.0.0', to: '18.2.0' }]);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.lock.startsWith(`${env('11.0.0')}---\n`)).toBe(true);
    const docs = parseAllDocuments(out.lock);
    expect(Array.isArray(docs) && docs.length).toBe(2);
    expect(edges(out.lock.slice(env('11.0.0').length))).toEqual({ '.': { dom: '1.0.0(react@18.2.0)', react: '18.2.0' }, 'dom@1.0.0(react@18.2.0)': { react: '18.2.0' }, 'react@18.2.0': {} });
    expect(rootGroupsOf(`${env('11.0.0')}---\n${peered('18.0.0')}`, [{ name: 'react', from: '18.0.0', to: '18.2.0' }])).toEqual(new Map([['dependencies', [{ name: 'react', from: '18.0.0', to: '18.2.0' }]]]));
  });

  it('renames the dependents of a moved peer with it', () => {
    const out = splicePnpmLock(peered('18.0.0'), manifest({ react: '18.0.0', dom: '^1.0.0' }), peered('18.2.0'), [{ name: 'react', from: '18.0.0', to: '18.2.0' }]);
    expect(out.ok && edges(out.lock)).toEqual({ '.': { dom: '1.0.0(react@18.2.0)', react: '18.2.0' }, 'dom@1.0.0(react@18.2.0)': { react: '18.2.0' }, 'react@18.2.0': {} });
    expect(out.ok && Object.keys((parse(out.lock) as { packages: object }).packages)).toEqual(['dom@1.0.0', 'react@18.2.0']);
  });

  it('gives the same bytes for the same inputs', () => {
    const up = [{ name: 'dup', from: '1.0.0', to: '2.0.0' }, { name: 'noise', from: '1.0.0', to: '1.1.0' }];
    expect(splicePnpmLock(from, fromManifest, to, up)).toEqual(splicePnpmLock(from, fromManifest, to, [...up].reverse()));
  });
});

describe('splicePnpmLock (lockfile 6.0)', () => {
  const lock6 = (dup: string, user: string) => `lockfileVersion: '6.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\n`
    + `dependencies:\n  user:\n    specifier: ^1.0.0\n    version: 1.0.0\n\npackages:\n\n  /dup@${dup}:\n    resolution: ${resolution(dup)}\n    dev: false\n\n`
    + `  /user@1.0.0:\n    resolution: ${resolution(user)}\n    dependencies:\n      dup: ${dup}\n    dev: false\n`;

  it('moves the edge in the packages map, keyed with a leading slash', () => {
    const out = splicePnpmLock(lock6('1.0.0', 'u'), manifest({ user: '^1.0.0' }), lock6('1.2.0', 'u'), [{ name: 'dup', from: '1.0.0', to: '1.2.0' }]);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const doc = parse(out.lock) as { packages: Record<string, { dependencies?: Deps }>; dependencies: unknown };
    expect(Object.keys(doc.packages)).toEqual(['/dup@1.2.0', '/user@1.0.0']);
    expect(doc.packages['/user@1.0.0']?.dependencies).toEqual({ dup: '1.2.0' });
    expect(doc.dependencies).toEqual({ user: { specifier: '^1.0.0', version: '1.0.0' } });
  });
});

describe('rootGroupsOf', () => {
  const lock = v9({ dup: ['1.0.0', '1.0.0'], user: ['^1.0.0', '1.0.0'] }, { 'dup@1.0.0': {}, 'user@1.0.0': { deep: '1.0.0' }, 'deep@1.0.0': {} });

  it('groups upgrades of the root\'s direct dependencies by their section, for pnpm add', () => {
    const up = [{ name: 'dup', from: '1.0.0', to: '2.0.0' }, { name: 'user', from: '1.0.0', to: '1.1.0' }];
    expect(rootGroupsOf(lock, up)).toEqual(new Map([['dependencies', up]]));
  });

  it('has no answer for a transitive package or a version the root does not have', () => {
    expect(rootGroupsOf(lock, [{ name: 'deep', from: '1.0.0', to: '1.1.0' }])).toBeUndefined();
    expect(rootGroupsOf(lock, [{ name: 'dup', from: '0.9.0', to: '2.0.0' }])).toBeUndefined();
    expect(rootGroupsOf('lockfileVersion: 5.4\n', [{ name: 'dup', from: '1.0.0', to: '2.0.0' }])).toBeUndefined();
  });
});
