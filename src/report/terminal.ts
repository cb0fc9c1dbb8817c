import type { Level } from '../types.js';
import type { Report, ReportRankingItem } from './model.js';
import { cleanLine } from '../util/control-chars.js';
import { sparkline } from './sparkline.js';
import { shortSha, subjectOf, summaryLine, versionsText } from './text.js';
import type { RenderOptions, Reporter } from './types.js';

// The terminal report. Values from the repository pass through `clean` so that no escape sequence in a commit
// subject or file name can move the cursor or recolour the user's terminal.

const CODES = { red: 31, yellow: 33, magenta: 35, dim: 2, bold: 1, cyan: 36, green: 32 } as const;
type Style = keyof typeof CODES;

function painter(color: boolean) {
  return (style: Style, text: string): string => (color ? `\x1b[${CODES[style]}m${text}\x1b[0m` : text);
}

/** One repository value on one terminal line: the shared cleaner, so every format escapes alike. */
export const clean = cleanLine;

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
    out.push(...topRisks(report, opts, paint));
    out.push(...dependencyTable(report, paint));
    out.push(...testFirst(report, paint));
    if (report.warnings.length > 0) {
      out.push(paint('bold', 'Warnings'));
      for (const w of report.warnings) out.push(`  ${paint('yellow', '!')} ${clean(w)}`);
      out.push('');
    }
    return `${out.join('\n').trimEnd()}\n`;
  },
};

function topRisks(report: Report, opts: RenderOptions, paint: ReturnType<typeof painter>): string[] {
  if (report.ranking.length === 0) return ['No changes.', ''];
  const out = [paint('bold', 'Likeliest leak causes')];
  const shown = report.ranking.slice(0, opts.top);
  for (const item of shown) out.push(...rankingItem(item, report, paint));
  const rest = report.ranking.length - shown.length;
  if (rest > 0) out.push(paint('dim', `  ... ${rest} more (all of them: --top ${report.ranking.length}, or --format json)`));
  out.push('');
  return out;
}

function rankingItem(item: ReportRankingItem, report: Report, paint: ReturnType<typeof painter>): string[] {
  const level = paint(LEVEL_STYLE[item.level], item.level.toUpperCase().padEnd(8));
  const ack = item.acknowledged ? paint('green', ` [acknowledged: ${clean(item.acknowledged.reason)}]`) : '';
  const lines = [`${String(item.rank).padStart(4)}  ${level} ${item.score.toFixed(2)}  ${clean(item.title)}${ack}`];
  for (const reason of item.reasons) lines.push(`${' '.repeat(20)}- ${clean(reason)}`);
  const commits = item.commits.slice(0, 3).map(sha => `${shortSha(sha)} ${clean(subjectOf(report, sha))}`);
  if (commits.length > 0) {
    const more = item.commits.length > 3 ? ` (+${item.commits.length - 3} more)` : '';
    lines.push(paint('dim', `${' '.repeat(20)}commits: ${commits.join('; ')}${more}`));
  }
  lines.push(paint('dim', `${' '.repeat(20)}id: ${clean(item.id)}`));
  return lines;
}

function dependencyTable(report: Report, paint: ReturnType<typeof painter>): string[] {
  if (report.dependencies.length === 0) return [];
  const out = [paint('bold', 'Dependency changes')];
  let lockfile = '';
  const width = Math.min(40, Math.max(...report.dependencies.map(d => d.name.length)));
  for (const d of report.dependencies) {
    if (d.lockfile !== lockfile) {
      lockfile = d.lockfile;
      out.push(`  ${clean(lockfile)} (${d.ecosystem})`);
    }
    const v = versionsText(d);
    const jump = `${v.from || '-'} -> ${v.to || '-'}`;
    const flags = [d.direct ? 'direct' : 'transitive', ...(d.dev ? ['dev'] : []), ...d.signals.map(s => s.id)].join(', ');
    out.push(`    ${clean(d.name).padEnd(width)}  ${clean(jump).padEnd(24)} ${d.change.padEnd(10)} ${paint('dim', clean(flags))}`);
  }
  out.push('');
  return out;
}

function testFirst(report: Report, paint: ReturnType<typeof painter>): string[] {
  if (report.bisect.commands.length === 0) return [];
  const out = [paint('bold', 'Test these commits first')];
  report.bisect.testFirst.forEach((sha, i) => {
    const risk = report.commits.find(c => c.sha === sha)?.risk ?? 0;
    out.push(`  ${i + 1}. ${shortSha(sha)}  risk ${risk.toFixed(2)}  ${clean(subjectOf(report, sha))}`);
  });
  if (report.bisect.testFirst.length === 0) out.push('  (no commit stands out: plain bisect is as good as any order)');
  out.push(paint('dim', '  Bisect:'));
  for (const c of report.bisect.commands) out.push(paint('cyan', `    ${clean(c)}`));
  out.push('');
  return out;
}

