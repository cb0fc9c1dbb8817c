import { createHash } from 'node:crypto';
import type { Report } from './model.js';
import type { Reporter } from './types.js';
import { esc, jsonForScript, shortSha } from './html-escape.js';
import { renderBisectRun } from './html-bisect.js';
import { renderDependencies } from './html-deps.js';
import { renderProbe } from './html-probe.js';
import { SCRIPT } from './html-script.js';
import { STYLE } from './html-style.js';
import { renderRanking } from './html-table.js';
import { renderTimeline } from './html-timeline.js';
import { viewCommits, viewRows } from './html-view.js';

// One self-contained file: inline CSS, inline SVG and one inline script, nothing fetched. The CSP pins
// the script by hash, so even a value that escaped escaping could not run.

const SCRIPT_HASH = `sha256-${createHash('sha256').update(SCRIPT, 'utf8').digest('base64')}`;

export const CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  `script-src '${SCRIPT_HASH}'`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function summary(report: Report): string {
  const levels = ['critical', 'high', 'medium', 'low'].map(l => [l, report.ranking.filter(i => i.level === l).length] as const);
  const items = [
    `${report.commits.length} commit${report.commits.length === 1 ? '' : 's'}`,
    `${report.ranking.length} ranked change${report.ranking.length === 1 ? '' : 's'}`,
    `${report.dependencies.length} dependency change${report.dependencies.length === 1 ? '' : 's'}`,
    `${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}`,
    ...levels.filter(([, n]) => n > 0).map(([l, n]) => `<span class="badge lv-${l}">${l}</span> ${n}`),
  ];
  return `<ul class="summary" aria-label="Summary">${items.map(i => `<li>${i}</li>`).join('')}</ul>`;
}

const hasBisectPlan = (report: Report): boolean => report.commits.length > 0 || report.bisect.commands.length > 0;

function bisectPlan(report: Report): string {
  if (!hasBisectPlan(report)) return '';
  const subjects = new Map(report.commits.map(c => [c.sha, c.subject]));
  const first = report.bisect.testFirst.map(sha => `<li><code>${esc(shortSha(sha))}</code> ${esc(subjects.get(sha) ?? '')}</li>`).join('');
  const commands = report.bisect.commands.map(esc).join('\n');
  return `<section id="bisect-plan" aria-labelledby="bisect-plan-h">
<h2 id="bisect-plan-h">Bisect plan</h2>
${first ? `<p>Test these commits first:</p><ol>${first}</ol>` : '<p>No commit stands out; a plain bisect is as good as any order.</p>'}
${commands ? `<pre aria-label="Bisect commands"><code>${commands}</code></pre>` : ''}
</section>`;
}

function warnings(report: Report): string {
  if (report.warnings.length === 0) return '';
  return `<section id="warnings" aria-labelledby="warnings-h">
<h2 id="warnings-h">Warnings</h2>
<ul>${report.warnings.map(w => `<li>${esc(w)}</li>`).join('')}</ul>
</section>`;
}

function nav(report: Report): string {
  const links: [string, string][] = [['timeline', 'Timeline'], ['ranking', 'Ranking'], ['dependencies', 'Dependencies']];
  if (report.bisectRun) links.push(['bisect-run', 'Bisect run']);
  if (report.probe) links.push(['probe', 'Memory probe']);
  if (hasBisectPlan(report)) links.push(['bisect-plan', 'Bisect plan']);
  if (report.warnings.length) links.push(['warnings', 'Warnings']);
  return `<nav aria-label="Sections"><ul>${links.map(([id, label]) => `<li><a href="#${id}">${label}</a></li>`).join('')}</ul></nav>`;
}

/** Renders the whole report as one HTML document. Pure: same Report, same bytes. */
/** `reldiff probe --format html` alone: nothing was compared, so only the memory curve is drawn. */
function isProbeOnly(report: Report): boolean {
  return report.probe !== undefined && report.commits.length === 0 && report.ranking.length === 0 && report.from.commit === '';
}

export function renderHtml(report: Report): string {
  if (isProbeOnly(report)) return renderProbePage(report);
  const commits = viewCommits(report);
  const data = { commits, rows: viewRows(report) };
  const title = `reldiff: ${report.from.ref} → ${report.to.ref}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="reldiff ${esc(report.tool.version)}">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#ranking">Skip to the ranking</a>
<header>
<h1>Release risk: <code>${esc(report.from.ref)}</code> → <code>${esc(report.to.ref)}</code></h1>
<p class="note"><code>${esc(shortSha(report.from.commit))}</code> → <code>${esc(shortSha(report.to.commit))}</code>, ranked by memory-leak risk.</p>
${summary(report)}
</header>
${nav(report)}
<main>
${renderTimeline(report, commits)}
${renderRanking(report)}
${renderDependencies(report)}
${renderBisectRun(report)}
${renderProbe(report)}
${bisectPlan(report)}
${warnings(report)}
</main>
<footer>Generated by reldiff ${esc(report.tool.version)}. This file is self-contained and makes no network requests.</footer>
<script type="application/json" id="reldiff-data">${jsonForScript(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function renderProbePage(report: Report): string {
  const title = `reldiff: ${report.from.ref}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="reldiff ${esc(report.tool.version)}">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Memory probe: <code>${esc(report.from.ref.replace(/^probe: /, ''))}</code></h1>
</header>
<main>
${renderProbe(report)}
</main>
<footer>Generated by reldiff ${esc(report.tool.version)}. This file is self-contained and makes no network requests.</footer>
</body>
</html>
`;
}

export const htmlReporter: Reporter = {
  format: 'html',
  render: report => renderHtml(report),
};
