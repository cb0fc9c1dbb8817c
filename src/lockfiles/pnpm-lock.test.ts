import { parse as parseDepPath } from '@pnpm/dependency-path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments, stringify } from 'yaml';
import type { DependencySet } from '../types.js';
import format, { parsePnpmLock } from './pnpm-lock.js';
import { mine, valueOrThrow, versionsOf, type Versions } from '../../test/helpers/lockfile-tests.js';
import { readFixture } from '../../test/helpers/fixtures.js';

const read = (dir: string): string => readFixture(`${dir}/pnpm-lock.yaml`);
const V9_OLD = 'pnpm-lock-v9/pnpm__pnpm@v11.21.0';
const V9_NEW = 'pnpm-lock-v9/pnpm__pnpm@v11.22.0';
const V6 = 'pnpm-lock-v6/pnpm__pnpm@v8.15.0';

function parsed(text: string): DependencySet {
  return valueOrThrow(parsePnpmLock(text, 'pnpm-lock.yaml'));
}


/**
 * The reference: the `yaml` package reads every document (split by it, not by reldiff), the project document
 * is the one whose importers have dependencies, and @pnpm/dependency-path (pnpm's own code) splits each key.
 * "Package" here = one installed node: a `snapshots` key in 9.x, a `packages` key in 6.x (peer variants and
 * patched copies are separate nodes, as in node_modules/.pnpm).
 */
function reference(text: string): { nodes: string[]; versions: Versions; direct: string[] } {
  const docs = parseAllDocuments(text).map(d => d.toJS() as Record<string, Record<string, Record<string, unknown>>>);
  const doc = docs.filter(d => Object.values(d['importers'] ?? {}).some(i => 'dependencies' in i || 'devDependencies' in i)).pop()!;
  const nodes = Object.keys(doc['snapshots'] ?? doc['packages'] ?? {});
  const versions = versionsOf(nodes.map(key => {
    const p = parseDepPath(key.replace(/^\//, ''));
    // pnpm writes a `version` field for packages whose key is not name@version (here `node@runtime:26.7.0`).
    const field = doc['packages']?.[key.replace(/\(.*$/, '')]?.['version'];
    return [p.name!, typeof field === 'string' ? field : p.version ?? p.nonSemverVersion!];
  }));
  const direct = new Set<string>();
  for (const importer of Object.values(doc['importers'] ?? {})) {
    for (const group of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      for (const [name, dep] of Object.entries((importer[group] ?? {}) as Record<string, { version: string }>)) {
        if (dep.version.startsWith('link:')) continue;
        // An alias (`npm:real@range`) installs the real package: its version field is the real node key.
        const real = /^\/?(@?[^@(]+)@\d/.exec(dep.version)?.[1];
        direct.add(real ?? name);
      }
    }
  }
  return { nodes, versions, direct: [...direct].sort() };
}

describe('pnpm-lock on real lockfiles', () => {
  it.each([
    [V9_OLD, 1665, '9.0'],
    [V9_NEW, 1667, '9.0'],
    [V6, 1614, '6.0'],
  ])('%s: %i installed nodes, the same name/version sets as the reference', (dir, count) => {
    const text = read(dir);
    const set = parsed(text);
    const ref = reference(text);
    expect(ref.nodes.length).toBe(count);
    expect(set.packages.length).toBe(count);
    expect(mine(set)).toEqual(ref.versions);
    expect([...new Set(set.packages.filter(p => p.direct).map(p => p.name))].sort()).toEqual(ref.direct);
  });

  it('reads the project document of a two-document pnpm 11 file, not the package manager one', () => {
    const set = parsed(read(V9_OLD));
    // The first document only pins pnpm itself and its platform binaries.
    expect(set.packages.some(p => p.name === '@pnpm/exe.linux-x64')).toBe(false);
    expect(set.packages.find(p => p.name === '@babel/core')).toMatchObject({ version: '7.29.7', direct: true });
  });

  it('diffs v11.21.0 -> v11.22.0 exactly as the reference does', () => {
    const [a, b] = [read(V9_OLD), read(V9_NEW)];
    const changed = (x: Versions, y: Versions): string[] => [...new Set([...Object.keys(x), ...Object.keys(y)])]
      .filter(n => JSON.stringify(x[n]) !== JSON.stringify(y[n])).sort();
    const refChanged = changed(reference(a).versions, reference(b).versions);
    const ours = changed(mine(parsed(a)), mine(parsed(b)));
    expect(ours).toEqual(refChanged);
    expect(ours.length).toBe(refChanged.length);
    expect(ours.length).toBeGreaterThan(0);
  });

  it('keeps patched copies and peer variants as separate nodes, and reads requiresBuild and dev from 6.0', () => {
    const set = parsed(read(V6));
    const graceful = set.packages.filter(p => p.name === 'graceful-fs').map(p => p.installPath);
    expect(graceful).toEqual(['graceful-fs@4.2.10', 'graceful-fs@4.2.11(patch_hash=ivtm2a2cfr5pomcfbedhmr5v2q)']);
    expect(set.packages.filter(p => p.facts.native).length).toBe(63);
    expect(set.packages.find(p => p.name === '@babel/core')).toMatchObject({ direct: true, dev: true });
  });

  it('gives the same packages after a rewrite of the real 6.0 file into the 9.0 layout (noise is not a change)', () => {
    // The rewrite is done here with the `yaml` package, the way pnpm 9 splits a 6.0 `packages` entry into
    // `packages` (metadata, key without peers) and `snapshots` (graph, key with peers), behind an env document.
    type Entry = Record<string, unknown>;
    const six = parseYaml(read(V6)) as { importers: Record<string, Record<string, Record<string, { specifier: string; version: string }>>>; packages: Record<string, Entry> };
    const unslash = (ref: string): string => ref.replace(/^\//, '');
    const packages: Record<string, Entry> = {};
    const snapshots: Record<string, Entry> = {};
    for (const [key, entry] of Object.entries(six.packages)) {
      const { dependencies, optionalDependencies, dev: _dev, optional, transitivePeerDependencies: _t, requiresBuild: _r, ...meta } = entry;
      packages[unslash(key).replace(/\(.*$/, '')] = meta;
      const refs = (deps: unknown): Record<string, string> | undefined => deps
        ? Object.fromEntries(Object.entries(deps as Record<string, string>).map(([n, v]) => [n, unslash(v)])) : undefined;
      snapshots[unslash(key)] = JSON.parse(JSON.stringify({ dependencies: refs(dependencies), optionalDependencies: refs(optionalDependencies), optional })) as Entry;
    }
    const importers = Object.fromEntries(Object.entries(six.importers).map(([path, imp]) => [path, Object.fromEntries(
      Object.entries(imp).map(([group, deps]) => [group, Object.fromEntries(Object.entries(deps).map(([n, d]) => [n, { ...d, version: unslash(d.version) }]))]))]));
    const nine = `---\nlockfileVersion: '9.0'\n\nimporters:\n  .:\n    configDependencies: {}\n---\n${stringify({ lockfileVersion: '9.0', importers, packages, snapshots })}`;
    const strip = (set: DependencySet): unknown[] => set.packages.map(p => ({ ...p, facts: { ...p.facts, native: undefined } }));
    expect(strip(parsed(nine))).toEqual(strip(parsed(read(V6))));
  });

  it('is detected by name and by content', () => {
    expect(format.detect('packages/app/pnpm-lock.yaml', '')).toBe(true);
    expect(format.detect('old.yaml', "---\nlockfileVersion: '9.0'\n")).toBe(true);
    expect(format.detect('x.yaml', 'foo: 1\n')).toBe(false);
  });
});

// ---------------------------------------------------------------- hand-written cases

const V9_SMALL = `lockfileVersion: '9.0'

settings:
  autoInstallPeers: true

catalogs:
  default:
    react:
      specifier: ^18.0.0
      version: 18.2.0

patchedDependencies:
  left-pad@1.3.0: 0123abcd

importers:

  .:
    dependencies:
      react:
        specifier: 'catalog:'
        version: 18.2.0
      my-alias:
        specifier: npm:left-pad@^1.3.0
        version: left-pad@1.3.0(patch_hash=0123abcd)
      sibling:
        specifier: workspace:*
        version: link:packages/sibling
    devDependencies:
      tool:
        specifier: ^1.0.0
        version: 1.0.0(react@18.2.0)
    optionalDependencies:
      fsevents:
        specifier: ^2.3.0
        version: 2.3.3

packages:

  fsevents@2.3.3:
    resolution: {integrity: sha512-fse==}
    os: [darwin]

  left-pad@1.3.0:
    resolution: {integrity: sha512-lp==, tarball: https://registry.example/left-pad-1.3.0.tgz}

  loose-envify@1.4.0:
    resolution: {integrity: sha512-le==}
    hasBin: true

  react@18.2.0:
    resolution: {integrity: sha512-r==}

  tool@1.0.0:
    resolution: {type: git, repo: 'https://github.com/x/tool.git', commit: abc123}
    peerDependencies:
      react: '*'

  helper@2.0.0:
    resolution: {integrity: sha512-h==}

snapshots:

  fsevents@2.3.3:
    optional: true

  left-pad@1.3.0(patch_hash=0123abcd): {}

  loose-envify@1.4.0: {}

  react@18.2.0:
    dependencies:
      loose-envify: 1.4.0

  tool@1.0.0(react@18.2.0):
    dependencies:
      helper: 2.0.0
      react: 18.2.0

  helper@2.0.0: {}
`;

describe('pnpm-lock edge cases', () => {
  it('reads aliases, patches, catalogs, links, peers, git resolutions and computes dev from the graph', () => {
    const set = parsed(V9_SMALL);
    expect(set.packages.map(p => [p.name, p.version, p.direct, p.dev])).toEqual([
      ['fsevents', '2.3.3', true, false],
      ['helper', '2.0.0', false, true],
      ['left-pad', '1.3.0', true, false],
      ['loose-envify', '1.4.0', false, false],
      ['react', '18.2.0', true, false],
      ['tool', '1.0.0', true, true],
    ]);
    const byName = Object.fromEntries(set.packages.map(p => [p.name, p]));
    expect(byName['fsevents']?.facts).toEqual({ optional: true, integrity: 'sha512-fse==' });
    expect(byName['left-pad']?.facts.resolved).toBe('https://registry.example/left-pad-1.3.0.tgz');
    expect(byName['tool']?.facts.resolved).toBe('https://github.com/x/tool.git#abc123');
    expect(byName['tool']?.installPath).toBe('tool@1.0.0(react@18.2.0)');
  });

  it('gives the same packages for one project written as 5.4, 6.0 and 9.0', () => {
    const v6 = `lockfileVersion: '6.0'

dependencies:
  react:
    specifier: ^18.0.0
    version: 18.2.0
  my-alias:
    specifier: npm:left-pad@^1.3.0
    version: /left-pad@1.3.0(patch_hash=0123abcd)

devDependencies:
  tool:
    specifier: ^1.0.0
    version: 1.0.0(react@18.2.0)

optionalDependencies:
  fsevents:
    specifier: ^2.3.0
    version: 2.3.3

packages:

  /fsevents@2.3.3:
    resolution: {integrity: sha512-fse==}
    os: [darwin]
    requiresBuild: true
    dev: false
    optional: true

  /left-pad@1.3.0(patch_hash=0123abcd):
    resolution: {integrity: sha512-lp==, tarball: https://registry.example/left-pad-1.3.0.tgz}
    dev: false

  /loose-envify@1.4.0:
    resolution: {integrity: sha512-le==}
    dev: false

  /react@18.2.0:
    resolution: {integrity: sha512-r==}
    dependencies:
      loose-envify: 1.4.0
    dev: false

  /tool@1.0.0(react@18.2.0):
    resolution: {type: git, repo: 'https://github.com/x/tool.git', commit: abc123}
    name: tool
    version: 1.0.0
    dependencies:
      helper: 2.0.0
      react: 18.2.0
    dev: true

  /helper@2.0.0:
    resolution: {integrity: sha512-h==}
    dev: true
`;
    const v5 = `lockfileVersion: 5.4

specifiers:
  fsevents: ^2.3.0
  my-alias: npm:left-pad@^1.3.0
  react: ^18.0.0
  tool: ^1.0.0

dependencies:
  my-alias: /left-pad/1.3.0_0123abcd
  react: 18.2.0

devDependencies:
  tool: 1.0.0_react@18.2.0

optionalDependencies:
  fsevents: 2.3.3

packages:

  /fsevents/2.3.3:
    resolution: {integrity: sha512-fse==}
    requiresBuild: true
    optional: true

  /left-pad/1.3.0_0123abcd:
    resolution: {integrity: sha512-lp==}

  /loose-envify/1.4.0:
    resolution: {integrity: sha512-le==}

  /react/18.2.0:
    resolution: {integrity: sha512-r==}
    dependencies:
      loose-envify: 1.4.0

  /tool/1.0.0_react@18.2.0:
    resolution: {integrity: sha512-t==}
    dependencies:
      helper: 2.0.0
      react: 18.2.0
    dev: true

  /helper/2.0.0:
    resolution: {integrity: sha512-h==}
    dev: true
`;
    const flags = (s: DependencySet): string[] => s.packages.map(p => `${p.name}@${p.version} direct=${p.direct} dev=${p.dev}`);
    const nine = flags(parsed(V9_SMALL));
    expect(flags(parsed(v6))).toEqual(nine);
    expect(flags(parsed(v5))).toEqual(nine);
    expect(parsed(v6).packages.find(p => p.name === 'fsevents')?.facts.native).toBe(true);
  });

  it('reads a scoped 5.x key with a peer suffix', () => {
    const text = "lockfileVersion: 5.3\n\npackages:\n\n  /@scope/pkg/1.2.3_@types+react@18.0.0_react@18.0.0:\n    resolution: {integrity: x}\n";
    expect(parsed(text).packages.map(p => [p.name, p.version])).toEqual([['@scope/pkg', '1.2.3']]);
  });

  it('refuses a lockfile version newer than any it knows, saying which it reads', () => {
    const r = parsePnpmLock(V9_SMALL.replace("'9.0'", "'10.0'"), 'pnpm-lock.yaml');
    expect(!r.ok && r.error.message).toBe("pnpm-lock.yaml:1 (pnpm-lock) has lockfileVersion 10.0, which reldiff does not know: `lockfileVersion: '10.0'`");
    expect(!r.ok && r.error.hint).toMatch(/reldiff reads pnpm lockfileVersion 5\.x to 9\.x/);
    for (const version of ['4.0', "'nine'", '{a: 1}', '[9]']) {
      expect(parsePnpmLock(V9_SMALL.replace("'9.0'", version), 'pnpm-lock.yaml').ok).toBe(false);
    }
    for (const version of ['9.0', '"9.0"', "'9.0'"]) {
      expect(parsePnpmLock(V9_SMALL.replace("'9.0'", version), 'pnpm-lock.yaml').ok).toBe(true);
    }
  });

  it.each([
    ['a version that is a map', '  a@1.0.0:\n    resolution: {integrity: x}\n    version: {a: 1}\n', /has "version" = a table or object in "a@1\.0\.0", where a string is expected/],
    ['a name that is a list', '  a@1.0.0:\n    resolution: {integrity: x}\n    name: [a]\n', /has "name" = a list in "a@1\.0\.0"/],
    ['a resolution that is text', '  a@1.0.0:\n    resolution: sha512-x\n', /has "resolution" = a string \(sha512-x\) in "a@1\.0\.0", where a map is expected/],
    ['an integrity that is a list', '  a@1.0.0:\n    resolution: {integrity: [x]}\n', /has "resolution\.integrity" = a list/],
    ['a dependency that is a map', '  a@1.0.0:\n    resolution: {integrity: x}\n    dependencies:\n      b: {v: 1}\n', /has "dependencies\.b" = a table or object in "a@1\.0\.0", where a version is expected/],
  ])('refuses %s with the key and its line', (_what, node, message) => {
    const text = `lockfileVersion: '9.0'\n\npackages:\n\n${node}`;
    const r = parsePnpmLock(text, 'pnpm-lock.yaml');
    expect(!r.ok && r.error.message).toMatch(message);
    expect(!r.ok && r.error.line).toBe(5);
    expect(!r.ok && r.error.message).not.toMatch(/\[object Object\]/);
  });

  it.each([
    ['invalid YAML', "lockfileVersion: '9.0'\npackages:\n  foo@1.0.0:\n    resolution: {integrity: [x\n", 4],
    ['a node that is not a map', "lockfileVersion: '9.0'\n\npackages:\n\n  foo@1.0.0: hello\n", 5],
    ['a quoted node that is not a map', "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      '@s/a':\n        specifier: ^1\n        version: 1.0.0\n\npackages:\n\n  '@s/a@1.0.0': hello\n", 13],
    ['a key without a version', "lockfileVersion: '9.0'\n\npackages:\n\n  justaname:\n    resolution: {integrity: x}\n", 5],
    ['no lockfileVersion', 'hello: world\n', 1],
  ])('returns ok:false naming file, format and line for %s', (_what, text, line) => {
    const r = parsePnpmLock(text, 'apps/web/pnpm-lock.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.line).toBe(line);
    expect(r.error.message).toContain(`apps/web/pnpm-lock.yaml:${line} (pnpm-lock)`);
    expect(r.error.hint).toMatch(/pnpm install/);
  });
});

// ---------------------------------------------------------------- properties

const pkgName = fc.stringMatching(/^(@[a-z]{1,4}\/)?[a-z][a-z0-9-]{0,8}$/);
const semver = fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20)).map(([a, b, c]) => `${a}.${b}.${c}`);
const packageList = fc.uniqueArray(fc.record({ name: pkgName, version: semver, direct: fc.boolean() }),
  { selector: p => `${p.name}@${p.version}`, maxLength: 25 });

function renderV9(pkgs: { name: string; version: string; direct: boolean }[]): string {
  const q = (s: string): string => `'${s}'`;
  const seen = new Set<string>();
  const deps = pkgs.filter(p => p.direct).map(p => ({ ...p, key: `${p.name}@${p.version}` }))
    .sort((a, b) => (a.key < b.key ? -1 : 1)).filter(p => !seen.has(p.name) && seen.add(p.name));
  return [
    "lockfileVersion: '9.0'", '', 'importers:', '', '  .:',
    ...(deps.length ? ['    dependencies:', ...deps.flatMap(p => [`      ${q(p.name)}:`, `        specifier: ^${p.version}`, `        version: ${p.version}`])] : []),
    '', 'packages:', '', ...pkgs.flatMap(p => [`  ${q(`${p.name}@${p.version}`)}:`, '    resolution: {integrity: sha512-x}', '']),
    'snapshots:', '', ...pkgs.flatMap(p => [`  ${q(`${p.name}@${p.version}`)}: {}`, '']),
  ].join('\n');
}

describe('pnpm-lock properties', () => {
  it('parse(render(x)) gives back x, whatever the entry order', () => {
    fc.assert(fc.property(packageList, fc.func(fc.integer()), (pkgs, order) => {
      const expected = pkgs.map(p => `${p.name}@${p.version}`).sort();
      const once = parsed(renderV9(pkgs));
      expect(once.packages.map(p => `${p.name}@${p.version}`).sort()).toEqual(expected);
      const shuffled = [...pkgs].sort((a, b) => order(a.name + a.version) - order(b.name + b.version));
      expect(parsed(renderV9(shuffled))).toEqual(once);
    }), { numRuns: 150 });
  });
});

describe('pnpm-lock at scale', () => {
  it('reads a 15 MB two-document lockfile with 58 000 nodes (no YAML size or key limits)', () => {
    const n = 58_000;
    const parts: string[] = ["---\nlockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    configDependencies: {}\n\n---\nlockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n"];
    for (let i = 0; i < 500; i++) parts.push(`      pkg-${i * 100}:\n        specifier: ^1.0.0\n        version: 1.${i % 9}.0\n`);
    parts.push('\npackages:\n\n');
    for (let i = 0; i < n; i++) {
      parts.push(`  '@scope/pkg-${i}@1.${i % 9}.0':\n    resolution: {integrity: sha512-${'A'.repeat(86)}==}\n    engines: {node: '>=18'}\n\n`);
    }
    parts.push('snapshots:\n\n');
    for (let i = 0; i < n; i++) parts.push(`  '@scope/pkg-${i}@1.${i % 9}.0':\n    dependencies:\n      '@scope/pkg-${(i * 7) % n}': 1.${((i * 7) % n) % 9}.0\n\n`);
    const text = parts.join('');
    expect(text.length).toBeGreaterThan(15e6);
    const set = parsed(text);
    expect(set.packages.length).toBe(n);
    expect(set.packages.filter(p => p.facts.integrity).length).toBe(n);
  });
});
