// Install cost of a dependency-bisect trial against a warm cache: a 40-package batch on a loopback registry (npm
// tarballs and a PEP 503 index of wheels, all built here), the trial's install (npm: the to lock's entries spliced into
// from's package-lock.json, then npm ci; pnpm: the same splice into pnpm-lock.yaml, then pnpm install
// --frozen-lockfile; pip: venv + pip install --no-deps) timed against the floor of installing the very same set the
// ordinary way (npm ci or pnpm install --frozen-lockfile of the trial's lockfile; pip install -r of the trial's pins
// into a ready venv), from the same warm cache, in the same run. Target: ratio <= 1.5. Run after `npm run build`: node bench/bisect-deps-install.js
// (BENCH_PARTS=npm,pnpm picks rows; pnpm needs npm's, which serves the tarballs)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { create } from 'tar';

const dist = resolve(process.env.RELDIFF_DIST ?? new URL('../dist', import.meta.url).pathname);
const { npmInstaller } = await import(pathToFileURL(`${dist}/bisect/deps-npm.js`).href);
const { pnpmInstaller } = await import(pathToFileURL(`${dist}/bisect/deps-pnpm.js`).href);
const { pipInstaller, trialPins } = await import(pathToFileURL(`${dist}/bisect/deps-pip.js`).href);
const { lockPinSource } = await import(pathToFileURL(`${dist}/bisect/deps-lock-pins.js`).href);

const N = 40;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const work = mkdtempSync(join(tmpdir(), 'reldiff-bench-deps-'));
const names = Array.from({ length: N }, (_, i) => `bench-pkg-${String(i).padStart(2, '0')}`);
const routes = new Map();
const server = createServer((req, res) => {
  const body = routes.get(req.url ?? '');
  res.writeHead(body === undefined ? 404 : 200, req.url?.startsWith('/simple/') ? { 'content-type': 'text/html' } : {});
  res.end(body ?? '');
});
// npm and pip talk to this server from child processes, so every run of them is an async spawn: a spawnSync would
// block the event loop that has to answer.
await new Promise(r => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}`;

function run(cmd, args, cwd, env) {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', c => { err += c; });
    child.on('error', fail);
    child.on('close', code => (code === 0 ? done() : fail(new Error(`${cmd} ${args.join(' ')}: ${err}`))));
  });
}

async function timed(body) {
  const t = process.hrtime.bigint();
  await body();
  return Number(process.hrtime.bigint() - t) / 1e9;
}
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const upgradesOf = count => names.slice(0, count).map(name => ({ name, from: '1.0.0', to: '1.1.0' }));

async function npmPart() {
  for (const name of names) {
    const versions = {};
    for (const version of ['1.0.0', '1.1.0']) {
      const dir = join(work, 'pkg', name, version, 'package');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version, main: 'index.js' }));
      writeFileSync(join(dir, 'index.js'), `module.exports = ${JSON.stringify(version)};\n${'// padding\n'.repeat(200)}`);
      const chunks = [];
      for await (const c of create({ cwd: join(dir, '..'), gzip: true, portable: true }, ['package'])) chunks.push(c);
      const tgz = Buffer.concat(chunks);
      routes.set(`/t/${name}-${version}.tgz`, tgz);
      versions[version] = { name, version, dist: { tarball: `${url}/t/${name}-${version}.tgz`, integrity: `sha512-${createHash('sha512').update(tgz).digest('base64')}` } };
    }
    routes.set(`/${name}`, JSON.stringify({ name, 'dist-tags': { latest: '1.1.0' }, versions }));
  }
  const env = { PATH: process.env.PATH, HOME: work, npm_config_registry: `${url}/`, npm_config_cache: join(work, 'npm-cache'),
    npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', npm_config_userconfig: join(work, 'none') };
  const from = join(work, 'npm-from');
  mkdirSync(from);
  writeFileSync(join(from, 'package.json'), JSON.stringify({ name: 'svc', version: '1.0.0', private: true, dependencies: Object.fromEntries(names.map(n => [n, '1.0.0'])) }));
  await run('npm', ['install', '--package-lock-only'], from, env);
  // The to ref: every package at 1.1.0, pinned exactly as `from` pins them; trials splice its entries into `from`'s lock.
  const to = join(work, 'npm-to');
  mkdirSync(to);
  writeFileSync(join(to, 'package.json'), JSON.stringify({ name: 'svc', version: '1.0.0', private: true, dependencies: Object.fromEntries(names.map(n => [n, '1.1.0'])) }));
  await run('npm', ['install', '--package-lock-only'], to, env);
  const toLock = readFileSync(join(to, 'package-lock.json'), 'utf8');
  const installer = npmInstaller('package-lock.json', env, async () => toLock);
  const trial = [];
  const floor = [];
  // Round 0 warms the cache (the first trial); the rest are "second trials".
  for (let r = 0; r <= ROUNDS; r++) {
    const dir = join(work, `npm-trial-${r}`);
    cpSync(from, dir, { recursive: true });
    const t = await timed(async () => { const res = await installer.apply(dir, 0, upgradesOf(20 + r)); if (!res.ok) throw new Error(res.reason); });
    // npm install would have saved ^1.1.0; the exact pin of the to ref says the trial took the splice.
    if (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies[names[0]] !== '1.1.0') throw new Error('the trial did not take the splice');
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    const f = await timed(() => run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], dir, env));
    if (r > 0) { trial.push(t); floor.push(f); }
  }
  return { what: 'npm: spliced lock + npm ci vs npm ci of the same lockfile', trial: median(trial), floor: median(floor) };
}

// The same batch as a pnpm project, on the tarballs npmPart serves (so it runs after it): the trial (to's entries
// spliced into from's pnpm-lock.yaml, then pnpm install --frozen-lockfile) against pnpm install --frozen-lockfile of
// the trial's own lock into an empty node_modules, both from the warm store. pnpm is the project's devDependency.
async function pnpmPart() {
  const bin = new URL('../node_modules/.bin', import.meta.url).pathname;
  const env = { PATH: `${bin}:${process.env.PATH}`, HOME: work, npm_config_registry: `${url}/`, npm_config_store_dir: join(work, 'pnpm-store'),
    npm_config_update_notifier: 'false', npm_config_userconfig: join(work, 'none'), XDG_DATA_HOME: join(work, 'pnpm-data'),
    XDG_CONFIG_HOME: join(work, 'pnpm-config'), XDG_CACHE_HOME: join(work, 'pnpm-cache') };
  const project = (dir, version) => {
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'svc', version: '1.0.0', private: true, dependencies: Object.fromEntries(names.map(n => [n, version])) }));
  };
  const from = join(work, 'pnpm-from');
  const to = join(work, 'pnpm-to');
  project(from, '1.0.0');
  project(to, '1.1.0');
  await run('pnpm', ['install', '--lockfile-only'], from, env);
  await run('pnpm', ['install', '--lockfile-only'], to, env);
  const toLock = readFileSync(join(to, 'pnpm-lock.yaml'), 'utf8');
  const installer = pnpmInstaller('pnpm-lock.yaml', env, async path => (path === 'pnpm-lock.yaml' ? toLock : undefined));
  const frozen = ['install', '--frozen-lockfile', '--ignore-scripts', '--prefer-offline', '--reporter=silent'];
  const trial = [];
  const floor = [];
  // Round 0 warms the store (the first trial); the rest are "second trials".
  for (let r = 0; r <= ROUNDS; r++) {
    const dir = join(work, `pnpm-trial-${r}`);
    cpSync(from, dir, { recursive: true });
    const t = await timed(async () => { const res = await installer.apply(dir, 0, upgradesOf(20 + r)); if (!res.ok) throw new Error(res.reason); });
    if (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies[names[0]] !== '1.1.0') throw new Error('the trial did not take the splice');
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    const f = await timed(() => run('pnpm', frozen, dir, env));
    if (r > 0) { trial.push(t); floor.push(f); }
  }
  return { what: 'pnpm: spliced lock + pnpm install --frozen-lockfile vs the same of the same lockfile', trial: median(trial), floor: median(floor) };
}

async function pipPart() {
  const wheels = join(work, 'wheels');
  mkdirSync(wheels);
  execFileSync('python3', ['-c', String.raw`
import sys, zipfile
out = sys.argv[1]
for name in sys.argv[2:]:
    d = name.replace("-", "_")
    for v in ("1.0.0", "1.1.0"):
        info = f"{d}-{v}.dist-info"
        with zipfile.ZipFile(f"{out}/{d}-{v}-py3-none-any.whl", "w") as z:
            z.writestr(f"{d}/__init__.py", f"VERSION = {v!r}\n" + "# padding\n" * 200)
            z.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {v}\n")
            z.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
            z.writestr(f"{info}/RECORD", "")
`, wheels, ...names]);
  const index = new Map();
  for (const file of readdirSync(wheels)) {
    routes.set(`/f/${file}`, readFileSync(join(wheels, file)));
    const project = file.split('-')[0].replace(/_/g, '-');
    index.set(project, [...(index.get(project) ?? []), `<a href="/f/${file}">${file}</a>`]);
  }
  for (const [project, links] of index) routes.set(`/simple/${project}/`, `<html><body>${links.join('\n')}</body></html>`);
  const env = { PATH: process.env.PATH, HOME: work, PIP_INDEX_URL: `${url}/simple/`, PIP_CACHE_DIR: join(work, 'pip-cache'), PIP_CONFIG_FILE: '/dev/null',
    PIP_DISABLE_PIP_VERSION_CHECK: '1' };
  const from = join(work, 'py-from');
  mkdirSync(from);
  const requirements = names.map(n => `${n}==1.0.0`).join('\n') + '\n';
  writeFileSync(join(from, 'requirements.txt'), requirements);
  const installer = pipInstaller('requirements.txt', env);
  const ready = join(work, 'ready-venv');
  spawnSync('python3', ['-m', 'venv', ready]);
  const trial = [];
  const floor = [];
  for (let r = 0; r <= ROUNDS; r++) {
    const upgrades = upgradesOf(20 + r);
    const t = await timed(async () => { const res = await installer.apply(from, 0, upgrades); if (!res.ok) throw new Error(res.reason); });
    const pins = join(work, `pins-${r}.txt`);
    writeFileSync(pins, trialPins(requirements, upgrades));
    spawnSync(join(ready, 'bin', 'python'), ['-m', 'pip', 'uninstall', '-y', '-q', ...names], { env });
    const f = await timed(() => run(join(ready, 'bin', 'python'), ['-m', 'pip', 'install', '--no-deps', '-q', '-r', pins], work, env));
    if (r > 0) { trial.push(t); floor.push(f); }
  }
  await installer.dispose();
  return { what: 'pip: venv + pip install --no-deps vs pip install -r into a ready venv', trial: median(trial), floor: median(floor) };
}

// The same batch as a poetry.lock: the trial's pins come from the lock's install set (parsed once a run), the
// floor installs those very pins. Uses the wheels and the index pipPart serves, so it runs after it.
async function poetryPart() {
  const env = { PATH: process.env.PATH, HOME: work, PIP_INDEX_URL: `${url}/simple/`, PIP_CACHE_DIR: join(work, 'pip-cache'), PIP_CONFIG_FILE: '/dev/null',
    PIP_DISABLE_PIP_VERSION_CHECK: '1' };
  const lock = v => `# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.\n${names.map(n => `
[[package]]
name = "${n}"
version = "${v}"
description = ""
optional = false
python-versions = "*"
files = []
`).join('')}
[metadata]
lock-version = "2.0"
python-versions = "^3.8"
content-hash = "0"
`;
  const from = join(work, 'poetry-from');
  mkdirSync(from);
  writeFileSync(join(from, 'poetry.lock'), lock('1.0.0'));
  const source = lockPinSource('poetry-lock', 'poetry.lock', async () => lock('1.1.0'));
  const installer = pipInstaller('poetry.lock', env, source);
  const ready = join(work, 'ready-venv-poetry');
  spawnSync('python3', ['-m', 'venv', ready]);
  const trial = [];
  const floor = [];
  for (let r = 0; r <= ROUNDS; r++) {
    const upgrades = upgradesOf(20 + r);
    const t = await timed(async () => { const res = await installer.apply(from, 0, upgrades); if (!res.ok) throw new Error(res.reason); });
    const pinned = await source(lock('1.0.0'), upgrades, from);
    if (!pinned.ok || pinned.text.split('\n').filter(Boolean).length !== N) throw new Error('the poetry.lock pins are not the 40 packages');
    const pins = join(work, `poetry-pins-${r}.txt`);
    writeFileSync(pins, pinned.text);
    spawnSync(join(ready, 'bin', 'python'), ['-m', 'pip', 'uninstall', '-y', '-q', ...names], { env });
    const f = await timed(() => run(join(ready, 'bin', 'python'), ['-m', 'pip', 'install', '--no-deps', '-q', '-r', pins], work, env));
    if (r > 0) { trial.push(t); floor.push(f); }
  }
  await installer.dispose();
  return { what: 'poetry.lock: venv + pip install --no-deps of its pins vs pip install -r into a ready venv', trial: median(trial), floor: median(floor) };
}

try {
  const rows = [];
  for (const part of (process.env.BENCH_PARTS ?? 'npm,pnpm,pip,poetry').split(',').map(p => ({ npm: npmPart, pnpm: pnpmPart, pip: pipPart, poetry: poetryPart })[p])) {
    const { what, trial, floor } = await part();
    rows.push({ install: what, 'floor (s)': floor.toFixed(2), 'trial (s)': trial.toFixed(2), ratio: (trial / floor).toFixed(2), target: '<= 1.50' });
  }
  console.log(`dependency bisect: second-trial install of a ${N}-package batch against a warm cache (median of ${ROUNDS})`);
  console.table(rows);
} finally {
  server.close();
  rmSync(work, { recursive: true, force: true });
}
