import { esc, num } from '../report/html-escape.js';
import { plural } from '../report/text.js';
import { targetText } from './deps-render.js';
import type { DepsPlan } from './deps-plan.js';
import type { DepsOutcome } from './deps-run.js';

// `reldiff bisect --deps --format html`: one self-contained page (no script, no network: the CSP allows inline
// styles only) with the culprit, every trial with its set and verdict, and the units with their priors.

const CSP = "default-src 'none'; style-src 'unsafe-inline'";
const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:64rem;padding:0 1rem}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #8884;padding:.3rem .5rem;text-align:left;vertical-align:top}
.good{color:#1a7f37}.bad{color:#cf222e}.skip{color:#9a6700}code{font-size:.92em}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}}`;

export function renderDepsHtml(outcome: DepsOutcome, plan: DepsPlan): string {
  const { culprit } = outcome;
  const members = culprit.members.map(m => `<li><code>${esc(m.name)}</code> ${esc(m.from)} → ${esc(m.to)}</li>`).join('');
  const trials = outcome.trials.map(t => `<tr><td>${t.step}</td><td class="${t.verdict}">${t.verdict}${t.resumed ? ' (resumed)' : ''}</td>`
    + `<td>${t.units}</td><td>${t.set.length ? t.set.map(s => `<code>${esc(s)}</code>`).join(' ') : '(the from set)'}${t.reason ? `<br>${esc(t.reason)}` : ''}</td></tr>`).join('\n');
  const units = plan.units.map((u, i) => `<tr><td>${i + 1}</td><td>${num(u.prior, 3)}</td>`
    + `<td>${u.members.map(m => `<code>${esc(m.name)}</code> ${esc(m.from)} → ${esc(m.to)}`).join('<br>')}${u.why.map(w => `<br><small>${esc(w)}</small>`).join('')}</td></tr>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>reldiff bisect --deps: ${esc(culprit.name)}</title><style>${STYLE}</style></head><body>
<h1>Dependency bisect of ${esc(culprit.lockfile)}</h1>
<h2>${outcome.isGroup ? 'Culprit group' : 'Culprit'}</h2><ul>${members}</ul>
${culprit.why.map(w => `<p>${esc(w)}</p>`).join('\n')}
<p>${outcome.runs} runs; target ${targetText(plan)} for ${plural(plan.units.length, 'unit')}.</p>
<h2>Trials</h2><table><thead><tr><th>#</th><th>verdict</th><th>units</th><th>upgrades installed over the from set</th></tr></thead><tbody>
${trials}
</tbody></table>
<h2>Units, likeliest first</h2><table><thead><tr><th>order</th><th>prior</th><th>upgrades</th></tr></thead><tbody>
${units}
</tbody></table>
</body></html>
`;
}
