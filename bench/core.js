// Issue 2 benchmark: a large synthetic repository (5,000 commits between two tags, 20,000 files, a package-lock.json
// with 3,000 packages changed in 200 commits), reldiff's wall time and peak memory as ratios to git's own floor
// (`git diff --numstat` + `git log` + reading both lockfiles) measured in the same run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const work = join(here, '.work');

const FILES = Number(process.env.BENCH_FILES ?? 20_000);
const COMMITS = Number(process.env.BENCH_COMMITS ?? 5_000);
const PACKAGES = Number(process.env.BENCH_PACKAGES ?? 3_000);
const LOCK_COMMITS = Number(process.env.BENCH_LOCK_COMMITS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** Deterministic pseudo-random numbers, so that every run builds the same repository. */
export function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function lockfile(versions) {
  const packages = { '': { name: 'bench', version: '1.0.0', dependencies: {} } };
  for (let i = 0; i < PACKAGES; i++) {
    const name = `pkg-${i}`;
    if (i < 100) packages[''].dependencies[name] = `^${versions[i]}`;
    packages[`node_modules/${name}`] = { version: versions[i], resolved: `https://registry.npmjs.org/${name}/-/${name}-${versions[i]}.tgz`,
      integrity: `sha512-${Buffer.from(`${name}@${versions[i]}`).toString('base64')}` };
  }
  return `${JSON.stringify({ name: 'bench', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}

function sourceFile(i, revision) {
  const py = i % 2 === 0;
  const lines = [];
  for (let l = 0; l < 20; l++) {
    lines.push(py ? `def f_${i}_${l}(x):\n    return x + ${l + revision}\n` : `export function f${i}_${l}(x: number): number {\n  return x + ${l + revision};\n}\n`);
  }
  return { path: `src/m${Math.floor(i / 500)}/file${i}.${py ? 'py' : 'ts'}`, text: lines.join('') };
}

/**
 * One `git fast-import` stream into a fresh repository at `dir`: seconds instead of minutes of `git commit`.
 * commit() appends a commit on main (files: [path, text] pairs), tag() names the last one, finish() imports.
 */
export function fastImport(dir, { time: startTime = 1_700_000_000, step = 60 } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  spawnSync('git', ['init', '-q', '-b', 'main', dir]);
  const chunks = [];
  const data = text => {
    const buf = Buffer.from(text);
    chunks.push(`data ${buf.length}\n`, buf, '\n');
  };
  let mark = 0;
  let time = startTime;
  const commit = (message, files) => {
    mark++;
    chunks.push(`commit refs/heads/main\nmark :${mark}\nauthor Bench <b@example.com> ${time} +0000\ncommitter Bench <b@example.com> ${time} +0000\n`);
    time += step;
    data(message);
    if (mark > 1) chunks.push(`from :${mark - 1}\n`);
    for (const [path, text] of files) {
      chunks.push(`M 100644 inline ${path}\n`);
      data(text);
    }
  };
  const tag = name => chunks.push(`reset refs/tags/${name}\nfrom :${mark}\n\n`);
  const finish = () => {
    const result = spawnSync('git', ['fast-import', '--quiet'], { cwd: dir, input: Buffer.concat(chunks.map(c => (typeof c === 'string' ? Buffer.from(c) : c))) });
    if (result.status !== 0) throw new Error(result.stderr.toString());
    spawnSync('git', ['checkout', '-q', 'main'], { cwd: dir });
  };
  return { commit, tag, finish };
}

function buildRepository(dir) {
  const random = rng(42);
  const { commit, tag, finish } = fastImport(dir);
  const versions = Array.from({ length: PACKAGES }, () => '1.0.0');
  const first = [['package-lock.json', lockfile(versions)]];
  for (let i = 0; i < FILES - 1; i++) {
    const f = sourceFile(i, 0);
    first.push([f.path, f.text]);
  }
  commit('initial', first);
  tag('v1');
  const lockEvery = Math.floor(COMMITS / LOCK_COMMITS);
  let nextPackage = 0;
  const perLockCommit = Math.ceil(PACKAGES / LOCK_COMMITS);
  for (let c = 1; c <= COMMITS; c++) {
    const files = [];
    for (let k = 0; k < 2; k++) {
      const i = Math.floor(random() * (FILES - 1));
      const f = sourceFile(i, c);
      files.push([f.path, f.text]);
    }
    if (c % lockEvery === 0 && nextPackage < PACKAGES) {
      for (let k = 0; k < perLockCommit && nextPackage < PACKAGES; k++, nextPackage++) versions[nextPackage] = `1.${1 + (c % 7)}.0`;
      files.push(['package-lock.json', lockfile(versions)]);
    }
    commit(`change ${c}`, files);
  }
  tag('v2');
  finish();
}

export function timeSync(cmd, args, cwd) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function floor(dir) {
  return timeSync('git', ['diff', '--numstat', 'v1', 'v2'], dir)
    + timeSync('git', ['log', '--format=%H %P %an %aI %s', 'v1..v2'], dir)
    + timeSync('git', ['show', 'v1:package-lock.json'], dir)
    + timeSync('git', ['show', 'v2:package-lock.json'], dir);
}

/** Wall time and peak RSS of reldiff's own process (children are git, counted in wall time). */
/** `reldiff <refs> --format json --offline --repo dir`; `replay: false` times the analysis even when the same run was made before. */
export function runReldiff(dir, extra = [], refs = ['v1', 'v2'], { replay = true } = {}) {
  return new Promise((resolvePromise, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [join(here, 'measure.js'), ...refs, '--format', 'json', '--offline', '--repo', dir, ...extra],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...(replay ? {} : { BENCH_REPLAY: '0' }) } });
    let err = '';
    child.stderr.on('data', d => { err += d; });
    child.on('close', code => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const rss = /maxRSS=(\d+)/.exec(err);
      if (code !== 0 || !rss) reject(new Error(`reldiff exited ${code}: ${err}`));
      else resolvePromise({ ms, rssMb: Number(rss[1]) / 1024 });
    });
  });
}

export const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchCore() {
  const dir = join(work, `repo-${FILES}-${COMMITS}-${PACKAGES}-${LOCK_COMMITS}`);
  if (!existsSync(join(dir, '.git', 'refs', 'tags', 'v2')) && !existsSync(join(dir, '.git', 'packed-refs'))) {
    process.stderr.write(`building ${dir} ...\n`);
    buildRepository(dir);
  }
  // The same run with every rule off says how much of the time is the leak rules (issue 4 has its own target).
  const { rules } = await import('../dist/rules/index.js');
  const rulesOff = join(work, 'rules-off.json');
  writeFileSync(rulesOff, JSON.stringify({ rules: Object.fromEntries(rules.map(r => [r.id, 'off'])) }));
  const floors = [];
  const runs = [];
  const runsNoRules = [];
  for (let i = 0; i < RUNS; i++) {
    floors.push(floor(dir));
    runs.push(await runReldiff(dir, [], undefined, { replay: false }));
    runsNoRules.push(await runReldiff(dir, ['--config', rulesOff], undefined, { replay: false }));
  }
  const floorMs = median(floors);
  const ms = median(runs.map(r => r.ms));
  const msNoRules = median(runsNoRules.map(r => r.ms));
  const rss = Math.max(...runs.map(r => r.rssMb));
  console.log(`\n## core: reldiff v1 v2 on ${COMMITS} commits, ${FILES} files, ${PACKAGES} packages changed in ${LOCK_COMMITS} commits`);
  console.log('| figure | value | floor | ratio | target |');
  console.log('|---|---:|---:|---:|---|');
  console.log(`| wall time | ${ms.toFixed(0)} ms | ${floorMs.toFixed(0)} ms | ${(ms / floorMs).toFixed(2)}x | <= 2x |`);
  console.log(`| wall time, rules off | ${msNoRules.toFixed(0)} ms | ${floorMs.toFixed(0)} ms | ${(msNoRules / floorMs).toFixed(2)}x | |`);
  console.log(`| peak RSS (reldiff process) | ${rss.toFixed(0)} MB | | | < 300 MB |`);
  return { ms, floorMs, rss };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchCore();
