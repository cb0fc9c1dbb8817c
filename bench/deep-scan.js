// Look-inside benchmark (issue 14): a release with 50 upgraded packages (25 npm, 25 PyPI: sdists and pure wheels)
// against loopback registries and a loopback GitHub releases API with simulated latency.
// cold: empty cache, against the time to download the same files at the same concurrency (16 for documents, 8 for
// archives, as enrich runs them); warm: second run from the cache, against the --offline run on the same cache.
// Run: npm run build && node bench/deep-scan.js [packages] [latencyMs]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fetch from 'make-fetch-happen';
import { enrichDependencies } from '../dist/registry/index.js';

const COUNT = Number(process.argv[2] ?? 50);
const LATENCY = Number(process.argv[3] ?? 20);
const RUNS = 3;
const npmCount = Math.ceil(COUNT / 2);

// Every archive built by one Python process: tarfile for npm tarballs and sdists, zipfile for wheels.
const BUILD = String.raw`
import io, json, sys, tarfile, zipfile
out = {}
for a in json.loads(sys.stdin.read()):
    buf = io.BytesIO()
    if a['kind'] == 'whl':
        with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
            for name, text in a['files'].items():
                z.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), text, zipfile.ZIP_DEFLATED)
    else:
        with tarfile.open(fileobj=buf, mode='w:gz') as t:
            for name, text in a['files'].items():
                data = text.encode()
                info = tarfile.TarInfo(a['prefix'] + name)
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
    out[a['id']] = buf.getvalue().hex()
sys.stdout.write(json.dumps(out))
`;

const js = (i, v) => `'use strict';\nconst helpers = require('./helpers');\n${Array.from({ length: 60 }, (_, n) => `function handler${n}(req, res) {\n  const value = helpers.parse(req.body, ${n + i});\n  if (value === null) return res.end('bad');\n  return res.end(String(value));\n}\n`).join('')}${v === 2 ? 'const seen = new Map();\nfunction remember(key, value) { seen.set(key, value); }\nsetInterval(() => remember(Date.now(), {}), 1000);\n' : ''}module.exports = { handler0 };\n`;
const py = (i, v) => `import json\n${Array.from({ length: 60 }, (_, n) => `def handler_${n}(body):\n    value = json.loads(body)\n    if value is None:\n        return ${n + i}\n    return value\n\n`).join('')}${v === 2 ? '_SEEN = {}\n\ndef remember(key, value):\n    _SEEN[key] = value\n' : ''}`;
const changelog = (v, kind) => (kind === 'npm' ? `# Changelog\n\n## ${v === 2 ? '1.1.0\n- connection pool reuses sockets\n\n## ' : ''}1.0.0\n- first release\n` : `Changes\n=======\n\n${v === 2 ? '1.1.0\n-----\n- results are now memoized per key\n\n' : ''}1.0.0\n-----\n- first release\n`);

const specs = [];
const names = [];
for (let i = 0; i < COUNT; i++) {
  const ecosystem = i < npmCount ? 'npm' : 'pypi';
  const name = `${ecosystem === 'npm' ? 'bench-js' : 'bench-py'}-${String(i).padStart(3, '0')}`;
  names.push({ ecosystem, name });
  for (const v of [1, 2]) {
    const version = v === 1 ? '1.0.0' : '1.1.0';
    const files = {};
    for (let f = 0; f < 12; f++) {
      // Three files change between the versions; the rest are the same bytes.
      const changed = v === 2 && f < 3 ? 2 : 1;
      if (ecosystem === 'npm') files[`lib/mod${f}.js`] = js(f, changed);
      else files[`${name.replace(/-/g, '_')}/mod${f}.py`] = py(f, changed);
    }
    if (ecosystem === 'npm') {
      files['package.json'] = JSON.stringify({ name, version });
      files['CHANGELOG.md'] = changelog(v, 'npm');
      specs.push({ id: `${name}@${version}`, kind: 'tgz', prefix: 'package/', files });
    } else if (i % 2 === 0) {
      files['CHANGES.rst'] = changelog(v, 'pypi');
      specs.push({ id: `${name}@${version}`, kind: 'tgz', prefix: `${name}-${version}/`, files });
    } else {
      files[`${name}-${version}.dist-info/METADATA`] = `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`;
      specs.push({ id: `${name}@${version}`, kind: 'whl', files });
    }
  }
}
const built = JSON.parse(execFileSync('python3', ['-c', BUILD], { input: JSON.stringify(specs), maxBuffer: 1 << 30 }).toString());
const archives = new Map(Object.entries(built).map(([id, hex]) => [id, Buffer.from(hex, 'hex')]));

const routes = new Map();
let served = 0;
function server() {
  const s = createServer((req, res) => {
    const body = routes.get(`${req.headers.host}${req.url}`);
    setTimeout(() => {
      served++;
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/octet-stream' });
      res.end(body ?? '{}');
    }, LATENCY);
  });
  s.keepAliveTimeout = 5000;
  return new Promise(resolve => s.listen(0, '127.0.0.1', () => resolve({ s, url: `http://127.0.0.1:${s.address().port}/` })));
}
const [npm, pypi, github] = await Promise.all([server(), server(), server()]);
const route = (base, path, body) => routes.set(`${base.slice(7, -1)}/${path}`, typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
const sha = (algo, b, enc) => createHash(algo).update(b).digest(enc);

for (const { ecosystem, name } of names) {
  const a = archives.get(`${name}@1.0.0`);
  const b = archives.get(`${name}@1.1.0`);
  if (ecosystem === 'npm') {
    const versions = {};
    for (const [v, data] of [['1.0.0', a], ['1.1.0', b]]) {
      versions[v] = { name, version: v, repository: { url: `git+https://github.com/bench/${name}.git` },
        dist: { tarball: `${npm.url}${name}/-/${name}-${v}.tgz`, integrity: `sha512-${sha('sha512', data, 'base64')}`, unpackedSize: data.length * 4 } };
      route(npm.url, `${name}/-/${name}-${v}.tgz`, data);
    }
    route(npm.url, name, { name, 'dist-tags': { latest: '1.1.0' }, versions, time: { '1.0.0': '2023-01-01T00:00:00Z', '1.1.0': '2023-06-01T00:00:00Z' } });
    route(github.url, `repos/bench/${name}/releases?per_page=100`, [{ tag_name: 'v1.1.0', body: '* feat: keep-alive agent by default\n' }]);
  } else {
    const releases = {};
    for (const [v, data] of [['1.0.0', a], ['1.1.0', b]]) {
      const filename = data[0] === 0x50 ? `${name.replace(/-/g, '_')}-${v}-py3-none-any.whl` : `${name}-${v}.tar.gz`;
      releases[v] = [{ filename, upload_time_iso_8601: '2023-01-01T00:00:00Z' }];
      route(pypi.url, `files/${filename}`, data);
      route(pypi.url, `pypi/${name}/${v}/json`, { info: { name, version: v, requires_dist: [], description: `${name}\n\n1.1.0\n- faster\n`, project_urls: { Source: `https://github.com/bench/${name}` } },
        urls: [{ filename, url: `${pypi.url}files/${filename}`, digests: { sha256: sha('sha256', data, 'hex') }, size: data.length }] });
    }
    route(pypi.url, `pypi/${name}/json`, { info: { name }, releases });
    route(github.url, `repos/bench/${name}/releases?per_page=100`, []);
  }
}

const changes = () => names.map(({ ecosystem, name }) => ({
  ecosystem, lockfile: ecosystem === 'npm' ? 'package-lock.json' : 'requirements.txt', name, from: '1.0.0', to: '1.1.0',
  fromVersions: ['1.0.0'], toVersions: ['1.1.0'], change: 'minor', direct: true, dev: false, signals: [], commits: [],
}));
const env = dir => ({ HOME: dir, PIP_CONFIG_FILE: join(dir, 'none'), npm_config_registry: npm.url, PIP_INDEX_URL: pypi.url, GITHUB_API_URL: github.url });

async function enrich(dir, offline) {
  const list = changes();
  const started = performance.now();
  const { stats, warnings } = await enrichDependencies(list, { projectDir: dir, env: env(dir), cacheDir: join(dir, 'cache'), toDate: '2024-01-01T00:00:00Z', offline });
  const ms = performance.now() - started;
  return { ms, stats, warnings, signals: JSON.stringify(list.map(c => c.signals)) };
}

/** The same GETs alone: documents at 16 in flight (as enrich fetches them), then archives and releases at 8. */
async function downloadFloor(urls) {
  const get = async url => (await fetch(url, { retry: { retries: 0 }, cache: 'no-store', maxSockets: 16 })).buffer();
  const pool = async (list, limit) => {
    let next = 0;
    await Promise.all(Array.from({ length: limit }, async () => { while (next < list.length) await get(list[next++]); }));
  };
  const isArchive = u => /\.(tgz|tar\.gz|whl)$/.test(u) || u.startsWith(github.url);
  const started = performance.now();
  await pool(urls.filter(u => !isArchive(u)), 16);
  await pool(urls.filter(isArchive), 8);
  return performance.now() - started;
}

const urls = [...routes.keys()].map(k => `http://${k}`);
const median = xs => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const colds = [];
const floors = [];
const warms = [];
const offlines = [];
let last;
for (let run = 0; run < RUNS; run++) {
  const dir = await mkdtemp(join(tmpdir(), 'reldiff-bench-deep-'));
  try {
    served = 0;
    floors.push(await downloadFloor(urls));
    served = 0;
    const cold = await enrich(dir, false);
    const coldRequests = served;
    colds.push(cold.ms);
    let warm;
    let offline;
    for (let i = 0; i < 5; i++) {
      served = 0;
      warm = await enrich(dir, false);
      if (served !== 0) throw new Error(`the second run sent ${served} requests`);
      warms.push(warm.ms);
      offline = await enrich(dir, true);
      offlines.push(offline.ms);
      if (warm.signals !== cold.signals || offline.signals !== cold.signals) throw new Error('cold, cached and offline runs found different signals');
    }
    last = { cold, warm, offline, coldRequests };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
for (const { s } of [npm, pypi, github]) { s.closeAllConnections(); s.close(); }

const fmt = ms => `${ms.toFixed(0)} ms`;
const archiveBytes = [...archives.values()].reduce((n, b) => n + b.length, 0);
console.log(`look inside: ${COUNT} upgraded packages (${npmCount} npm, ${COUNT - npmCount} PyPI), ${LATENCY} ms latency, median of ${RUNS} cold and ${RUNS * 5} cached runs`);
console.log(`  looked inside ${last.cold.stats.packages.length} packages, read ${(last.cold.stats.bytesRead / 1024).toFixed(0)} KB of archives (${archives.size} archives, ${(archiveBytes / 1024).toFixed(0)} KB served), ${last.coldRequests} requests`);
console.log(`  cold    ${fmt(median(colds))}   downloading the same ${urls.length} files alone takes ${fmt(median(floors))} (cold/download ${(median(colds) / median(floors)).toFixed(2)}x, target <= 3x)`);
console.log(`  cached  ${fmt(median(warms))}   0 requests; the --offline run takes ${fmt(median(offlines))} (cached/offline ${(median(warms) / median(offlines)).toFixed(2)}x, target <= 1.2x)`);
console.log(`  warnings: ${last.cold.warnings.join(' | ')}`);
