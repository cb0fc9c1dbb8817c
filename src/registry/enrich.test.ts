import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { zeroBomb } from '../../test/helpers/gzip-bomb.js';
import { buildTarball, packument, registryPool } from '../../test/helpers/registry-server.js';
import { ReldiffError } from '../errors.js';
import type { DependencyChange } from '../types.js';
import { enrichDependencies } from './index.js';
import type { EnrichOptions } from './index.js';

const TOKEN = 'npm_SECRETtoken0123456789';
const SCOPED_TOKEN = 'npm_SCOPEDtoken987654321';

const change = (name: string, from: string | null, to: string | null, ecosystem: 'npm' | 'pypi' = 'npm'): DependencyChange => ({
  ecosystem, lockfile: 'package-lock.json', name, from, to, fromVersions: from ? [from] : [], toVersions: to ? [to] : [],
  change: from && to ? 'minor' : 'added', direct: true, dev: false, signals: [], commits: [],
});

let dir = '';
const { serve, closeAll } = registryPool();
const options = (extra: Partial<EnrichOptions> = {}): EnrichOptions => ({
  projectDir: dir, env: { HOME: dir }, cacheDir: join(dir, 'cache'), toDate: '2024-03-10T00:00:00Z',
  retryBaseMs: 10, timeoutMs: 2_000, deep: 0, ...extra,
});
const npmrc = (text: string) => writeFile(join(dir, '.npmrc'), text);

beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'reldiff-enrich-')); });
afterEach(async () => {
  await closeAll();
  await rm(dir, { recursive: true, force: true });
});

const leftPad = packument('left-pad', {
  '1.0.0': { time: '2023-01-01T00:00:00Z', maintainers: ['alice'], publisher: 'alice' },
  '1.1.0': { time: '2024-03-08T00:00:00Z', maintainers: ['alice'], publisher: 'mallory', scripts: { postinstall: 'node steal.js' }, dependencies: { 'node-gyp-build': '^4' } },
});

describe('enrichDependencies against a loopback registry', () => {
  it('removes a credential the registry echoes back before it reaches a signal or the cache, and reports it to the redactor', async () => {
    const main = await serve();
    main.route('/left-pad', { body: packument('left-pad', {
      '1.0.0': { time: '2023-01-01T00:00:00Z' },
      '1.1.0': { time: '2024-03-01T00:00:00Z', deprecated: `moved; auth with ${TOKEN} at the new registry` },
    }) });
    await npmrc([`registry=${main.url}`, `//${main.url.slice(7)}:_authToken=${TOKEN}`].join('\n'));
    const changes = [change('left-pad', '1.0.0', '1.1.0')];
    const told: string[] = [];
    await enrichDependencies(changes, options({ onSecrets: secrets => told.push(...secrets) }));
    expect(told).toContain(TOKEN);
    const deprecated = changes[0]?.signals.find(s => s.id === 'deprecated');
    expect(deprecated?.detail).toContain('moved; auth with *** at the new registry');
    expect(JSON.stringify(changes)).not.toContain(TOKEN);
    const { readdir, readFile } = await import('node:fs/promises');
    const files = (await readdir(join(dir, 'cache'), { recursive: true, withFileTypes: true })).filter(f => f.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(await readFile(join(file.parentPath, file.name), 'utf8')).not.toContain(TOKEN);
  });

  it('sends each registry its own token and never the other one', async () => {
    const main = await serve();
    const scoped = await serve();
    main.route('/left-pad', { body: leftPad });
    scoped.route('/@acme%2fwidget', { body: packument('@acme/widget', { '2.0.0': {}, '2.1.0': {} }) });
    await npmrc([
      `registry=${main.url}`, `@acme:registry=${scoped.url}`,
      `//${main.url.slice(7)}:_authToken=\${NPM_TOKEN}`, `//${scoped.url.slice(7)}:_authToken=${SCOPED_TOKEN}`,
    ].join('\n'));
    const changes = [change('left-pad', '1.0.0', '1.1.0'), change('@acme/widget', '2.0.0', '2.1.0')];
    const { warnings } = await enrichDependencies(changes, options({ env: { HOME: dir, NPM_TOKEN: TOKEN } }));
    expect(warnings).toEqual([]);
    expect(main.requests.map(r => [r.path, r.headers.authorization])).toEqual([['/left-pad', `Bearer ${TOKEN}`]]);
    expect(scoped.requests.map(r => [r.path, r.headers.authorization])).toEqual([['/@acme%2fwidget', `Bearer ${SCOPED_TOKEN}`]]);
    expect(changes[0]?.signals.map(s => s.id)).toEqual(['fresh-release', 'install-script-added', 'native-added', 'new-dependencies', 'publisher-changed']);
    expect(changes[0]?.signals.find(s => s.id === 'fresh-release')?.detail).toBe('1.1.0 was 2 days old at the `to` commit (published 2024-03-08)');
  });

  it('fetches each packument once per name and caches it, so a second run sends nothing', async () => {
    const main = await serve();
    main.route('/left-pad', { body: leftPad });
    await npmrc(`registry=${main.url}`);
    const first = [change('left-pad', '1.0.0', '1.1.0'), { ...change('left-pad', '1.0.0', '1.1.0'), lockfile: 'other/package-lock.json' }];
    await enrichDependencies(first, options());
    expect(main.requests).toHaveLength(1);
    const second = [change('left-pad', '1.0.0', '1.1.0')];
    await enrichDependencies(second, options());
    expect(main.requests).toHaveLength(1);
    expect(second[0]?.signals).toEqual(first[0]?.signals);
  });

  it('warns once for 404 and for malformed JSON, and keeps going', async () => {
    const main = await serve();
    main.route('/broken', { body: '{"name": "broken", "versions": {' });
    main.route('/left-pad', { body: leftPad });
    await npmrc(`registry=${main.url}`);
    const changes = [change('ghost', '1.0.0', '2.0.0'), change('broken', '1.0.0', '2.0.0'), change('left-pad', '1.0.0', '1.1.0')];
    const { warnings } = await enrichDependencies(changes, options());
    expect(warnings).toEqual([
      '1 package answered with malformed JSON by the registry: broken',
      '1 package not found on their registry: ghost',
    ]);
    expect(changes[2]?.signals.length).toBeGreaterThan(0);
  });

  it('honours Retry-After on 429 and retries a 500', async () => {
    const main = await serve();
    main.route('/left-pad', [{ status: 429, headers: { 'retry-after': '1' } }, { body: leftPad }]);
    main.route('/other', [{ status: 500 }, { status: 503 }, { body: packument('other', { '1.0.0': {}, '1.0.1': {} }) }]);
    await npmrc(`registry=${main.url}`);
    const started = Date.now();
    const { warnings } = await enrichDependencies([change('left-pad', '1.0.0', '1.1.0'), change('other', '1.0.0', '1.0.1')], options());
    expect(warnings).toEqual([]);
    expect(main.requests.filter(r => r.path === '/left-pad')).toHaveLength(2);
    expect(main.requests.filter(r => r.path === '/other')).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('degrades to offline with one warning when the registry times out, or fails with --require-registry', async () => {
    const main = await serve();
    main.route('/left-pad', { body: leftPad, delayMs: 1_500 });
    main.route('/other', { body: leftPad, delayMs: 1_500 });
    await npmrc(`registry=${main.url}\n//${main.url.slice(7)}:_authToken=${TOKEN}`);
    const changes = [change('left-pad', '1.0.0', '1.1.0'), change('other', '1.0.0', '1.1.0')];
    const { warnings } = await enrichDependencies(changes, options({ timeoutMs: 200, retries: 1, concurrency: 1 }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^registry http:\/\/127\.0\.0\.1:\d+ unreachable \(.+\); used cached facts only\. Pass --require-registry to fail instead$/);
    expect(main.requests).toHaveLength(2);
    const error = await enrichDependencies([change('left-pad', '1.0.0', '1.1.0')], options({ timeoutMs: 200, retries: 0, requireRegistry: true })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReldiffError);
    expect((error as ReldiffError).code).toBe('registry');
  });

  it('never prints a token: not in warnings, errors or debug lines', async () => {
    const main = await serve();
    await main.close();
    await npmrc(`registry=http://user:${TOKEN}@${main.url.slice(7)}\n//${main.url.slice(7)}:_authToken=${TOKEN}`);
    const lines: string[] = [];
    const { warnings } = await enrichDependencies([change('left-pad', '1.0.0', '1.1.0')], options({ debug: l => lines.push(l) }));
    const error = await enrichDependencies([change('x', '1.0.0', '1.1.0')], options({ requireRegistry: true, debug: l => lines.push(l) })).catch((e: unknown) => e);
    const printed = [...warnings, ...lines, String(error), (error as Error).stack ?? ''].join('\n');
    expect(warnings).toHaveLength(1);
    expect(lines.length).toBeGreaterThan(0);
    expect(printed).not.toContain(TOKEN);
    expect(printed).toContain('***');
  });

  it('--offline uses a warm cache and sends nothing; a cold cache gets one warning', async () => {
    const main = await serve();
    main.route('/left-pad', { body: leftPad });
    await npmrc(`registry=${main.url}`);
    const warm = [change('left-pad', '1.0.0', '1.1.0')];
    await enrichDependencies(warm, options());
    await main.close();
    const offline = [change('left-pad', '1.0.0', '1.1.0'), change('cold', '1.0.0', '1.1.0')];
    const { warnings } = await enrichDependencies(offline, options({ offline: true }));
    expect(offline[0]?.signals).toEqual(warm[0]?.signals);
    expect(warnings).toEqual(['1 package not in the cache, so without registry facts (offline): cold']);
    expect(main.requests).toHaveLength(1);
  });
});

describe('deep scan through the registry', () => {
  it('downloads both tarballs once, checks integrity, and runs the rules on added lines', async () => {
    const main = await serve();
    const old = await buildTarball({ 'package/package.json': '{}', 'package/index.js': 'module.exports = 1;\n', 'package/CHANGELOG.md': '## 1.0.0\n- first\n' });
    const neu = await buildTarball({ 'package/package.json': '{}', 'package/index.js': 'module.exports = 1;\nconst cache = {};\n', 'package/CHANGELOG.md': '## 1.1.0\n- Fix a memory leak in the socket pool\n## 1.0.0\n- first\n' });
    const sri = (b: Buffer) => `sha512-${createHash('sha512').update(b).digest('base64')}`;
    main.route('/pool', { body: packument('pool', {
      '1.0.0': { tarball: `${main.url}pool/-/pool-1.0.0.tgz`, integrity: sri(old) },
      '1.1.0': { tarball: `${main.url}pool/-/pool-1.1.0.tgz`, integrity: sri(neu) },
    }) });
    main.route('/pool/-/pool-1.0.0.tgz', { body: old });
    main.route('/pool/-/pool-1.1.0.tgz', { body: neu });
    await npmrc(`registry=${main.url}`);
    const changes = [change('pool', '1.0.0', '1.1.0')];
    const { warnings } = await enrichDependencies(changes, options({ deep: 10, analyzeSources: async inputs => ({
      findings: inputs.flatMap(i => i.change.added.map(r => ({ rule: 'module-cache', severity: 'medium' as const, file: i.path, line: r.start, message: 'module-level cache', commits: [] }))),
      warnings: [],
    }) }));
    expect(warnings).toEqual(['deep scan: read both versions of 1 upgraded npm package (pool): leak signals in 1 of them (see their reasons)']);
    expect(changes[0]?.signals).toEqual([
      { id: 'changelog-memory', detail: 'CHANGELOG.md of pool between 1.0.0 and 1.1.0: "Fix a memory leak in the socket pool"' },
      { id: 'deep-scan', detail: 'inside pool 1.0.0 -> 1.1.0: 1 finding (module-cache at index.js:2: module-level cache)' },
    ]);
    expect(main.requests.map(r => r.path).sort()).toEqual(['/pool', '/pool/-/pool-1.0.0.tgz', '/pool/-/pool-1.1.0.tgz']);
  });

  it('says it ran when it read every tarball and found nothing (issue 18, item 5)', async () => {
    const main = await serve();
    const versions: Record<string, { tarball: string }> = {};
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (const name of names) {
      for (const [version, body] of [['1.0.0', 'module.exports = 1;\n'], ['1.1.0', 'module.exports = 2;\n']] as const) {
        const tgz = await buildTarball({ 'package/package.json': '{}', 'package/index.js': body });
        main.route(`/${name}/-/${name}-${version}.tgz`, { body: tgz });
        versions[version] = { tarball: `${main.url}${name}/-/${name}-${version}.tgz` };
      }
      main.route(`/${name}`, { body: packument(name, { ...versions }) });
    }
    await npmrc(`registry=${main.url}`);
    const changes = names.map(n => change(n, '1.0.0', '1.1.0'));
    const { warnings } = await enrichDependencies(changes, options({ deep: 10 }));
    expect(warnings).toEqual(['deep scan: read both versions of 6 upgraded npm packages (a, b, c, d, e and 1 more): no leak signal in their changed files']);
    expect(changes.every(c => !c.signals.some(s => s.id === 'deep-scan'))).toBe(true);
  });

  it('ignores a tarball whose integrity does not match', async () => {
    const main = await serve();
    const tgz = await buildTarball({ 'package/index.js': 'x\n' });
    main.route('/p', { body: packument('p', {
      '1.0.0': { tarball: `${main.url}p-1.0.0.tgz`, integrity: 'sha512-AAAA' }, '1.1.0': { tarball: `${main.url}p-1.1.0.tgz` },
    }) });
    main.route('/p-1.0.0.tgz', { body: tgz });
    main.route('/p-1.1.0.tgz', { body: tgz });
    await npmrc(`registry=${main.url}`);
    const { warnings } = await enrichDependencies([change('p', '1.0.0', '1.1.0')], options({ deep: 1, analyzeSources: async () => ({ findings: [], warnings: [] }) }));
    expect(warnings).toEqual(['1 package tarballs did not match their published integrity and were ignored: p@1.0.0']);
  });
});

describe('deep scan of a gzip bomb', () => {
  it('stops reading a tarball past the unpacked limit, warns once, and does not deep-scan that package', async () => {
    const main = await serve();
    const old = await buildTarball({ 'package/package.json': '{}', 'package/index.js': 'module.exports = 1;\n' });
    const bomb = await zeroBomb(8 * 1024 * 1024, { 'package/index.js': 'module.exports = 1;\nconst cache = {};\n' });
    const sri = (b: Buffer) => `sha512-${createHash('sha512').update(b).digest('base64')}`;
    main.route('/pool', { body: packument('pool', {
      '1.0.0': { tarball: `${main.url}pool-1.0.0.tgz`, integrity: sri(old) },
      '1.1.0': { tarball: `${main.url}pool-1.1.0.tgz`, integrity: sri(bomb) },
    }) });
    main.route('/pool-1.0.0.tgz', { body: old });
    main.route('/pool-1.1.0.tgz', { body: bomb });
    await npmrc(`registry=${main.url}`);
    const changes = [change('pool', '1.0.0', '1.1.0')];
    let analyzed = 0;
    const { warnings } = await enrichDependencies(changes, options({ deep: 1, tarLimits: { maxUnpackedBytes: 1024 * 1024 },
      analyzeSources: async () => { analyzed++; return { findings: [], warnings: [] }; } }));
    expect(warnings).toEqual(['pool@1.1.0: the tarball unpacks to more than 1 MB (a gzip bomb or an unusually large package); stopped reading there; pool is not deep-scanned']);
    expect(analyzed).toBe(0);
    expect(changes[0]?.signals.some(s => s.id === 'deep-scan')).toBe(false);
  });
});

describe('deep scan with the real rule engine', () => {
  it('deep-scans the highest-scoring upgrade first and reports the rule hit inside the package', async () => {
    const main = await serve();
    const old = await buildTarball({ 'package/index.js': 'export function watch(conn) {\n  conn.ping();\n}\n' });
    const neu = await buildTarball({ 'package/index.js': 'export function watch(conn) {\n  setInterval(() => conn.ping(), 1000);\n}\n' });
    for (const name of ['quiet', 'poller']) {
      main.route(`/${name}`, { body: packument(name, {
        '1.0.0': { tarball: `${main.url}${name}-1.0.0.tgz` },
        '2.0.0': { tarball: `${main.url}${name}-2.0.0.tgz`, ...(name === 'poller' ? { scripts: { postinstall: 'node x.js' } } : {}) },
      }) });
      main.route(`/${name}-1.0.0.tgz`, { body: old });
      main.route(`/${name}-2.0.0.tgz`, { body: neu });
    }
    await npmrc(`registry=${main.url}`);
    const changes = [change('quiet', '1.0.0', '2.0.0'), change('poller', '1.0.0', '2.0.0')];
    await enrichDependencies(changes, options({ deep: 1 }));
    expect(changes[0]?.signals.map(s => s.id)).toEqual([]);
    const deep = changes[1]?.signals.find(s => s.id === 'deep-scan');
    expect(deep?.detail).toMatch(/^inside poller 1\.0\.0 -> 2\.0\.0: 1 finding \(js-interval-handle-dropped at index\.js:2: /);
  });
});

describe('PyPI', () => {
  it('reads the JSON API beside PIP_INDEX_URL, with its credentials sent only there', async () => {
    const index = await serve();
    index.route('/pypi/pillow/json', { body: { info: { name: 'Pillow', keywords: 'imaging' }, releases: {
      '9.0.0': [{ filename: 'Pillow-9.0.0.tar.gz', upload_time_iso_8601: '2022-01-02T00:00:00Z' }],
      '10.0.0': [{ filename: 'Pillow-10.0.0-cp311-cp311-manylinux_2_28_x86_64.whl', upload_time_iso_8601: '2024-03-09T00:00:00Z' }],
    } } });
    index.route('/pypi/pillow/9.0.0/json', { body: { info: { requires_dist: null, author: 'Alex' } } });
    index.route('/pypi/pillow/10.0.0/json', { body: { info: { requires_dist: ['olefile (>=0.46)', 'pytest ; extra == "tests"'], author: 'Alex' } } });
    const env = { HOME: dir, PIP_INDEX_URL: `http://user:pypipass99@${index.url.slice(7)}simple/` };
    const changes = [change('Pillow', '9.0.0', '10.0.0', 'pypi')];
    const { warnings } = await enrichDependencies(changes, options({ env }));
    expect(warnings).toEqual([]);
    expect(changes[0]?.signals.map(s => s.id)).toEqual(['fresh-release', 'leak-prone-category', 'native-added', 'new-dependencies']);
    expect(changes[0]?.signals.find(s => s.id === 'new-dependencies')?.detail).toBe('10.0.0 pulls in 1 new dependency: olefile');
    expect(index.requests.every(r => r.headers.authorization === `Basic ${Buffer.from('user:pypipass99').toString('base64')}`)).toBe(true);
    expect(index.requests).toHaveLength(3);
  });
});
