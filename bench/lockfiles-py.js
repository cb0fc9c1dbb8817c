// Times each Python/Cargo/Go/Ruby lockfile parser on the largest fixture of its format against the reference
// parser on the same text (smol-toml for TOML formats, JSON.parse for Pipfile.lock, a regex for requirements).
// Run: npm run build && node --expose-gc bench/lockfiles-py.js
import { performance } from 'node:perf_hooks';
import { parse as parseToml } from 'smol-toml';
import { parsePoetryLock } from '../dist/lockfiles/poetry-lock.js';
import { parseUvLock } from '../dist/lockfiles/uv-lock.js';
import { parsePipfileLock } from '../dist/lockfiles/pipfile-lock.js';
import { parseRequirements } from '../dist/lockfiles/requirements.js';
import { readFixture } from './fixtures.js';

const RUNS = Number(process.env.BENCH_RUNS) || 5; // more runs steady the median on a busy machine

const cases = [
  { format: 'uv-lock', file: 'uv-lock/pydantic__pydantic-ai@v1.74.0/uv.lock', ours: parseUvLock, reference: ['smol-toml', t => parseToml(t)] },
  { format: 'poetry-lock', file: 'poetry-lock/saleor__saleor@3.20.0/poetry.lock', ours: parsePoetryLock, reference: ['smol-toml', t => parseToml(t)] },
  { format: 'pipfile-lock', file: 'pipfile-lock/paperless-ngx__paperless-ngx@v2.14.0/Pipfile.lock', ours: parsePipfileLock, reference: ['JSON.parse', t => JSON.parse(t)] },
  { format: 'requirements', file: 'requirements/freedomofpress__securedrop@2.9.0/develop-requirements.txt', ours: parseRequirements,
    reference: ['regex pins', t => [...t.matchAll(/^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)/gm)]] },
];

/** Median of RUNS timings of each function, run in turns so that load from other processes hits both alike. */
function medians(a, b) {
  const times = [[], []];
  a(); b(); // warm-up: JIT and lazy module init are not what a user waits for twice
  for (let i = 0; i < RUNS; i++) {
    for (const [k, fn] of [[0, a], [1, b]]) {
      globalThis.gc?.(); // with --expose-gc, neither side pays for the other's garbage
      const start = performance.now();
      fn();
      times[k].push(performance.now() - start);
    }
  }
  return times.map(t => t.sort((x, y) => x - y)[Math.floor(RUNS / 2)]);
}

const rows = [];
for (const c of cases) {
  const text = readFixture(c.file);
  const result = c.ours(text, c.file);
  if (!result.ok) throw new Error(`${c.file}: ${result.error.message}`);
  const [ours, ref] = medians(() => c.ours(text, c.file), () => c.reference[1](text));
  rows.push([c.format, `${(text.length / 1e6).toFixed(2)} MB`, String(result.value.packages.length), `${ours.toFixed(1)} ms`,
    `${c.reference[0]} ${ref.toFixed(1)} ms`, (ours / ref).toFixed(2)]);
}
const head = ['format', 'size', 'packages', `reldiff (median of ${RUNS})`, `reference (median of ${RUNS})`, 'ratio'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
const line = r => r.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(line(head));
console.log(widths.map(w => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
