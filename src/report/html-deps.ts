import type { Report, ReportDependency } from './model.js';
import { esc } from './html-escape.js';
import { versionJump } from './html-table.js';
import { addTo } from '../util/arrays.js';

// Dependency changes grouped by lockfile and ecosystem: the version jump and signals at a glance.

function groups(deps: readonly ReportDependency[]): [string, ReportDependency[]][] {
  const byKey = new Map<string, ReportDependency[]>();
  for (const d of deps) {
    // In place: copying the group on every package made 200,000 changes take minutes.
    addTo(byKey, `${d.lockfile}\u0000${d.ecosystem}`, d);
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function byName(a: ReportDependency, b: ReportDependency): number {
  const ka = `${a.name}\u0000${a.from ?? ''}\u0000${a.to ?? ''}`;
  const kb = `${b.name}\u0000${b.from ?? ''}\u0000${b.to ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function row(d: ReportDependency): string {
  const signals = d.signals.map(s => `<span class="chip sig" title="${esc(s.detail)}">${esc(s.id)}</span>`).join(' ');
  return `<tr><th scope="row"><code>${esc(d.name)}</code></th><td>${versionJump(d)}</td>`
    + `<td><span class="badge ch-${esc(d.change)}">${esc(d.change)}</span></td>`
    + `<td>${d.direct ? 'direct' : 'transitive'}${d.dev ? ', dev' : ''}</td><td>${signals}</td><td>${d.commits.length}</td></tr>`;
}

export function renderDependencies(report: Report): string {
  const sections = groups(report.dependencies).map(([, deps], g) => {
    const first = deps[0];
    const lockfile = first?.lockfile ?? '';
    const ecosystem = first?.ecosystem ?? '';
    const flagged = deps.filter(d => d.signals.length > 0).length;
    return `<table class="dep-table" id="deps-${g}">
<caption><code>${esc(lockfile)}</code> · ${esc(ecosystem)} · ${deps.length} change${deps.length === 1 ? '' : 's'}, ${flagged} with signals</caption>
<thead><tr><th scope="col">Package</th><th scope="col">Version</th><th scope="col">Change</th><th scope="col">Scope</th><th scope="col">Signals</th><th scope="col">Commits</th></tr></thead>
<tbody>${[...deps].sort(byName).map(row).join('')}</tbody>
</table>`;
  });
  const body = sections.length === 0 ? '<p>No dependency changes.</p>' : `<div class="scroll">${sections.join('\n')}</div>`;
  return `<section id="dependencies" aria-labelledby="deps-h">
<h2 id="deps-h">Dependency changes</h2>
${body}
</section>`;
}
