import type { Report, ReportDependency } from './model.js';

// Small helpers that every text format shares.

export function shortSha(sha: string): string {
  return sha.slice(0, 10);
}

export function counts(report: Report): Record<'low' | 'medium' | 'high' | 'critical', number> {
  const c = { low: 0, medium: 0, high: 0, critical: 0 };
  for (const item of report.ranking) c[item.level]++;
  return c;
}

export function summaryLine(report: Report): string {
  const c = counts(report);
  const deps = report.dependencies.length;
  const files = report.ranking.filter(r => r.kind === 'source').length;
  const top = report.ranking[0];
  const depsText = `${count(deps)} dependency change${deps === 1 ? '' : 's'}`;
  // `reldiff deps` compares two files: no commits or source files to count.
  const head = report.commits.length === 0 && files === 0 ? depsText
    : `${count(report.commits.length)} commit${report.commits.length === 1 ? '' : 's'}, ${count(files)} changed file${files === 1 ? '' : 's'}, ${depsText}`;
  const levels = `${count(c.critical)} critical, ${count(c.high)} high, ${count(c.medium)} medium, ${count(c.low)} low`;
  return top ? `${head}; ${count(report.ranking.length)} ranked: ${levels}.` : `${head}: nothing to rank.`;
}

/** A dependency's versions on each side: every installed copy when there is more than one. */
export function versionsText(d: ReportDependency): { from: string; to: string } {
  const side = (list: readonly string[], top: string | null): string => (list.length > 1 ? list.join(', ') : top ?? '');
  return { from: side(d.fromVersions, d.from), to: side(d.toVersions, d.to) };
}

/** Commit sha -> subject. Kept per report: every ranked row asks for up to three, and a release may hold thousands. */
const SUBJECTS = new WeakMap<Report, Map<string, string>>();

export function commitSubjects(report: Report): Map<string, string> {
  let subjects = SUBJECTS.get(report);
  if (!subjects) {
    subjects = new Map(report.commits.map(c => [c.sha, c.subject]));
    SUBJECTS.set(report, subjects);
  }
  return subjects;
}

export function subjectOf(report: Report, sha: string): string {
  return commitSubjects(report).get(sha) ?? '';
}

/**
 * A score as the reports print it: cut, not rounded, to two decimals. The levels start at 0.30, 0.60 and 0.85, so a
 * 0.297 printed "0.30" would sit as "low" under a "0.30 medium"; cut to "0.29" the number shows what decided the level.
 */
export function scoreText(score: number): string {
  return (Math.floor(score * 100 + 1e-9) / 100).toFixed(2);
}

/** The word a dependency table uses for a change: the same one its ranking title uses ("copies", not "other"). */
export function changeLabel(d: Pick<ReportDependency, 'change' | 'fromVersions' | 'toVersions'>): string {
  return d.change === 'other' && d.fromVersions.length > 0 && d.toVersions.length > 0 ? 'copies' : d.change;
}

/** "1 line", "3 lines": a count with its noun, for nouns that take an s. */
export const plural = (n: string | number | undefined, word: string): string => `${n ?? 0} ${word}${Number(n) === 1 ? '' : 's'}`;

/** "2,742": counts in summaries read at a glance. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

