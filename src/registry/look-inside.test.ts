import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildSdist, buildWheel, lieAboutSize, pypiProject, pypiRelease } from '../../test/helpers/fake-pypi.js';
import { zeroBomb } from '../../test/helpers/gzip-bomb.js';
import { buildTarball, packument, registryPool, startRegistry } from '../../test/helpers/registry-server.js';
import type { RegistryServer } from '../../test/helpers/registry-server.js';
import type { DependencyChange, SourceInput } from '../types.js';
import { enrichDependencies } from './index.js';
import type { EnrichOptions } from './index.js';
import type { AnalyzeSources } from './deep-scan.js';

// The look-inside end to end over loopback: a fake PyPI (JSON API and files), the fake npm registry and a fake
// GitHub releases API, with archives built at test time, hostile ones included.

const PASSWORD = 'pypiS3cretPassw0rd';
const GH_TOKEN = 'ghp_FAKEtoken0123456789abcdef';

const change = (name: string, from: string, to: string, ecosystem: 'npm' | 'pypi' = 'pypi', extra: Partial<DependencyChange> = {}): DependencyChange => ({
  ecosystem, lockfile: ecosystem === 'pypi' ? 'requirements.txt' : 'package-lock.json', name, from, to, fromVersions: [from], toVersions: [to],
  change: 'minor', direct: true, dev: false, signals: [], commits: [], ...extra,
});

let dir = '';
const { serve, closeAll } = registryPool();
const extraServers: RegistryServer[] = [];
const seen: SourceInput[] = [];
/** A stand-in rule engine: one finding per added line that assigns a module-level dict, so that what was read shows. */
const analyze: AnalyzeSources = async inputs => {
  for (const i of inputs) seen.push(i);
  return {
    findings: inputs.flatMap(i => (i.text ?? '').split('\n').flatMap((line, n) => (/^[A-Z_]+ = \{\}/.test(line) && i.change.added.some(r => r.start <= n + 1 && n + 1 <= r.end)
      ? [{ rule: 'py-module-cache', severity: 'medium' as const, file: i.path, line: n + 1, message: 'module-level dict', commits: [] }] : []))),
    warnings: [],
  };
};
const options = (env: Record<string, string>, extra: Partial<EnrichOptions> = {}): EnrichOptions => ({
  projectDir: dir, env: { HOME: dir, PIP_CONFIG_FILE: join(dir, 'none'), ...env }, cacheDir: join(dir, 'cache'), toDate: '2024-03-10T00:00:00Z',
  retryBaseMs: 5, retries: 1, timeoutMs: 2_000, analyzeSources: analyze, ...extra,
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reldiff-look-'));
  seen.length = 0;
});
afterEach(async () => {
  await closeAll();
  await Promise.all(extraServers.splice(0).map(s => s.close()));
  await rm(dir, { recursive: true, force: true });
});

/** A fake index for `name` with versions and their archives, all under `server`. */
function publish(server: RegistryServer, name: string, versions: Record<string, { filename: string; body: Buffer }[]>, info: Record<string, Record<string, unknown>> = {}) {
  server.route(`/pypi/${name}/json`, { body: pypiProject(name, Object.fromEntries(Object.entries(versions).map(([v, f]) => [v, f.map(x => x.filename)]))) });
  for (const [version, files] of Object.entries(versions)) {
    server.route(`/pypi/${name}/${version}/json`, { body: pypiRelease(server.url, name, version, files, info[version] ?? {}) });
    for (const f of files) server.route(`/files/${f.filename}`, { body: f.body });
  }
}

describe('looking inside PyPI upgrades', () => {
  it('diffs the sdists, runs the rules on added .py lines, names changed C parts, and quotes a later leak fix', async () => {
    const index = await serve();
    const v1 = buildSdist('pool', '1.0.0', { 'pool/__init__.py': 'x = 1\n', 'pool/_speedups.c': 'int a;\n', 'tests/test_pool.py': 'CACHE = {}\n', 'CHANGES.rst': '1.0.0\n-----\n- first\n' });
    const v2 = buildSdist('pool', '1.1.0', { 'pool/__init__.py': 'x = 1\nCACHE = {}\n', 'pool/_speedups.c': 'int a; int b;\n', 'tests/test_pool.py': 'CACHE = {}\nX = {}\n',
      'CHANGES.rst': '1.1.0\n-----\n- Connections are now pooled per host\n\n1.0.0\n-----\n- first\n' });
    const v3 = buildSdist('pool', '1.2.0', { 'pool/__init__.py': 'x = 1\n', 'CHANGES.rst': '1.2.0\n-----\n- Fix memory leak when a connection is dropped mid-request\n\n1.1.0\n-----\n- Connections are now pooled per host\n' });
    publish(index, 'pool', { '1.0.0': [{ filename: 'pool-1.0.0.tar.gz', body: v1 }], '1.1.0': [{ filename: 'pool-1.1.0.tar.gz', body: v2 }], '1.2.0': [{ filename: 'pool-1.2.0.tar.gz', body: v3 }] });
    const indexUrl = `http://deploy:${PASSWORD}@${index.url.slice(7)}simple`;
    const changes = [change('pool', '1.0.0', '1.1.0')];
    const told: string[] = [];
    const { warnings, stats } = await enrichDependencies(changes, options({ PIP_INDEX_URL: indexUrl }, { onSecrets: s => told.push(...s) }));
    expect(seen.map(i => i.path)).toEqual(['pool@1.1.0/pool/__init__.py']);
    const byId = Object.fromEntries(changes[0]?.signals.map(s => [s.id, s.detail]) ?? []);
    expect(byId['deep-scan']).toBe('inside pool 1.0.0 -> 1.1.0: 1 finding (py-module-cache at pool/__init__.py:2: module-level dict)');
    expect(byId['compiled-changed']).toBe("compiled parts of pool changed 1.0.0 -> 1.1.0 (pool/_speedups.c): leaks there are invisible to Python's heap tools");
    expect(byId['later-leak-fix']).toBe('v1.2.0 notes (CHANGES.rst of pool 1.2.0): "Fix memory leak when a connection is dropped mid-request": the version you moved to (1.1.0) may have it');
    expect(byId['notes-retention']).toBe('between 1.0.0 and 1.1.0, v1.1.0 notes (CHANGES.rst of pool 1.2.0): "Connections are now pooled per host": keeping more in memory is announced as a feature');
    expect(warnings).toEqual(['deep scan: read both versions of 1 upgraded PyPI package (pool): leak signals in 1 of them (see their reasons)']);
    expect(stats?.bytesRead).toBe(v1.length + v2.length + v3.length);
    // The index's credentials went to the index with every request, and nowhere into the results.
    const auth = `Basic ${Buffer.from(`deploy:${PASSWORD}`).toString('base64')}`;
    expect(index.requests.every(r => r.headers.authorization === auth)).toBe(true);
    expect(told).toContain(PASSWORD);
    expect(JSON.stringify({ changes, warnings })).not.toContain(PASSWORD);
  });

  it('reads a pure wheel when there is no sdist, and never sends the index credentials to the file host, also after a redirect', async () => {
    const index = await serve();
    const files = await serve();
    const w1 = buildWheel('fastjson', '2.0.0', { 'fastjson/__init__.py': 'y = 2\n' });
    const w2 = buildWheel('fastjson', '2.1.0', { 'fastjson/__init__.py': 'y = 2\nSEEN = {}\n' });
    publish(files, 'fastjson', { '2.0.0': [{ filename: 'fastjson-2.0.0-py3-none-any.whl', body: w1 }], '2.1.0': [{ filename: 'fastjson-2.1.0-py3-none-any.whl', body: w2 }] });
    // The index serves the JSON; its file URLs point at the index, which redirects to another origin (a CDN).
    for (const v of ['2.0.0', '2.1.0']) {
      const file = `fastjson-${v}-py3-none-any.whl`;
      index.route(`/pypi/fastjson/${v}/json`, { body: pypiRelease(index.url, 'fastjson', v, [{ filename: file, body: v === '2.0.0' ? w1 : w2 }]) });
      index.route(`/files/${file}`, { status: 302, headers: { location: `${files.url}files/${file}` } });
    }
    index.route('/pypi/fastjson/json', { body: pypiProject('fastjson', { '2.0.0': ['fastjson-2.0.0-py3-none-any.whl'], '2.1.0': ['fastjson-2.1.0-py3-none-any.whl'] }) });
    const changes = [change('fastjson', '2.0.0', '2.1.0')];
    await enrichDependencies(changes, options({ PIP_INDEX_URL: `http://deploy:${PASSWORD}@${index.url.slice(7)}simple` }));
    expect(changes[0]?.signals.find(s => s.id === 'deep-scan')?.detail).toBe('inside fastjson 2.0.0 -> 2.1.0: 1 finding (py-module-cache at fastjson/__init__.py:2: module-level dict)');
    expect(files.requests.map(r => r.path).sort()).toEqual(['/files/fastjson-2.0.0-py3-none-any.whl', '/files/fastjson-2.1.0-py3-none-any.whl']);
    expect(files.requests.every(r => r.headers.authorization === undefined)).toBe(true);
  });

  it('takes the index from a requirements file line and credentials from .netrc; a second --offline run reads the cache only', async () => {
    const index = await serve();
    const s1 = buildSdist('cachetools', '5.0.0', { 'cachetools/__init__.py': 'a = 1\n' });
    const s2 = buildSdist('cachetools', '5.1.0', { 'cachetools/__init__.py': 'a = 1\nMEMO = {}\n' });
    publish(index, 'cachetools', { '5.0.0': [{ filename: 'cachetools-5.0.0.tar.gz', body: s1 }], '5.1.0': [{ filename: 'cachetools-5.1.0.tar.gz', body: s2 }] });
    await writeFile(join(dir, 'requirements.txt'), `--index-url ${index.url}simple\ncachetools==5.1.0\n`);
    await writeFile(join(dir, '.netrc'), `machine 127.0.0.1 login deploy password ${PASSWORD}\n`);
    const cold = [change('cachetools', '5.0.0', '5.1.0')];
    await enrichDependencies(cold, options({}));
    expect(index.requests.length).toBeGreaterThan(0);
    expect(index.requests.every(r => r.headers.authorization === `Basic ${Buffer.from(`deploy:${PASSWORD}`).toString('base64')}`)).toBe(true);
    const before = index.requests.length;
    const offline = [change('cachetools', '5.0.0', '5.1.0')];
    const { warnings } = await enrichDependencies(offline, options({}, { offline: true }));
    expect(index.requests.length).toBe(before);
    expect(offline[0]?.signals).toEqual(cold[0]?.signals);
    expect(offline[0]?.signals.some(s => s.id === 'deep-scan')).toBe(true);
    expect(warnings).toEqual(['deep scan: read both versions of 1 upgraded PyPI package (cachetools): leak signals in 1 of them (see their reasons)']);
  });
  it('finds a package the main index lacks on PIP_EXTRA_INDEX_URL, reads it from there, and does not call it missing', async () => {
    const main = await serve();
    const extra = await serve();
    const s1 = buildSdist('internal-lib', '0.1.0', { 'internal_lib/__init__.py': 'a = 1\n' });
    const s2 = buildSdist('internal-lib', '0.2.0', { 'internal_lib/__init__.py': 'a = 1\nREG = {}\n' });
    publish(extra, 'internal-lib', { '0.1.0': [{ filename: 'internal-lib-0.1.0.tar.gz', body: s1 }], '0.2.0': [{ filename: 'internal-lib-0.2.0.tar.gz', body: s2 }] });
    const changes = [change('internal-lib', '0.1.0', '0.2.0')];
    const { warnings } = await enrichDependencies(changes, options({ PIP_INDEX_URL: `${main.url}simple`, PIP_EXTRA_INDEX_URL: `${extra.url}simple` }));
    expect(main.requests.map(r => r.path)).toEqual(['/pypi/internal-lib/json']);
    expect(warnings).toEqual(['deep scan: read both versions of 1 upgraded PyPI package (internal-lib): leak signals in 1 of them (see their reasons)']);
  });

  it('goes through the proxy pip.conf names, for an index host that only the proxy can reach, and never prints its password', async () => {
    const origin = 'http://pypi.internal.test/';
    const s1 = buildSdist('viaproxy', '1.0', { 'viaproxy/__init__.py': 'a = 1\n' });
    const s2 = buildSdist('viaproxy', '1.1', { 'viaproxy/__init__.py': 'a = 1\nHELD = {}\n' });
    const bodies = new Map<string, object | Buffer>([
      [`${origin}pypi/viaproxy/json`, pypiProject('viaproxy', { '1.0': ['viaproxy-1.0.tar.gz'], '1.1': ['viaproxy-1.1.tar.gz'] })],
      [`${origin}pypi/viaproxy/1.0/json`, pypiRelease(origin, 'viaproxy', '1.0', [{ filename: 'viaproxy-1.0.tar.gz', body: s1 }])],
      [`${origin}pypi/viaproxy/1.1/json`, pypiRelease(origin, 'viaproxy', '1.1', [{ filename: 'viaproxy-1.1.tar.gz', body: s2 }])],
      [`${origin}files/viaproxy-1.0.tar.gz`, s1], [`${origin}files/viaproxy-1.1.tar.gz`, s2],
    ]);
    const proxy = await startRegistry(path => { const body = bodies.get(path); return body ? { body } : undefined; });
    extraServers.push(proxy);
    await writeFile(join(dir, 'pip.conf'), `[global]\nindex-url = ${origin}simple\nproxy = http://proxyuser:${PASSWORD}@${proxy.url.slice(7)}\n`);
    const changes = [change('viaproxy', '1.0', '1.1')];
    const told: string[] = [];
    const { warnings } = await enrichDependencies(changes, options({ PIP_CONFIG_FILE: join(dir, 'pip.conf') }, { onSecrets: s => told.push(...s) }));
    expect(proxy.requests.map(r => r.path).sort()).toEqual([...bodies.keys()].sort());
    expect(changes[0]?.signals.some(s => s.id === 'deep-scan')).toBe(true);
    expect(told).toContain(PASSWORD);
    expect(JSON.stringify({ changes, warnings })).not.toContain(PASSWORD);
  });

  it('reads a platform wheel when that is all there is, and names the extension module that changed', async () => {
    const index = await serve();
    const w = (v: string, so: string) => buildWheel('fastcore', v, { 'fastcore/__init__.py': 'from ._core import run\n', 'fastcore/_core.cpython-312-x86_64-linux-gnu.so': so });
    const tag = 'cp312-cp312-manylinux_2_17_x86_64.whl';
    publish(index, 'fastcore', { '1.0': [{ filename: `fastcore-1.0-${tag}`, body: w('1.0', 'ELF-one') }], '1.1': [{ filename: `fastcore-1.1-${tag}`, body: w('1.1', 'ELF-two-longer') }] });
    const changes = [change('fastcore', '1.0', '1.1')];
    await enrichDependencies(changes, options({ PIP_INDEX_URL: index.url }));
    expect(changes[0]?.signals.find(s => s.id === 'compiled-changed')?.detail)
      .toBe("compiled parts of fastcore changed 1.0 -> 1.1 (fastcore/_core.cpython-312-x86_64-linux-gnu.so): leaks there are invisible to Python's heap tools");
  });
});

describe('hostile archives and servers', () => {
  it('refuses traversal entries of an sdist, drops a wheel entry that lies about its size, and warns once per package', async () => {
    const index = await serve();
    const evil1 = await buildTarball({ 'evil-1.0/evil/__init__.py': 'a = 1\n' });
    const evil2 = await buildTarball({ 'evil-1.1/evil/__init__.py': 'a = 1\nBAD = {}\n', '../../escape.py': 'X = {}\n' });
    const bomb = buildWheel('bomb', '1.1', { 'bomb/__init__.py': 'b = 1\n' }, [{ name: 'bomb/zeros.py', zeros: 32 * 1024 * 1024 }]);
    publish(index, 'evil', { '1.0': [{ filename: 'evil-1.0.tar.gz', body: evil1 }], '1.1': [{ filename: 'evil-1.1.tar.gz', body: evil2 }] });
    publish(index, 'bomb', { '1.0': [{ filename: 'bomb-1.0-py3-none-any.whl', body: buildWheel('bomb', '1.0', { 'bomb/__init__.py': 'b = 1\n' }) }],
      '1.1': [{ filename: 'bomb-1.1-py3-none-any.whl', body: lieAboutSize(bomb, 'bomb/zeros.py', 10) }] });
    const changes = [change('evil', '1.0', '1.1'), change('bomb', '1.0', '1.1')];
    const { warnings } = await enrichDependencies(changes, options({ PIP_INDEX_URL: index.url }, { tarLimits: { maxFileBytes: 1024 * 1024 } }));
    expect(warnings).toContain('evil@1.1: ignored 1 unsafe tarball entries (File ../../escape.py)');
    expect(seen.map(i => i.path).sort()).toEqual(['evil@1.1/evil/__init__.py']);
    expect(changes[1]?.signals.some(s => s.id === 'deep-scan')).toBe(false);
  });

  it('stops a gzip bomb sdist, survives a 500, invalid JSON and a server that never answers in time, with one warning each', async () => {
    const index = await serve();
    const ok = buildSdist('okpkg', '1.0', { 'okpkg/__init__.py': 'a = 1\n' });
    publish(index, 'gz', { '1.0': [{ filename: 'gz-1.0.tar.gz', body: ok }], '1.1': [{ filename: 'gz-1.1.tar.gz', body: await zeroBomb(40 * 1024 * 1024) }] });
    publish(index, 'five', { '1.0': [{ filename: 'five-1.0.tar.gz', body: ok }], '1.1': [{ filename: 'five-1.1.tar.gz', body: ok }] });
    index.route('/files/five-1.1.tar.gz', { status: 500 });
    publish(index, 'badjson', { '1.0': [], '1.1': [] });
    index.route('/pypi/badjson/1.1/json', { body: '{"info": {' });
    publish(index, 'slow', { '1.0': [{ filename: 'slow-1.0.tar.gz', body: ok }], '1.1': [{ filename: 'slow-1.1.tar.gz', body: ok }] });
    index.route('/files/slow-1.1.tar.gz', { body: ok, delayMs: 1_500 });
    const changes = ['gz', 'five', 'badjson', 'slow'].map(n => change(n, '1.0', '1.1'));
    const { warnings } = await enrichDependencies(changes, options({ PIP_INDEX_URL: index.url }, { timeoutMs: 500, tarLimits: { maxUnpackedBytes: 8 * 1024 * 1024 } }));
    expect(warnings).toContain('gz@1.1: the tarball unpacks to more than 8 MB (a gzip bomb or an unusually large package); stopped reading there; gz is not deep-scanned');
    expect(warnings).toContain('1 package answered with malformed JSON by the registry: badjson@1.1');
    expect(warnings.some(w => /^registry http:\/\/127\.0\.0\.1:\d+ unreachable \((HTTP 500|timed out: no answer within 500 ms)\)/.test(w))).toBe(true);
    expect(changes.every(c => !c.signals.some(s => s.id === 'deep-scan'))).toBe(true);
  });
});

describe('what came after the version moved to, on npm with GitHub releases', () => {
  it('quotes a later GitHub release that fixed a leak, sending GITHUB_TOKEN to the API only and never printing it', async () => {
    const npm = await serve();
    const github = await serve();
    const sri = (b: Buffer) => `sha512-${createHash('sha512').update(b).digest('base64')}`;
    const t1 = await buildTarball({ 'package/package.json': '{}', 'package/index.js': 'module.exports = 1;\n' });
    const t2 = await buildTarball({ 'package/package.json': '{}', 'package/index.js': 'module.exports = 2;\n' });
    const doc = packument('undici-lite', {
      '5.0.0': { tarball: `${npm.url}t1.tgz`, integrity: sri(t1) }, '5.1.0': { tarball: `${npm.url}t2.tgz`, integrity: sri(t2) }, '5.1.2': {},
    }) as { versions: Record<string, Record<string, unknown>> };
    for (const v of Object.values(doc.versions)) v['repository'] = { type: 'git', url: 'git+https://github.com/acme/undici-lite.git' };
    // 5.1.2 has no tarball here: its notes come from GitHub alone.
    delete (doc.versions['5.1.2']?.['dist'] as Record<string, unknown>)['tarball'];
    npm.route('/undici-lite', { body: doc });
    npm.route('/t1.tgz', { body: t1 });
    npm.route('/t2.tgz', { body: t2 });
    github.route('/repos/acme/undici-lite/releases?per_page=100', { body: [
      { tag_name: 'v5.1.2', draft: false, body: '## Bug fixes\n* fix: memory leak when the keep-alive socket is reset (#1234)\n* docs\n' },
      { tag_name: 'v5.1.1', draft: false, body: '* fix: typo in error message\n' },
      { tag_name: 'v5.1.0', draft: false, body: '* feat: connection pool reuses sockets across origins\n' },
      { tag_name: 'v5.0.0', draft: false, body: '* fix a leak in the old pool\n' },
    ] });
    await writeFile(join(dir, '.npmrc'), `registry=${npm.url}\n`);
    const changes = [change('undici-lite', '5.0.0', '5.1.0', 'npm')];
    const told: string[] = [];
    const { warnings } = await enrichDependencies(changes, options({ GITHUB_API_URL: github.url, GITHUB_TOKEN: GH_TOKEN }, { onSecrets: s => told.push(...s) }));
    const byId = Object.fromEntries(changes[0]?.signals.map(s => [s.id, s.detail]) ?? []);
    expect(byId['later-leak-fix']).toBe('v5.1.2 notes (GitHub release notes of acme/undici-lite): "fix: memory leak when the keep-alive socket is reset (#1234)": the version you moved to (5.1.0) may have it');
    expect(byId['notes-retention']).toBe('between 5.0.0 and 5.1.0, v5.1.0 notes (GitHub release notes of acme/undici-lite): "feat: connection pool reuses sockets across origins": keeping more in memory is announced as a feature');
    expect(warnings).toEqual(['deep scan: read both versions of 1 upgraded npm package (undici-lite): leak signals in 1 of them (see their reasons)']);
    expect(github.requests.map(r => r.headers.authorization)).toEqual([`Bearer ${GH_TOKEN}`]);
    expect(npm.requests.every(r => r.headers.authorization === undefined)).toBe(true);
    expect(told).toContain(GH_TOKEN);
    expect(JSON.stringify({ changes, warnings })).not.toContain(GH_TOKEN);
  });

  it('says once which repositories GitHub refused, with the hint a missing token needs, and still reads the rest', async () => {
    const npm = await serve();
    const github = await serve();
    const names = ['one', 'two'];
    for (const name of names) {
      const doc = packument(name, { '1.0.0': {}, '1.1.0': {} }) as { versions: Record<string, Record<string, unknown>> };
      for (const v of Object.values(doc.versions)) {
      v['repository'] = `github:acme/${name}`;
      delete (v['dist'] as Record<string, unknown>)['tarball'];
    }
      npm.route(`/${name}`, { body: doc });
      github.route(`/repos/acme/${name}/releases?per_page=100`, { status: 403, body: { message: 'API rate limit exceeded' } });
    }
    await writeFile(join(dir, '.npmrc'), `registry=${npm.url}\n`);
    const changes = names.map(n => change(n, '1.0.0', '1.1.0', 'npm'));
    const { warnings } = await enrichDependencies(changes, options({ GITHUB_API_URL: github.url }));
    expect(warnings).toEqual(['GitHub releases of 2 repositories not read (HTTP 403): acme/one, acme/two; set GITHUB_TOKEN for a higher rate limit']);
    expect(github.requests.every(r => r.headers.authorization === undefined)).toBe(true);
  });

  it('with --require-registry, a GitHub that cannot be reached is one warning, not an exit', async () => {
    const npm = await serve();
    const doc = packument('solo', { '1.0.0': {}, '1.1.0': {} }) as { versions: Record<string, Record<string, unknown>> };
    for (const v of Object.values(doc.versions)) {
      v['repository'] = 'github:acme/solo';
      delete (v['dist'] as Record<string, unknown>)['tarball'];
    }
    npm.route('/solo', { body: doc });
    await writeFile(join(dir, '.npmrc'), `registry=${npm.url}\n`);
    const { warnings } = await enrichDependencies([change('solo', '1.0.0', '1.1.0', 'npm')], options({ GITHUB_API_URL: 'http://127.0.0.1:9' }, { requireRegistry: true }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^GitHub releases of 1 repository not read \(ECONNREFUSED.*\): acme\/solo$/);
  });
});
