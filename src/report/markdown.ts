import type { Level } from '../types.js';
import type { Report, ReportRankingItem } from './model.js';
import { cleanLine } from '../util/control-chars.js';
import { mdCode, mdText } from './markdown-escape.js';
import { byLockfile, byRank, changeMix, highestRanked } from './dependency-summary.js';
import { changeLabel, count, scoreText, shortSha, subjectOf, summaryLine, versionsText } from './text.js';
import type { RenderOptions, Reporter } from './types.js';
import { pushAll } from '../util/arrays.js';

// GitHub-flavoured Markdown for a pull-request comment or a release checklist. Every repository value goes through
// mdText or mdCode; only reldiff's own words are written raw.

const BADGE: Record<Level, string> = { critical: '🟣 critical', high: '🔴 high', medium: '🟠 medium', low: '⚪ low' };

/**
 * GitHub refuses a comment or an issue body over 65,536 characters, and `reldiff --format markdown > comment.md` is
 * what the README offers for one; without --all the Markdown report stays within it.
 */
export const GITHUB_COMMENT_LIMIT = 65_536;
const MAX_WARNINGS = 20;
/** Room kept for the lines that say what was left out. */
const NOTE_RESERVE = 1_000;

export const markdownReporter: Reporter = {
  format: 'markdown',
  render(report, opts) {
    const head = [`## reldiff: ${mdCode(report.from.ref)} → ${mdCode(report.to.ref)}`, '', `**${summaryLine(report)}**`, ''];
    const foot = [...bisectSection(report), ...warningSection(report, opts),
      `<sub>reldiff ${mdText(report.tool.version)} · ${mdCode(shortSha(report.from.commit))}..${mdCode(shortSha(report.to.commit))}</sub>`];
    const top = report.ranking.slice(0, opts.top);
    const topRows = rankingTable(top, report);
    const fixed = size(head) + size(topRows) + size(foot) + NOTE_RESERVE;
    // What is left is shared: the folded rest of the ranking first, then the dependency rows.
    let budget = opts.all ? Infinity : Math.max(0, GITHUB_COMMENT_LIMIT - fixed);
    const restRanking = report.ranking.slice(opts.top);
    const restRows = takeWithin(restRanking.map(item => rankingRow(item, report)), opts.all ? Infinity : budget / 2);
    budget -= size(restRows);
    const out = [...head, ...rankingSection(report, topRows, restRanking.length, restRows), ...dependencySection(report, opts, budget), ...foot];
    return `${out.join('\n')}\n`;
  },
};

/** Characters a list of lines takes once joined. */
const size = (lines: readonly string[]): number => lines.reduce((n, line) => n + line.length + 1, 0);

/** The longest prefix of `lines` that fits in `budget` characters. */
function takeWithin(lines: readonly string[], budget: number): string[] {
  const out: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > budget) break;
    out.push(line);
    used += line.length + 1;
  }
  return out;
}

const LEFT_OUT = 'the JSON or HTML report (`--format json`, `--format html`) holds every one, or pass `--all`';

function rankingSection(report: Report, topRows: readonly string[], restCount: number, restRows: readonly string[]): string[] {
  if (report.ranking.length === 0) return ['No changes.', ''];
  const out = ['### Likeliest leak causes', '', ...topRows];
  if (restCount > 0) {
    const header = rankingTable([], report);
    out.push('', `<details><summary>${count(restCount)} more change${restCount === 1 ? '' : 's'}, lower risk</summary>`, '');
    if (restRows.length > 0) pushAll(pushAll(out, header), restRows);
    const omitted = restCount - restRows.length;
    if (omitted > 0) out.push('', `${count(omitted)} lower-ranked change${omitted === 1 ? ' is' : 's are'} not listed, to keep this within GitHub's 65,536-character limit: ${LEFT_OUT}.`);
    out.push('', '</details>');
  }
  out.push('');
  return out;
}

function warningSection(report: Report, opts: RenderOptions): string[] {
  if (report.warnings.length === 0) return [];
  const shown = opts.all ? report.warnings : report.warnings.slice(0, MAX_WARNINGS);
  const out = ['### Warnings', '', ...shown.map(w => `- ${mdText(w, true)}`)];
  const rest = report.warnings.length - shown.length;
  if (rest > 0) out.push(`- and ${count(rest)} more warning${rest === 1 ? '' : 's'}: ${LEFT_OUT}`);
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
  return `| ${item.rank} | ${BADGE[item.level]} | ${scoreText(item.score)} | ${what}${ack} | ${why} | ${commits}${more} |`;
}

/** Every dependency change in a table; when they do not all fit the budget, the ones ranked highest and a sum by lockfile. */
function dependencySection(report: Report, opts: RenderOptions, budget: number): string[] {
  const all = report.dependencies;
  if (all.length === 0) return [];
  const header = ['| Lockfile | Package | From | To | Change | Signals |', '|---|---|---|---|---|---|'];
  const row = (d: Report['dependencies'][number]): string => {
    const kind = [d.direct ? 'direct' : 'transitive', ...(d.dev ? ['dev'] : [])].join(', ');
    const signals = d.signals.map(s => mdCode(s.id)).join(' ');
    const v = versionsText(d);
    return `| ${mdCode(d.lockfile)} | ${mdCode(d.name)} | ${v.from ? mdCode(v.from) : '—'} | ${v.to ? mdCode(v.to) : '—'} | ${changeLabel(d)} (${kind}) | ${signals} |`;
  };
  const rowOf = new Map(all.map(d => [d, row(d)]));
  let rows = [...rowOf.values()];
  let summary: string[] = [];
  if (!opts.all && size(rows) > budget) {
    const sums = [...byLockfile(all)].map(([file, group]) => `- ${mdCode(file)}: ${count(group.length)} change${group.length === 1 ? '' : 's'}: ${changeMix(group)}`);
    // Choose by rank, show in the report's lockfile order: the same rows, so the same size.
    const ranked = byRank(report);
    const fit = takeWithin(ranked.map(d => rowOf.get(d) ?? ''), budget - size(sums) - 300).length;
    rows = highestRanked(report, fit, ranked).map(d => rowOf.get(d) ?? '');
    summary = ['', `${count(all.length - rows.length)} more are not listed, to keep this within GitHub's 65,536-character limit: ${LEFT_OUT}. In all, by lockfile:`, '', ...sums];
  }
  const folded = all.length > 15;
  const head = `### Dependency changes (${count(all.length)}${rows.length < all.length ? `; the ${count(rows.length)} ranked highest listed` : ''})`;
  const table = rows.length > 0 ? [...header, ...rows] : [];
  return folded
    ? [head, '', '<details><summary>Show the dependency changes</summary>', '', ...table, ...summary, '', '</details>', '']
    : [head, '', ...table, ...summary, ''];
}

function bisectSection(report: Report): string[] {
  if (report.bisect.commands.length === 0) return [];
  const out = ['### Test these commits first', ''];
  report.bisect.testFirst.forEach((sha, i) => {
    const risk = report.commits.find(c => c.sha === sha)?.risk ?? 0;
    out.push(`${i + 1}. ${mdCode(shortSha(sha))} ${mdText(subjectOf(report, sha))} (risk ${scoreText(risk)})`);
  });
  if (report.bisect.testFirst.length === 0) out.push('No commit stands out: a plain bisect is as good as any order.');
  out.push('', '<details><summary>Bisect commands</summary>', '', '```sh', ...report.bisect.commands.map(cleanLine), '```', '', '</details>', '');
  return out;
}
