import type { Report, ReportDependency } from './model.js';
import { addTo } from '../util/arrays.js';
import { changeLabel, count } from './text.js';

// What the terminal and Markdown reports list when a release moved more pins than fit where they go: the dependency
// changes ranked highest, and a sum of the rest by lockfile and kind.

const keyOf = (ecosystem: string, lockfile: string, name: string): string => `${ecosystem}\0${lockfile}\0${name}`;

/** Every dependency change, the one whose ranking item ranks highest first; the report's own order breaks ties. */
export function byRank(report: Report): ReportDependency[] {
  const rankOf = new Map<string, number>();
  for (const item of report.ranking) {
    if (item.dependency === undefined) continue;
    const key = keyOf(item.dependency.ecosystem, item.dependency.lockfile, item.dependency.name);
    if (!rankOf.has(key)) rankOf.set(key, item.rank);
  }
  return report.dependencies.map((d, index) => ({ d, index, rank: rankOf.get(keyOf(d.ecosystem, d.lockfile, d.name)) ?? Infinity }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index).map(entry => entry.d);
}

/** The first `limit` of `ranked` (from byRank), in the report's own order (grouped by lockfile). */
export function highestRanked(report: Report, limit: number, ranked: readonly ReportDependency[] = byRank(report)): ReportDependency[] {
  const chosen = new Set(ranked.slice(0, limit));
  return report.dependencies.filter(d => chosen.has(d));
}

export function byLockfile(dependencies: readonly ReportDependency[]): Map<string, ReportDependency[]> {
  const groups = new Map<string, ReportDependency[]>();
  for (const d of dependencies) addTo(groups, d.lockfile, d);
  return groups;
}

/** "1,900 patch, 700 minor, 12 major": how a list of changes splits by kind, largest first, names as tie-break. */
export function changeMix(dependencies: readonly ReportDependency[]): string {
  const byKind = new Map<string, number>();
  for (const d of dependencies) {
    const kind = changeLabel(d);
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  }
  return [...byKind].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([kind, n]) => `${count(n)} ${kind}`).join(', ');
}
