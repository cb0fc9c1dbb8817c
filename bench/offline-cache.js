// Issue 15 target: `reldiff A B --offline` with a registry cache full of tarballs (every upgraded package looked
// inside: large files diffed, bundles skipped) against the same run with an empty cache, in the same run. The cache
// is filled by one run against a loopback registry (no network); both measured runs are --offline. The filling run
// also keeps each upgrade's look (src/registry/look-cache.ts), so the full-cache runs read no tarball: they are
// measured as a PR bot's later run finds the cache.
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { create } from 'tar';
import { fastImport, median, rng, runReldiff } from './core.js';

const here = dirname(fileURLToPath(import.meta.url));
const work = join(here, '.work', 'offline-cache');
const PACKAGES = Number(process.env.BENCH_OFFLINE_PACKAGES ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const random = rng(9);

const code = (n, salt) => Array.from({ length: n }, (_, i) => `  const v${i} = compute(${i}, "${salt}${i % 97}");`).join('\n');
const BIG = code(30_000, 'a');

/** One version of a package: a 1 MB source file with scattered edits per version, a minified bundle, a changelog. */
function files(name, version) {
  const edited = BIG.split('\n').map(l => (random() < 0.002 ? `${l} // ${version}` : l)).join('\n');
  return {
    'package/package.json': JSON.stringify({ name, version, main: 'lib/index.js' }),
    'package/lib/index.js': `${edited}\n`,
    'package/dist/bundle.js': `${`function f(a){return a+"${version}"};`.repeat(30_000)}\n`,
    'package/CHANGELOG.md': `## ${version}\n- Fix a memory leak in the pool\n\n## 1.0.0\n- first\n`,
  };
}

async function tarball(dir, name, version) {
  const root = join(dir, `${name}-${version}`);
  const contents = files(name, version);
  for (const [path, text] of Object.entries(contents)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const file = join(dir, `${name}-${version}.tgz`);
  // Files only, as npm pack writes them (a directory entry is refused as unsafe by the reader).
  await create({ gzip: true, file, cwd: root, portable: true, mtime: new Date(0) }, Object.keys(contents));
  return readFileSync(file);
}

function lockfile(versions, registry) {
  const packages = { '': { name: 'app', version: '1.0.0', dependencies: Object.fromEntries(Object.keys(versions).map(n => [n, '^1.0.0'])) } };
  for (const [name, { version, integrity }] of Object.entries(versions)) {
    packages[`node_modules/${name}`] = { version, resolved: `${registry}${name}/-/${name}-${version}.tgz`, integrity };
  }
  return `${JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}

export async function benchOfflineCache() {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const tarballs = new Map();
  const packuments = new Map();
  const server = createServer((req, res) => {
    const url = decodeURIComponent(req.url ?? '');
    const body = url.endsWith('.tgz') ? tarballs.get(url.slice(url.lastIndexOf('/') + 1)) : packuments.get(url.slice(1));
    if (!body) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': url.endsWith('.tgz') ? 'application/octet-stream' : 'application/json' }).end(body);
  });
  await new Promise(done => server.listen(0, '127.0.0.1', done));
  const registry = `http://127.0.0.1:${server.address().port}/`;
  const before = {};
  const after = {};
  for (let i = 0; i < PACKAGES; i++) {
    const name = `big-${i}`;
    const versions = {};
    for (const version of ['1.0.0', '1.1.0']) {
      const data = await tarball(join(work, 'tgz'), name, version);
      tarballs.set(`${name}-${version}.tgz`, data);
      const integrity = `sha512-${createHash('sha512').update(data).digest('base64')}`;
      versions[version] = { name, version, dist: { tarball: `${registry}${name}/-/${name}-${version}.tgz`, integrity } };
      (version === '1.0.0' ? before : after)[name] = { version, integrity };
    }
    packuments.set(name, JSON.stringify({ name, 'dist-tags': { latest: '1.1.0' }, versions,
      time: { '1.0.0': '2024-01-01T00:00:00.000Z', '1.1.0': '2024-06-01T00:00:00.000Z' } }));
  }
  const repo = join(work, 'repo');
  const { commit, tag, finish } = fastImport(repo);
  commit('one', [['package-lock.json', lockfile(before, registry)], ['package.json', '{ "name": "app" }\n']]);
  tag('v1');
  commit('two', [['package-lock.json', lockfile(after, registry)]]);
  tag('v2');
  finish();
  const full = join(work, 'cache-full');
  const empty = join(work, 'cache-empty');
  // Filled online, once, from the loopback registry (npm_config_registry points there).
  // Asynchronously: the registry answers from this same process.
  const fill = await new Promise(done => {
    const child = spawn(process.execPath, [join(here, '..', 'bin', 'reldiff.js'), 'v1', 'v2', '--format', 'json', '--repo', repo, '--cache-dir', full, '--no-cache'],
      { env: { ...process.env, HOME: work, npm_config_registry: registry } });
    let out = '';
    let err = '';
    child.stdout.on('data', d => { out += d; });
    child.stderr.on('data', d => { err += d; });
    child.on('close', status => done({ status, stdout: out, stderr: err }));
  });
  server.close();
  if (fill.status !== 0) throw new Error(`filling the cache: ${fill.stderr}`);
  // The figure means nothing unless the filling run really looked inside every package.
  const report = JSON.parse(fill.stdout);
  if (!report.warnings.some(w => w.startsWith(`deep scan: read both versions of ${PACKAGES} upgraded npm packages`))) {
    throw new Error(`the cache was not filled: ${report.warnings.join('; ')}`);
  }
  const looks = readdirSync(join(full, 'look-inside'), { withFileTypes: true }).filter(e => e.isFile()).length;
  if (looks !== PACKAGES) throw new Error(`the filling run kept ${looks} looks inside, not ${PACKAGES}`);
  // The measured runs name the same registry (its cache keys), and never reach it: --offline.
  process.env.npm_config_registry = registry;
  process.env.HOME = work;
  const fullRuns = [];
  const emptyRuns = [];
  for (let r = 0; r < RUNS; r++) {
    rmSync(empty, { recursive: true, force: true });
    emptyRuns.push(await runReldiff(repo, ['--cache-dir', empty, '--no-cache']));
    fullRuns.push(await runReldiff(repo, ['--cache-dir', full, '--no-cache']));
  }
  const e = median(emptyRuns.map(x => x.ms));
  const f = median(fullRuns.map(x => x.ms));
  console.log(`\n## --offline with a full tarball cache: ${PACKAGES} upgraded packages, each a 1 MB source file with scattered edits and a 1 MB bundle`);
  console.log('| figure | value | floor (same run, empty cache) | ratio | target |');
  console.log('|---|---:|---:|---:|---|');
  console.log(`| --offline, full tarball cache | ${f.toFixed(0)} ms | ${e.toFixed(0)} ms | ${(f / e).toFixed(2)}x | <= 1.2x |`);
  console.log(`| peak RSS, full cache | ${Math.max(...fullRuns.map(x => x.rssMb)).toFixed(0)} MB | | | < 200 MB |`);
  rmSync(work, { recursive: true, force: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchOfflineCache();
