import type { Level } from '../types.js';
import type { Report, ReportRankingItem } from './model.js';
import { capValue, cleanLine } from '../util/control-chars.js';
import { sparkline } from './sparkline.js';
import { byLockfile, changeMix, highestRanked } from './dependency-summary.js';
import { changeLabel, count, scoreText, shortSha, subjectOf, summaryLine, versionsText } from './text.js';
import type { RenderOptions, Reporter } from './types.js';
import { pushAll } from '../util/arrays.js';

// The terminal report. Values from the repository pass through `clean` so that no escape sequence in a commit
// subject or file name can move the cursor or recolour the user's terminal.

const CODES = { red: 31, yellow: 33, magenta: 35, dim: 2, bold: 1, cyan: 36, green: 32 } as const;
type Style = keyof typeof CODES;

function painter(color: boolean) {
  return (style: Style, text: string): string => (color ? `\x1b[${CODES[style]}m${text}\x1b[0m` : text);
}

/** One repository value on one terminal line: the shared cleaner, so every format escapes alike, cut as Markdown cuts it. */
export const clean = (text: string): string => capValue(cleanLine(text));

/** By default (without --all): dependency rows listed one by one, and warnings shown. The rest are summed up. */
export const MAX_DEPENDENCY_ROWS = 30;
const MAX_WARNINGS = 20;

const LEVEL_STYLE: Record<Level, Style> = { critical: 'magenta', high: 'red', medium: 'yellow', low: 'dim' };

export const terminalReporter: Reporter = {
  format: 'terminal',
  render(report, opts) {
    const paint = painter(opts.color);
    const out: string[] = [];
    out.push(paint('bold', `reldiff ${clean(report.from.ref)} (${shortSha(report.from.commit)}) -> ${clean(report.to.ref)} (${shortSha(report.to.commit)})`));
    out.push(summaryLine(report));
    if (report.commits.length > 1) out.push(`risk by commit, oldest first: ${sparkline(report.commits.map(c => c.risk), Math.min(60, (opts.width ?? 80) - 32))}`);
    out.push('');
    // Appended one by one: with --all these lists are as long as the release (200,000 rows overflow a spread).
    pushAll(out, topRisks(report, opts, paint));
    pushAll(out, dependencyTable(report, opts, paint));
    pushAll(out, testFirst(report, paint));
    if (report.warnings.length > 0) {
      out.push(paint('bold', 'Warnings'));
      const shown = opts.all ? report.warnings : report.warnings.slice(0, MAX_WARNINGS);
      for (const w of shown) out.push(`  ${paint('yellow', '!')} ${clean(w)}`);
      const rest = report.warnings.length - shown.length;
      if (rest > 0) out.push(paint('dim', `  ... ${count(rest)} more warning${rest === 1 ? '' : 's'} (all of them: --all, or --format json)`));
      out.push('');
    }
    return `${out.join('\n').trimEnd()}\n`;
  },
};

function topRisks(report: Report, opts: RenderOptions, paint: ReturnType<typeof painter>): string[] {
  if (report.ranking.length === 0) return ['No changes.', ''];
  const out = [paint('bold', 'Likeliest leak causes')];
  const shown = report.ranking.slice(0, opts.top);
  for (const item of shown) pushAll(out, rankingItem(item, report, paint));
  const rest = report.ranking.length - shown.length;
  if (rest > 0) out.push(paint('dim', `  ... ${count(rest)} more (all of them: --top ${report.ranking.length} or --all, or --format json)`));
  out.push('');
  return out;
}

function rankingItem(item: ReportRankingItem, report: Report, paint: ReturnType<typeof painter>): string[] {
  const level = paint(LEVEL_STYLE[item.level], item.level.toUpperCase().padEnd(8));
  const ack = item.acknowledged ? paint('green', ` [acknowledged: ${clean(item.acknowledged.reason)}]`) : '';
  const lines = [`${String(item.rank).padStart(4)}  ${level} ${scoreText(item.score)}  ${clean(item.title)}${ack}`];
  for (const reason of item.reasons) lines.push(`${' '.repeat(20)}- ${clean(reason)}`);
  const commits = item.commits.slice(0, 3).map(sha => `${shortSha(sha)} ${clean(subjectOf(report, sha))}`);
  if (commits.length > 0) {
    const more = item.commits.length > 3 ? ` (+${item.commits.length - 3} more)` : '';
    lines.push(paint('dim', `${' '.repeat(20)}commits: ${commits.join('; ')}${more}`));
  }
  lines.push(paint('dim', `${' '.repeat(20)}id: ${clean(item.id)}`));
  return lines;
}

/**
 * Every dependency change, grouped by lockfile; past MAX_DEPENDENCY_ROWS (without --all) only the ones ranked
 * highest are listed, and each lockfile's changes are summed up by kind.
 */
function dependencyTable(report: Report, opts: RenderOptions, paint: ReturnType<typeof painter>): string[] {
  const all = report.dependencies;
  if (all.length === 0) return [];
  const isCut = !opts.all && all.length > MAX_DEPENDENCY_ROWS;
  const listed = isCut ? highestRanked(report, MAX_DEPENDENCY_ROWS) : all;
  const title = isCut ? `Dependency changes (${count(all.length)}; the ${listed.length} ranked highest)` : 'Dependency changes';
  const out = [paint('bold', title)];
  let lockfile = '';
  let ecosystem = '';
  let width = 0;
  for (const d of listed) width = Math.max(width, Math.min(40, d.name.length));
  for (const d of listed) {
    // An image archive holds several ecosystems in one file: one heading each.
    if (d.lockfile !== lockfile || d.ecosystem !== ecosystem) {
      lockfile = d.lockfile;
      ecosystem = d.ecosystem;
      out.push(`  ${clean(lockfile)} (${d.ecosystem})`);
    }
    const v = versionsText(d);
    const jump = `${v.from || '-'} -> ${v.to || '-'}`;
    const flags = [d.direct ? 'direct' : 'transitive', ...(d.dev ? ['dev'] : []), ...d.signals.map(s => s.id)].join(', ');
    out.push(`    ${clean(d.name).padEnd(width)}  ${clean(jump).padEnd(24)} ${changeLabel(d).padEnd(10)} ${paint('dim', clean(flags))}`);
  }
  if (isCut) {
    out.push(paint('dim', `  In all, by lockfile (every row: --all, or --format json / html):`));
    for (const [file, group] of byLockfile(all)) {
      out.push(paint('dim', `    ${clean(file)} (${[...new Set(group.map(d => d.ecosystem))].join(', ')}): ${count(group.length)} change${group.length === 1 ? '' : 's'}: ${changeMix(group)}`));
    }
  }
  out.push('');
  return out;
}

function testFirst(report: Report, paint: ReturnType<typeof painter>): string[] {
  if (report.bisect.commands.length === 0) return [];
  const out = [paint('bold', 'Test these commits first')];
  report.bisect.testFirst.forEach((sha, i) => {
    const risk = report.commits.find(c => c.sha === sha)?.risk ?? 0;
    out.push(`  ${i + 1}. ${shortSha(sha)}  risk ${scoreText(risk)}  ${clean(subjectOf(report, sha))}`);
  });
  if (report.bisect.testFirst.length === 0) out.push('  (no commit stands out: plain bisect is as good as any order)');
  out.push(paint('dim', '  Bisect:'));
  for (const c of report.bisect.commands) out.push(paint('cyan', `    ${clean(c)}`));
  out.push('');
  return out;
}

