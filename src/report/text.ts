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
  const depsText = `${deps} dependency change${deps === 1 ? '' : 's'}`;
  // `reldiff deps` compares two files: no commits or source files to count.
  const head = report.commits.length === 0 && files === 0 ? depsText
    : `${report.commits.length} commit${report.commits.length === 1 ? '' : 's'}, ${files} changed file${files === 1 ? '' : 's'}, ${depsText}`;
  const levels = `${c.critical} critical, ${c.high} high, ${c.medium} medium, ${c.low} low`;
  return top ? `${head}; ${report.ranking.length} ranked: ${levels}.` : `${head}: nothing to rank.`;
}

/** A dependency's versions on each side: every installed copy when there is more than one. */
export function versionsText(d: ReportDependency): { from: string; to: string } {
  const side = (list: readonly string[], top: string | null): string => (list.length > 1 ? list.join(', ') : top ?? '');
  return { from: side(d.fromVersions, d.from), to: side(d.toVersions, d.to) };
}

export function subjectOf(report: Report, sha: string): string {
  return report.commits.find(c => c.sha === sha)?.subject ?? '';
}
