// Issue 15, item 3: the line diff of files inside package tarballs (deep scan) against git's own, on the shapes that
// made the old JS Myers diff take seconds: a 1.5 MB file with scattered edits, a rewritten 500 KB file, a 170 KB file with every other line changed, a 2 MB
// minified bundle. Floor: `git diff --no-index --numstat` over the same pairs, measured in the same run; the `diff`
// package's structuredPatch (what fileChange used before) is shown beside it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { structuredPatch } from 'diff';
import { changedSources } from '../dist/registry/deep-scan.js';
import { median, rng } from './core.js';

const here = dirname(fileURLToPath(import.meta.url));
const work = join(here, '.work', 'deep-diff');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const random = rng(3);

const code = (n, salt) => Array.from({ length: n }, (_, i) => `  const v${i} = compute(${i}, "${salt}${i % 97}");`).join('\n');
function pairs() {
  const big = code(40_000, 'a');
  const edited = big.split('\n').map(l => (random() < 0.002 ? `${l} // edited` : l)).join('\n');
  const old = code(12_000, 'a');
  const rewritten = code(12_000, 'b');
  const half = code(4_000, 'a');
  const halfRewritten = half.split('\n').map((l, i) => (i % 2 === 0 ? l.replace('compute', 'evaluate') : l)).join('\n');
  const bundle = Array.from({ length: 100 }, (_, i) => `function f${i}(a){return a+${i}};`.repeat(600)).join('\n');
  return [['lib/big.js', big, edited], ['lib/rewritten.js', old, rewritten], ['lib/half.js', half, halfRewritten], ['dist/bundle.js', bundle, bundle.replaceAll('a+1', 'a-1')]];
}

function tree(files) {
  return { files: new Map(files), sizes: new Map(files.map(([p, t]) => [p, t.length])), refused: [] };
}

function timeMs(fn) {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const list = pairs();
rmSync(work, { recursive: true, force: true });
for (const [path, a, b] of list) {
  mkdirSync(join(work, 'a', dirname(path)), { recursive: true });
  mkdirSync(join(work, 'b', dirname(path)), { recursive: true });
  writeFileSync(join(work, 'a', path), a);
  writeFileSync(join(work, 'b', path), b);
}
const before = tree(list.map(([p, a]) => [p, a]));
const after = tree(list.map(([p, , b]) => [p, b]));
const floors = [];
const ours = [];
const old = [];
for (let r = 0; r < RUNS; r++) {
  // git exits 1 when the files differ: counted, not an error.
  floors.push(list.reduce((sum, [path]) => {
    const start = process.hrtime.bigint();
    spawnSync('git', ['diff', '--no-index', '--numstat', join(work, 'a', path), join(work, 'b', path)], { maxBuffer: 1 << 28 });
    return sum + Number(process.hrtime.bigint() - start) / 1e6;
  }, 0));
  ours.push(timeMs(() => changedSources('p', '2.0.0', before, after)));
  // Once: it takes about a minute.
  if (r === 0) old.push(timeMs(() => { for (const [path, a, b] of list) structuredPatch(path, path, a, b, '', '', { context: 0, maxEditLength: 20_000 }); }));
}
const floorMs = median(floors);
console.log('\n## deep-scan line diff: a 1.5 MB file with scattered edits, a rewritten 500 KB file, a 170 KB file with every other line changed, a 2 MB minified bundle');
console.log('| figure | value | floor (git diff --no-index) | ratio | target |');
console.log('|---|---:|---:|---:|---|');
console.log(`| changedSources (interned Myers, bundles skipped by content) | ${median(ours).toFixed(0)} ms | ${floorMs.toFixed(0)} ms | ${(median(ours) / floorMs).toFixed(2)}x | git speed |`);
console.log(`| diff package structuredPatch (before, one run) | ${median(old).toFixed(0)} ms | ${floorMs.toFixed(0)} ms | ${(median(old) / floorMs).toFixed(2)}x | |`);
rmSync(work, { recursive: true, force: true });
