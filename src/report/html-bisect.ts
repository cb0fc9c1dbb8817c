import type { Report, ReportBisectRun } from './model.js';
import { esc, num, shortSha } from './html-escape.js';
import { commitSubjects } from './text.js';

// After `reldiff bisect`: the posterior over candidate commits, the tested commits and the first bad one.

const STEP = 10;
const PLOT = 100;
/** Snapshots drawn as small multiples at most; a long run shows evenly spaced steps, first and last kept. */
const MAX_MULTIPLES = 12;

const maxOf = (values: readonly number[]): number => values.reduce((m, v) => (v > m ? v : m), 1e-9);

// Marks show results known at that point: all of them on the final posterior, steps <= k on snapshot k.
function bars(probabilities: readonly number[], shas: readonly string[], run: ReportBisectRun, label: string, cls: string, upToStep: number): string {
  const max = maxOf(probabilities);
  const results = new Map(run.tested.filter(t => t.step <= upToStep).map(t => [t.sha, t.result] as const));
  const width = Math.max(1, probabilities.length) * STEP;
  const body = probabilities.map((p, i) => {
    const sha = shas[i] ?? '';
    const h = p > 0 ? Math.max(1, Math.round((p / max) * PLOT)) : 0;
    const bad = sha !== '' && sha === run.firstBad ? ' first-bad' : '';
    const result = results.get(sha);
    const mark = result === undefined ? '' : `<rect class="res-${result}" x="${i * STEP + 1}" y="${PLOT + 3}" width="8" height="5"/>`;
    return `<g class="pb"><title>${esc(shortSha(sha))}: ${num(p, 3)}${result ? ` (${result})` : ''}</title>`
      + `<rect class="pb-bar${bad}" x="${i * STEP + 1}" y="${PLOT - h}" width="8" height="${h}"/>${mark}</g>`;
  }).join('');
  return `<svg class="${cls}" viewBox="0 0 ${width} ${PLOT + 8}" preserveAspectRatio="none" role="img" aria-label="${esc(label)}">`
    + `<line class="tl-axis" x1="0" y1="${PLOT}" x2="${width}" y2="${PLOT}"/>${body}</svg>`;
}

// A small multiple is one step-shaped area (not one rect per commit) so that long runs over thousands of
// candidates stay light; the first bad commit and the results known at step k are marked under it.
function area(probabilities: readonly number[], shas: readonly string[], run: ReportBisectRun, k: number): string {
  const max = maxOf(probabilities);
  const width = Math.max(1, probabilities.length) * STEP;
  const top = (p: number): string => num(PLOT - (p > 0 ? (p / max) * PLOT : 0), 1);
  const path = ['M0,' + PLOT, ...probabilities.map((p, i) => `L${i * STEP},${top(p)}L${(i + 1) * STEP},${top(p)}`), `L${width},${PLOT}Z`].join('');
  const known = new Map(run.tested.filter(t => t.step <= k).map(t => [t.sha, t.result] as const));
  const marks = shas.map((sha, i) => {
    const result = known.get(sha);
    const bad = sha === run.firstBad ? `<rect class="pb-bad-mark" x="${i * STEP}" y="${PLOT + 2}" width="${STEP}" height="3"/>` : '';
    return bad + (result === undefined ? '' : `<rect class="res-${result}" x="${i * STEP}" y="${PLOT + 6}" width="${STEP}" height="3"/>`);
  }).join('');
  return `<svg class="pb-small" viewBox="0 0 ${width} ${PLOT + 10}" preserveAspectRatio="none" role="img" aria-label="Posterior after step ${k}">`
    + `<path class="pb-area" d="${path}"/>${marks}</svg>`;
}

function pickSteps(count: number): number[] {
  if (count <= MAX_MULTIPLES) return Array.from({ length: count }, (_, k) => k);
  return [...new Set(Array.from({ length: MAX_MULTIPLES }, (_, j) => Math.round((j * (count - 1)) / (MAX_MULTIPLES - 1))))];
}

export function renderBisectRun(report: Report): string {
  const run = report.bisectRun;
  if (run === undefined) return '';
  const subjects = commitSubjects(report);
  const shas = run.posterior.map(p => p.sha);
  const first = run.firstBad === null
    ? '<p>No first bad commit was found.</p>'
    : `<p class="first-bad-line">First bad commit: <code>${esc(run.firstBad)}</code> ${esc(subjects.get(run.firstBad) ?? '')}</p>`;
  const posterior = bars(run.posterior.map(p => p.probability), shas, run,
    `Posterior probability that each of ${shas.length} candidate commits is the first bad one`, 'pb-svg', Number.POSITIVE_INFINITY);
  const snapshots = run.history ?? [];
  const history = pickSteps(snapshots.length).map(k => `<figure class="multiple">${area(snapshots[k] ?? [], shas, run, k)}`
    + `<figcaption>after step ${k}</figcaption></figure>`).join('');
  const tested = run.tested.map(t => `<tr><td>${t.step}</td><td><code>${esc(shortSha(t.sha))}</code> ${esc(subjects.get(t.sha) ?? '')}</td><td><span class="badge res-${esc(t.result)}">${esc(t.result)}</span></td></tr>`).join('');
  return `<section id="bisect-run" aria-labelledby="bisect-run-h">
<h2 id="bisect-run-h">Bisect run</h2>
${first}
<p class="note">${run.steps} step${run.steps === 1 ? '' : 's'}. Bars: probability that each candidate is the first bad commit (oldest first); marks below: tested good, bad or skipped.</p>
<ul class="legend" aria-label="Legend"><li><span class="sw sw-pb"></span>posterior</li><li><span class="sw sw-bad"></span>first bad</li><li><span class="sw res-good"></span>good</li><li><span class="sw res-bad"></span>bad</li><li><span class="sw res-skip"></span>skip</li></ul>
<div class="tl-wrap">${posterior}</div>
${history ? `<h3>As it narrowed</h3><div class="multiples">${history}</div>` : ''}
${tested ? `<table class="small-table"><caption>Tested commits</caption><thead><tr><th scope="col">Step</th><th scope="col">Commit</th><th scope="col">Result</th></tr></thead><tbody>${tested}</tbody></table>` : ''}
</section>`;
}
