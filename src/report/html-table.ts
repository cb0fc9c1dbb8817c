import type { Report, ReportDependency, ReportFinding, ReportRankingItem } from './model.js';
import { esc, num, shortSha } from './html-escape.js';
import { commitSubjects } from './text.js';

// The ranking as a table. Each item is its own <tbody> (summary row + detail row) so sorting moves both.

const COLUMNS: readonly { key: string; label: string }[] = [
  { key: 'rank', label: 'Rank' },
  { key: 'level', label: 'Level' },
  { key: 'score', label: 'Score' },
  { key: 'kind', label: 'Kind' },
  { key: 'title', label: 'Change' },
  { key: 'eco', label: 'Ecosystem' },
  { key: 'commits', label: 'Commits' },
];

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values.filter(Boolean))].sort();
}

function select(id: string, label: string, values: readonly string[]): string {
  const options = values.map(v => `<option value="${esc(v)}">${esc(v)}</option>`).join('');
  return `<label for="${id}">${label}</label><select id="${id}"><option value="">all</option>${options}</select>`;
}

function filters(report: Report): string {
  const levels = ['critical', 'high', 'medium', 'low'].filter(l => report.ranking.some(i => i.level === l));
  return `<form class="filters" id="rank-filters" role="search" aria-label="Filter the ranking" hidden>
${select('f-kind', 'Kind', uniqueSorted(report.ranking.map(i => i.kind)))}
${select('f-level', 'Level', levels)}
${select('f-eco', 'Ecosystem', uniqueSorted(report.ranking.map(i => i.dependency?.ecosystem ?? '')))}
<label for="f-text">Path or name</label><input id="f-text" type="search" autocomplete="off" spellcheck="false">
</form>
<p id="rank-count" class="note" aria-live="polite">${report.ranking.length} changes.</p>`;
}

function list(title: string, items: readonly string[]): string {
  return items.length === 0 ? '' : `<h4>${title}</h4><ul>${items.map(i => `<li>${i}</li>`).join('')}</ul>`;
}

function findingLine(f: ReportFinding): string {
  const ignored = f.ignored === undefined ? '' : ` <span class="muted">(ignored: ${esc(f.ignored)})</span>`;
  return `<span class="badge lv-${esc(f.severity)}">${esc(f.severity)}</span> <code>${esc(f.rule)}</code> line ${f.line}: ${esc(f.message)}${ignored}${excerpt(f)}`;
}

/** The changed code around a finding, line numbers beside it and the hit line marked. */
function excerpt(f: ReportFinding): string {
  const ex = f.excerpt;
  if (!ex) return '';
  const rows = ex.lines.map((text, i) => {
    const n = ex.start + i;
    return `<span class="${n === f.line ? 'hit' : 'ctx'}"><span class="ln">${n}</span> ${esc(text)}</span>`;
  });
  return `<pre class="excerpt" aria-label="code around line ${f.line}">${rows.join('\n')}</pre>`;
}

export function dependencyLine(d: ReportDependency): string {
  const scope = d.direct ? 'direct' : 'transitive';
  return `<code>${esc(d.name)}</code> in <code>${esc(d.lockfile)}</code>: ${versionJump(d)} <span class="badge ch-${esc(d.change)}">${esc(d.change)}</span> ${scope}${d.dev ? ', dev' : ''}`
    + (d.signals.length ? `<ul class="signals">${d.signals.map(s => `<li><code>${esc(s.id)}</code>: ${esc(s.detail)}</li>`).join('')}</ul>` : '');
}

export function versionJump(d: ReportDependency): string {
  return `<span class="jump"><span class="v-from">${esc(d.from ?? '—')}</span> → <span class="v-to">${esc(d.to ?? '—')}</span></span>`;
}

interface Lookup {
  subjects: Map<string, string>;
  findings: Map<string, ReportFinding[]>;
  dependencies: Map<string, ReportDependency[]>;
}

const depKey = (d: { ecosystem: string; name: string; lockfile: string }): string => `${d.ecosystem}\u0000${d.lockfile}\u0000${d.name}`;

function group<T>(values: readonly T[], key: (value: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const value of values) {
    const k = key(value);
    const list = out.get(k);
    if (list) list.push(value);
    else out.set(k, [value]);
  }
  return out;
}

function details(item: ReportRankingItem, lookup: Lookup): string {
  const findings = item.file === undefined ? [] : lookup.findings.get(item.file) ?? [];
  const deps = item.dependency === undefined ? [] : lookup.dependencies.get(depKey(item.dependency)) ?? [];
  const subjects = lookup.subjects;
  const ack = item.acknowledged === undefined ? [] : [
    `${esc(item.acknowledged.reason)}${item.acknowledged.until === undefined ? '' : ` (until ${esc(item.acknowledged.until)})`}`];
  return list('Reasons', item.reasons.map(r => esc(r)))
    + list('Findings', findings.map(findingLine))
    + list('Dependency', deps.map(dependencyLine))
    + list('Acknowledged', ack)
    + list('Commits', item.commits.map(sha => `<code>${esc(shortSha(sha))}</code> ${esc(subjects.get(sha) ?? '')}`))
    + `<p class="sub">Id (for <code>reldiff ack</code>): <code>${esc(item.id)}</code></p>`;
}

function row(item: ReportRankingItem, i: number, lookup: Lookup): string {
  const where = item.file ?? (item.dependency ? `${item.dependency.name} (${item.dependency.lockfile})` : '');
  const sub = where && where !== item.title ? `<div class="muted sub">${esc(where)}</div>` : '';
  const ack = item.acknowledged ? ' <span class="chip">acknowledged</span>' : '';
  return `<tbody class="item" data-i="${i}">
<tr><td>${item.rank}</td><td><span class="badge lv-${esc(item.level)}">${esc(item.level)}</span></td><td>${num(item.score)}</td><td>${esc(item.kind)}</td>`
    + `<td><button type="button" class="expand" aria-expanded="false" aria-controls="rd-${i}">${esc(item.title)}</button>${ack}${sub}</td>`
    + `<td>${esc(item.dependency?.ecosystem ?? '')}</td><td>${item.commits.length}</td></tr>
<tr class="detail" id="rd-${i}" hidden><td colspan="${COLUMNS.length}">${details(item, lookup)}</td></tr>
</tbody>`;
}

export function renderRanking(report: Report): string {
  const lookup: Lookup = {
    subjects: commitSubjects(report),
    findings: group(report.findings, f => f.file),
    dependencies: group(report.dependencies, depKey),
  };
  const head = COLUMNS.map(c => `<th scope="col" data-key="${c.key}"${c.key === 'rank' ? ' aria-sort="ascending"' : ''}><button type="button">${c.label}</button></th>`).join('');
  const body = report.ranking.length === 0
    ? `<tbody><tr><td colspan="${COLUMNS.length}">No changes.</td></tr></tbody>`
    : report.ranking.map((item, i) => row(item, i, lookup)).join('\n');
  return `<section id="ranking" aria-labelledby="ranking-h">
<h2 id="ranking-h">Ranking</h2>
${filters(report)}
<div class="scroll"><table class="rank-table" id="rank-table">
<caption>Every change between the two refs, likeliest memory-leak cause first. Select a change to see its reasons; select a column header to sort.</caption>
<thead><tr>${head}</tr></thead>
${body}
</table></div>
</section>`;
}
