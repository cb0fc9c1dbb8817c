import type { Level } from '../types.js';
import type { Report, ReportRankingItem } from '../report/model.js';
import { mdCode } from '../report/markdown-escape.js';
import { GITHUB_COMMENT_LIMIT } from '../report/markdown.js';
import { summaryLine } from '../report/text.js';
import { STICKY_MARKER } from './comment.js';

// The comment body always fits GitHub's limit: the summary stays, the ranking is cut by rank (the renderer folds
// what it does not show in full into <details>), and the body says how many items were left out and where they are.

/** GitHub's limit is 65,536 characters; JS length counts UTF-16 units, which is never fewer. */
export const GITHUB_BODY_LIMIT = GITHUB_COMMENT_LIMIT;
const MAX_WARNINGS = 20;

export interface BodyOptions {
  /** The Markdown reporter, with `top` items in full and the rest folded. */
  render: (report: Report, top: number) => string;
  top: number;
  /** Items at this level or above (and not acknowledged) are "risky". */
  riskLevel: Level;
  /** Unacknowledged risky items; when zero, the body says so at the top. */
  riskyCount: number;
  artifactName: string;
  /** The workflow run that holds the artifact, when running in GitHub Actions. */
  runUrl?: string;
  limit?: number;
}

export interface CommentBody { body: string; shown: number; omitted: number }

/** Pure: the largest prefix of the ranking whose rendering fits, found by binary search. */
export function buildCommentBody(report: Report, options: BodyOptions): CommentBody {
  const limit = options.limit ?? GITHUB_BODY_LIMIT;
  const total = report.ranking.length;
  const full = compose(report, total, options);
  if (full.length <= limit) return { body: full, shown: total, omitted: 0 };
  let low = 0;
  let high = total - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (compose(report, mid, options).length <= limit) low = mid;
    else high = mid - 1;
  }
  const body = compose(report, low, options);
  if (body.length <= limit) return { body, shown: low, omitted: total - low };
  return { body: hardCut(body, limit, report, options), shown: 0, omitted: total };
}

function compose(report: Report, shown: number, options: BodyOptions): string {
  const sliced = shown < report.ranking.length ? sliceReport(report, shown) : capWarnings(report);
  let text = options.render(sliced, Math.min(options.top, Math.max(shown, 1)));
  if (sliced !== report) text = text.replace(summaryLine(sliced), summaryLine(report));
  const parts = [STICKY_MARKER];
  if (options.riskyCount === 0) {
    parts.push(`✅ **No risky changes.** Nothing unacknowledged ranks ${options.riskLevel} or above `
      + `(${report.ranking.length} change${report.ranking.length === 1 ? '' : 's'} checked).`, '');
  }
  parts.push(text.trimEnd());
  const omitted = report.ranking.length - shown;
  if (omitted > 0) parts.push('', omissionNote(omitted, report, options));
  else if (options.runUrl) parts.push('', `<sub>Full JSON report: the ${mdCode(options.artifactName)} artifact of [this workflow run](${options.runUrl}).</sub>`);
  return `${parts.join('\n')}\n`;
}

function omissionNote(omitted: number, report: Report, options: BodyOptions): string {
  const where = options.runUrl ? `[this workflow run](${options.runUrl})` : 'this workflow run';
  const range = `${report.from.commit.slice(0, 12)} ${report.to.commit.slice(0, 12)}`;
  return `> **${omitted} lower-ranked change${omitted === 1 ? ' is' : 's are'} not shown** to keep this comment within GitHub's size limit. `
    + `The full report is the ${mdCode(options.artifactName)} artifact of ${where}, or run \`reldiff ${range} --format json\`.`;
}

/** The top `shown` items, with only the dependency rows and findings that belong to them. */
function sliceReport(report: Report, shown: number): Report {
  const ranking = report.ranking.slice(0, shown);
  const files = new Set(ranking.filter(r => r.kind === 'source').map(r => r.file));
  const deps = new Set(ranking.filter(r => r.kind === 'dependency').map(dependencyKey));
  return capWarnings({
    ...report,
    ranking,
    findings: report.findings.filter(f => files.has(f.file)),
    dependencies: report.dependencies.filter(d => deps.has(`${d.ecosystem}\0${d.lockfile}\0${d.name}`)),
  });
}

function capWarnings(report: Report): Report {
  if (report.warnings.length <= MAX_WARNINGS) return report;
  const rest = report.warnings.length - MAX_WARNINGS;
  return { ...report, warnings: [...report.warnings.slice(0, MAX_WARNINGS), `${rest} more warnings are in the JSON report`] };
}

function dependencyKey(item: ReportRankingItem): string {
  const d = item.dependency;
  return d ? `${d.ecosystem}\0${d.lockfile}\0${d.name}` : '';
}

/** Last resort when even the summary alone is too long: cut at a line, close what is open, say so. */
function hardCut(body: string, limit: number, report: Report, options: BodyOptions): string {
  const note = `\n\n> **This comment was cut to fit GitHub's size limit.** ${omissionNote(report.ranking.length, report, options).slice(2)}\n`;
  let text = body.slice(0, Math.max(0, limit - note.length - 64));
  text = text.slice(0, Math.max(text.lastIndexOf('\n'), STICKY_MARKER.length));
  const fences = text.split('\n').filter(line => line.startsWith('```')).length;
  if (fences % 2 === 1) text += '\n```';
  const open = (text.match(/<details>/g) ?? []).length - (text.match(/<\/details>/g) ?? []).length;
  for (let i = 0; i < open; i++) text += '\n\n</details>';
  return `${text}${note}`;
}
