import type { Level } from '../types.js';
import type { Report, ReportRankingItem } from './model.js';
import { cleanLine } from '../util/control-chars.js';
import { mdCode, mdText } from './markdown-escape.js';
import { shortSha, subjectOf, summaryLine, versionsText } from './text.js';
import type { RenderOptions, Reporter } from './types.js';

// GitHub-flavoured Markdown for a pull-request comment or a release checklist. Every repository value goes through
// mdText or mdCode; only reldiff's own words are written raw.

const BADGE: Record<Level, string> = { critical: '🟣 critical', high: '🔴 high', medium: '🟠 medium', low: '⚪ low' };

export const markdownReporter: Reporter = {
  format: 'markdown',
  render(report, opts) {
    const out: string[] = [];
    out.push(`## reldiff: ${mdCode(report.from.ref)} → ${mdCode(report.to.ref)}`, '');
    out.push(`**${summaryLine(report)}**`, '');
    out.push(...rankingSection(report, opts));
    out.push(...dependencySection(report));
    out.push(...bisectSection(report));
    if (report.warnings.length > 0) {
      out.push('### Warnings', '');
      for (const w of report.warnings) out.push(`- ${mdText(w, true)}`);
      out.push('');
    }
    out.push(`<sub>reldiff ${mdText(report.tool.version)} · ${mdCode(shortSha(report.from.commit))}..${mdCode(shortSha(report.to.commit))}</sub>`);
    return `${out.join('\n')}\n`;
  },
};

function rankingSection(report: Report, opts: RenderOptions): string[] {
  if (report.ranking.length === 0) return ['No changes.', ''];
  const out = ['### Likeliest leak causes', ''];
  const top = report.ranking.slice(0, opts.top);
  out.push(...rankingTable(top, report));
  const rest = report.ranking.slice(opts.top);
  if (rest.length > 0) {
    out.push('', `<details><summary>${rest.length} more change${rest.length === 1 ? '' : 's'}, lower risk</summary>`, '');
    out.push(...rankingTable(rest, report));
    out.push('', '</details>');
  }
  out.push('');
  return out;
}

export function rankingTable(items: readonly ReportRankingItem[], report: Report): string[] {
  const rows = ['| # | Level | Score | Change | Why | Commits |', '|---:|---|---:|---|---|---|'];
  for (const item of items) rows.push(rankingRow(item, report));
  return rows;
}

export function rankingRow(item: ReportRankingItem, report: Report): string {
  const what = item.kind === 'source' ? mdCode(item.title) : `${mdCode(item.dependency?.name ?? item.title)} ${mdText(item.title.slice((item.dependency?.name ?? '').length).trim())}`;
  const ack = `<br><sub>${mdCode(item.id)}</sub>${item.acknowledged ? `<br>✅ acknowledged: ${mdText(item.acknowledged.reason)}` : ''}`;
  const why = item.reasons.map(r => mdText(r)).join('<br>');
  const commits = item.commits.slice(0, 3).map(sha => `${mdCode(shortSha(sha))} ${mdText(subjectOf(report, sha))}`).join('<br>');
  const more = item.commits.length > 3 ? `<br>+${item.commits.length - 3} more` : '';
  return `| ${item.rank} | ${BADGE[item.level]} | ${item.score.toFixed(2)} | ${what}${ack} | ${why} | ${commits}${more} |`;
}

function dependencySection(report: Report): string[] {
  if (report.dependencies.length === 0) return [];
  const rows = ['| Lockfile | Package | From | To | Change | Signals |', '|---|---|---|---|---|---|'];
  for (const d of report.dependencies) {
    const kind = [d.direct ? 'direct' : 'transitive', ...(d.dev ? ['dev'] : [])].join(', ');
    const signals = d.signals.map(s => mdCode(s.id)).join(' ');
    const v = versionsText(d);
    rows.push(`| ${mdCode(d.lockfile)} | ${mdCode(d.name)} | ${v.from ? mdCode(v.from) : '—'} | ${v.to ? mdCode(v.to) : '—'} | ${d.change} (${kind}) | ${signals} |`);
  }
  const folded = report.dependencies.length > 15;
  const head = `### Dependency changes (${report.dependencies.length})`;
  return folded
    ? [head, '', '<details><summary>Show all dependency changes</summary>', '', ...rows, '', '</details>', '']
    : [head, '', ...rows, ''];
}

function bisectSection(report: Report): string[] {
  if (report.bisect.commands.length === 0) return [];
  const out = ['### Test these commits first', ''];
  report.bisect.testFirst.forEach((sha, i) => {
    const risk = report.commits.find(c => c.sha === sha)?.risk ?? 0;
    out.push(`${i + 1}. ${mdCode(shortSha(sha))} ${mdText(subjectOf(report, sha))} (risk ${risk.toFixed(2)})`);
  });
  if (report.bisect.testFirst.length === 0) out.push('No commit stands out: a plain bisect is as good as any order.');
  out.push('', '<details><summary>Bisect commands</summary>', '', '```sh', ...report.bisect.commands.map(cleanLine), '```', '', '</details>', '');
  return out;
}
