// Registry enrichment benchmark: 1,000 changed npm packages against a loopback registry with simulated latency.
// cold: empty cache, bounded concurrency; warm: same cache again; floor: reading and parsing the cache files.
// Run: npm run build && node bench/registry.js [packages] [latencyMs]
import { createServer } from 'node:http';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import npmFetch from 'npm-registry-fetch';
import { enrichDependencies } from '../dist/registry/index.js';

const COUNT = Number(process.argv[2] ?? 1000);
const LATENCY = Number(process.argv[3] ?? 20);
const CONCURRENCY = 16;
const RUNS = 3;

function packument(name) {
  const versions = {};
  const time = {};
  for (let minor = 0; minor < 20; minor++) {
    const v = `1.${minor}.0`;
    time[v] = new Date(Date.UTC(2022, 0, 1 + minor * 10)).toISOString();
    versions[v] = {
      name, version: v, description: 'x'.repeat(200), keywords: ['bench', 'cache'],
      dependencies: Object.fromEntries(Array.from({ length: 3 + (minor % 4) }, (_, i) => [`dep-${i}`, '^1.0.0'])),
      scripts: { test: 'node test.js', ...(minor > 15 ? { postinstall: 'node install.js' } : {}) },
      maintainers: [{ name: 'alice', email: 'a@example.test' }], _npmUser: { name: minor > 17 ? 'bob' : 'alice' },
      dist: { tarball: `http://127.0.0.1/${name}-${v}.tgz`, integrity: 'sha512-AAAA', unpackedSize: 10_000 * (minor + 1), fileCount: 10 + minor },
      readme: 'r'.repeat(2000),
    };
  }
  return JSON.stringify({ name, 'dist-tags': { latest: '1.19.0' }, versions, time });
}

const names = Array.from({ length: COUNT }, (_, i) => `bench-pkg-${String(i).padStart(4, '0')}`);
const bodies = new Map(names.map(n => [`/${n}`, packument(n)]));
let served = 0;
const server = createServer((req, res) => {
  const body = bodies.get(req.url ?? '');
  setTimeout(() => {
    served++;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(body ?? '{}');
  }, LATENCY);
});
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
const registry = `http://127.0.0.1:${server.address().port}/`;

const changes = () => names.map(name => ({
  ecosystem: 'npm', lockfile: 'package-lock.json', name, from: '1.10.0', to: '1.19.0', fromVersions: ['1.10.0'], toVersions: ['1.19.0'],
  change: 'minor', direct: true, dev: false, signals: [], commits: [],
}));

async function enrich(cacheDir) {
  const list = changes();
  const started = performance.now();
  await enrichDependencies(list, {
    projectDir: cacheDir, env: { HOME: cacheDir, npm_config_registry: registry }, cacheDir: join(cacheDir, 'cache'),
    toDate: '2023-01-01T00:00:00Z', deep: 0, concurrency: CONCURRENCY,
  });
  return { ms: performance.now() - started, signals: list.reduce((n, c) => n + c.signals.length, 0) };
}

async function floor(cacheDir) {
  const started = performance.now();
  const files = [];
  const walk = async dir => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) await walk(join(dir, entry.name));
      else files.push(join(dir, entry.name));
    }
  };
  await walk(join(cacheDir, 'cache'));
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < files.length) JSON.parse(await readFile(files[next++], 'utf8'));
  }));
  return { ms: performance.now() - started, files: files.length };
}

/** The HTTP floor: the same GETs through npm-registry-fetch at the same concurrency, bodies read, nothing else. */
async function httpFloor() {
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < names.length) await (await npmFetch(`${registry}${names[next++]}`, { retry: { retries: 0 }, maxSockets: CONCURRENCY })).buffer();
  }));
  return performance.now() - started;
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const colds = [];
const warms = [];
const floors = [];
const https = [];
let last;
for (let run = 0; run < RUNS; run++) {
  const dir = await mkdtemp(join(tmpdir(), 'reldiff-bench-registry-'));
  try {
    served = 0;
    https.push(await httpFloor());
    served = 0;
    const cold = await enrich(dir);
    if (served !== COUNT) throw new Error(`cold run sent ${served} requests, expected ${COUNT}`);
    colds.push(cold.ms);
    // Warm and floor alternate, so that neither pays alone for the garbage the cold run left behind.
    let warm;
    let f;
    for (let i = 0; i < 5; i++) {
      served = 0;
      warm = await enrich(dir);
      if (served !== 0) throw new Error(`warm run sent ${served} requests`);
      warms.push(warm.ms);
      f = await floor(dir);
      floors.push(f.ms);
    }
    last = { cold, warm, files: f.files };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
server.close();

const serial = COUNT * LATENCY;
const ideal = Math.ceil(COUNT / CONCURRENCY) * LATENCY;
const fmt = ms => `${ms.toFixed(0)} ms`;
console.log(`registry enrichment: ${COUNT} packages, ${LATENCY} ms latency, concurrency ${CONCURRENCY}, median of ${RUNS} cold and ${RUNS * 5} warm runs`);
console.log(`  cold  ${fmt(median(colds))}   serial round trips would be ${fmt(serial)} (${(serial / median(colds)).toFixed(1)}x faster); concurrency floor ${fmt(ideal)} (cold/floor ${(median(colds) / ideal).toFixed(2)}x)`);
console.log(`        the same ${COUNT} GETs alone (npm-registry-fetch, concurrency ${CONCURRENCY}) take ${fmt(median(https))} (cold/http ${(median(colds) / median(https)).toFixed(2)}x)`);
console.log(`  warm  ${fmt(median(warms))}   0 requests; reading ${last.files} cache files takes ${fmt(median(floors))} (warm/floor ${(median(warms) / median(floors)).toFixed(2)}x)`);
console.log(`  signals per run: ${last.warm.signals} (same cold and warm: ${last.cold.signals === last.warm.signals})`);
