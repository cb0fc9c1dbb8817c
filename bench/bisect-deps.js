// Dependency bisect run counts (simulated check, no installs): for batches of 12, 40 and 70 upgrades, the runs
// reldiff bisect --deps takes to name a lone culprit, against the target ceil(log2 n) + 2, by where the
// ranking puts the culprit. Run after `npm run build`: node bench/bisect-deps.js
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = resolve(process.env.RELDIFF_DIST ?? new URL('../dist', import.meta.url).pathname);
const load = name => import(pathToFileURL(`${dist}/bisect/${name}.js`).href);
const { search } = await load('search');
const { priorsFromRisk, PERFECT } = await load('posterior');
const { seededRandom, simulatedOracle } = await load('simulate');
const { runBound, searchSlack, simulateRuns } = await load('deps-plan');

const random = seededRandom(16);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 50);

/** A batch refresh: most upgrades are patch/minor noise, a few carry signals. Sorted likeliest first, as planUnits does. */
function randomPriors(n) {
  const risks = Array.from({ length: n }, () => (random() < 0.1 ? 0.5 + 0.5 * random() : 0.15 * random() ** 2)).sort((a, b) => b - a);
  return priorsFromRisk(risks);
}

async function runsFor(prior, culprit) {
  const n = prior.length;
  const result = await search(prior, simulatedOracle(culprit), { model: PERFECT, confidence: 1, jobs: 1, slack: searchSlack(n) });
  if (result.firstBad !== culprit) throw new Error(`wrong culprit ${result.firstBad} != ${culprit}`);
  const isAllGood = result.tested.every(t => t.result === 'good');
  return result.steps + (isAllGood && culprit === n - 1 ? 1 : 0);
}

const rows = [];
for (const n of [12, 40, 70]) {
  const flat = await simulateRuns(priorsFromRisk(new Array(n).fill(0.05)));
  const where = { first: [], middle: [], last: [] };
  let worst = 0;
  for (let b = 0; b < BATCHES; b++) {
    const prior = randomPriors(n);
    for (let c = 0; c < n; c++) worst = Math.max(worst, await runsFor(prior, c));
    where.first.push(await runsFor(prior, 0));
    where.middle.push(await runsFor(prior, Math.floor(n / 2)));
    where.last.push(await runsFor(prior, n - 1));
  }
  const avg = xs => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2);
  rows.push({ n, target: runBound(n), flatWorst: flat.worst, flatExpected: flat.expected, rankedWorst: worst,
    culpritRankedFirst: avg(where.first), culpritMiddle: avg(where.middle), culpritLast: avg(where.last) });
}
console.log(`dependency bisect: runs to name a lone culprit (${BATCHES} random rankings per size; target = ceil(log2 n) + 2)`);
console.table(rows);
