// Simulated bisects (no git): average test runs of reldiff's risk-weighted search versus plain `git bisect`
// over many random histories, by where the culprit ranks. Run after `npm run build`: node bench/bisect.js
// (RELDIFF_DIST=<dir> points at another compiled tree).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = resolve(process.env.RELDIFF_DIST ?? new URL('../dist', import.meta.url).pathname);
const load = name => import(pathToFileURL(`${dist}/bisect/${name}.js`).href);
const { search } = await load('search');
const { priorsFromRisk, PERFECT } = await load('posterior');
const { plainBisectRunCount, seededRandom, simulatedOracle } = await load('simulate');

const REPOS = Number(process.env.BENCH_REPOS ?? 300);
const random = seededRandom(42);

/** Most commits carry little risk, a few carry a lot: what reldiff's ranking looks like on real histories. */
function randomRisks(n) {
  return Array.from({ length: n }, () => (random() < 0.1 ? 0.5 + 0.5 * random() : 0.15 * random() ** 2));
}

function culpritAt(risks, where) {
  const order = risks.map((r, i) => [r, i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map(([, i]) => i);
  const pick = { first: 0, top10: Math.floor(order.length * 0.1 * random()), middle: Math.floor(order.length / 2), last: order.length - 1 }[where];
  return order[pick];
}

const rows = [];
for (const where of ['first', 'top10', 'middle', 'last']) {
  let ours = 0, plain = 0, worstExtra = -Infinity, wrong = 0;
  for (let r = 0; r < REPOS; r++) {
    const n = 8 + Math.floor(random() * 500);
    const risks = randomRisks(n);
    const culprit = culpritAt(risks, where);
    const result = await search(priorsFromRisk(risks), simulatedOracle(culprit), { model: PERFECT, confidence: 0.95, jobs: 1, slack: 2 });
    const p = plainBisectRunCount(n, culprit);
    ours += result.steps; plain += p; worstExtra = Math.max(worstExtra, result.steps - p);
    if (result.firstBad !== culprit) wrong++;
  }
  rows.push({ culprit: where, repos: REPOS, reldiff: (ours / REPOS).toFixed(2), plain: (plain / REPOS).toFixed(2), worstExtra, wrong });
}

// A flaky check that lies 10 % of the time either way: reldiff --flaky versus plain bisect trusting every answer.
const model = { falseNegative: 0.1, falsePositive: 0.1 };
let ours = 0, plain = 0, oursRight = 0, plainRight = 0;
for (let r = 0; r < REPOS; r++) {
  const n = 8 + Math.floor(random() * 500);
  const risks = randomRisks(n);
  const culprit = culpritAt(risks, 'middle');
  const oracle = simulatedOracle(culprit, model, random);
  const result = await search(priorsFromRisk(risks), oracle, { model, confidence: 0.95, jobs: 1, slack: 2 });
  ours += result.steps; if (result.firstBad === culprit) oursRight++;
  let lo = 0, hi = n - 1;
  while (lo < hi) {
    const t = lo + Math.floor((hi - lo + 1) / 2) - 1;
    const [verdict] = await oracle([t]);
    plain++;
    if (verdict === 'bad') hi = t; else lo = t + 1;
  }
  if (lo === culprit) plainRight++;
}
rows.push({ culprit: 'middle, flaky 10%', repos: REPOS, reldiff: (ours / REPOS).toFixed(2), plain: (plain / REPOS).toFixed(2),
  worstExtra: '-', wrong: `reldiff ${REPOS - oursRight}, plain ${REPOS - plainRight}` });
console.table(rows);
