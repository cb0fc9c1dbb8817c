import type { Report } from './model.js';
import { esc, num } from './html-escape.js';
import type { CommitView } from './html-view.js';

// The commit timeline: one bar per commit from `from` to `to`, height = risk, colour = level.
// Geometry is in viewBox units and stretched to the page width, so any number of commits fits.

const STEP = 10;
const BAR = 8;
const PLOT = 100;

function barLabel(c: CommitView): string {
  const flags = [c.lockfile ? 'changes a lockfile' : '', c.testFirst ? `bisect: test first #${c.testFirst}` : '']
    .filter(Boolean).join('; ');
  return `${c.short} ${c.subject}, risk ${num(c.risk)} ${c.level}${flags ? `; ${flags}` : ''}`;
}

function bar(c: CommitView, i: number): string {
  const x = i * STEP;
  const h = Math.max(3, Math.round(c.risk * (PLOT - 4)));
  const parts = [
    c.testFirst ? `<rect class="tl-first" x="${x}" y="0" width="${STEP}" height="${PLOT}"/>` : '',
    `<rect class="tl-bar lv-${c.level}" x="${x + 1}" y="${PLOT - h}" width="${BAR}" height="${h}"/>`,
    c.lockfile ? `<rect class="tl-lock" x="${x + 1}" y="${PLOT + 4}" width="${BAR}" height="6"/>` : '',
    c.testFirst ? `<rect class="tl-first-mark" x="${x + 1}" y="${PLOT + 12}" width="${BAR}" height="6"/>` : '',
  ];
  return `<g class="tl-commit" data-i="${i}" tabindex="${i === 0 ? 0 : -1}" role="button" aria-label="${esc(barLabel(c))}">`
    + `<title>${esc(barLabel(c))}</title><rect class="tl-hit" x="${x}" y="0" width="${STEP}" height="${PLOT + 20}"/>`
    + parts.join('') + '</g>';
}

export function renderTimeline(report: Report, commits: readonly CommitView[]): string {
  const width = Math.max(1, commits.length) * STEP;
  const lockfiles = commits.filter(c => c.lockfile).length;
  const firsts = commits.filter(c => c.testFirst).length;
  if (commits.length === 0) {
    return `<section id="timeline" aria-labelledby="timeline-h">
<h2 id="timeline-h">Commit timeline</h2>
<p>No commits between <code>${esc(report.from.ref)}</code> and <code>${esc(report.to.ref)}</code>.</p>
</section>`;
  }
  const chart = `<svg class="tl-svg" viewBox="0 0 ${width} ${PLOT + 20}" preserveAspectRatio="none" role="group" aria-label="${commits.length} commits, oldest first. Use the arrow keys to move between commits.">`
      + `<line class="tl-axis" x1="0" y1="${PLOT}" x2="${width}" y2="${PLOT}"/>`
      + commits.map(bar).join('') + '</svg>';
  return `<section id="timeline" aria-labelledby="timeline-h">
<h2 id="timeline-h">Commit timeline</h2>
<p class="note">${commits.length} commits from <code>${esc(report.from.ref)}</code> to <code>${esc(report.to.ref)}</code>, oldest first; bar height is the commit's risk. ${lockfiles} change a lockfile, ${firsts} are bisect test-first points.</p>
<ul class="legend" aria-label="Legend">
<li><span class="sw lv-critical"></span>critical</li><li><span class="sw lv-high"></span>high</li><li><span class="sw lv-medium"></span>medium</li><li><span class="sw lv-low"></span>low</li>
<li><span class="sw sw-lock"></span>changes a lockfile</li><li><span class="sw sw-first"></span>bisect: test first</li>
</ul>
<div class="tl-wrap">${chart}</div>
<div class="tl-ends"><span>${esc(report.from.ref)}</span><span>${esc(report.to.ref)}</span></div>
<div id="tl-detail" class="tl-detail" aria-live="polite"><p class="note">Hover, focus or click a bar to see the commit.</p></div>
</section>`;
}
