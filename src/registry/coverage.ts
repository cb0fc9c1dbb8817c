import { isDevTool } from '../deps/dev-tools.js';
import type { ProjectContext } from '../deps/project-kind.js';
import { scoreDependency } from '../risk/score.js';
import type { Weights } from '../risk/weights.js';
import type { DependencyChange } from '../types.js';
import { byString } from './facts.js';

// Which upgrades to look inside: every one that can run in production, largest risk first, until `--deep` or the byte
// budget says stop. Pure and decided before any download, from sizes the registry states, so that the same inputs
// pick the same packages on every run whatever the network does.

export const DEFAULT_DEEP_BYTES = 256 * 1024 * 1024;

/** One package upgrade, however many lockfiles carry it: read once, its signals go to every change. */
export interface LookGroup { ecosystem: 'npm' | 'pypi'; name: string; from: string; to: string; changes: DependencyChange[]; points: number; bytes: number }

export interface LeftOut { devOnly: string[]; libraryPins: string[]; overBudget: string[]; pastLimit: string[] }

export interface CoveragePlan { groups: LookGroup[]; left: LeftOut }

export interface PlanInput {
  changes: readonly DependencyChange[];
  weights: Weights;
  projects?: ReadonlyMap<string, ProjectContext>;
  /** `--deep <n>`: at most n packages; undefined for no limit. */
  limit?: number;
  budgetBytes: number;
  /** Bytes both versions' archives take, as the registry states them (undefined: not known, counted as 0). */
  bytesOf: (change: DependencyChange) => number | undefined;
  isUpgrade: (change: DependencyChange) => boolean;
}

/** Why a change never runs in production, or undefined when it can. */
export function notShipped(change: DependencyChange, project: ProjectContext | undefined): keyof LeftOut | undefined {
  if (project?.kind === 'library') return 'libraryPins';
  if (isDevTool(change.name)) return 'devOnly';
  // A front-end app's bundler ships its devDependencies.
  if (change.dev && project?.kind !== 'frontend-app') return 'devOnly';
  return undefined;
}

export function planCoverage(input: PlanInput): CoveragePlan {
  const left: LeftOut = { devOnly: [], libraryPins: [], overBudget: [], pastLimit: [] };
  const byKey = new Map<string, LookGroup>();
  let order = 0;
  const orderOf = new Map<string, number>();
  for (const change of input.changes) {
    if ((change.ecosystem !== 'npm' && change.ecosystem !== 'pypi') || !change.from || !change.to || !input.isUpgrade(change)) continue;
    const project = input.projects?.get(change.lockfile);
    const why = notShipped(change, project);
    const key = `${change.ecosystem}\0${change.name}\0${change.from}\0${change.to}`;
    if (why) {
      if (!byKey.has(key)) left[why].push(change.name);
      continue;
    }
    const points = scoreDependency(change, input.weights, project).points;
    const group = byKey.get(key);
    if (group) {
      group.changes.push(change);
      group.points = Math.max(group.points, points);
      continue;
    }
    byKey.set(key, { ecosystem: change.ecosystem, name: change.name, from: change.from, to: change.to, changes: [change], points, bytes: input.bytesOf(change) ?? 0 });
    orderOf.set(key, order++);
  }
  // A name left out in one lockfile but read through another is not left out.
  const read = new Set([...byKey.values()].map(g => g.name));
  for (const list of [left.devOnly, left.libraryPins]) {
    const kept = [...new Set(list.filter(n => !read.has(n)))].sort(byString);
    list.length = 0;
    for (const n of kept) list.push(n);
  }
  const ranked = [...byKey.entries()].sort(([ka, a], [kb, b]) => b.points - a.points || (orderOf.get(ka) ?? 0) - (orderOf.get(kb) ?? 0)).map(([, g]) => g);
  const groups: LookGroup[] = [];
  let spent = 0;
  for (const group of ranked) {
    if (input.limit !== undefined && groups.length >= input.limit) { left.pastLimit.push(group.name); continue; }
    // Largest risk first; one that does not fit is skipped, and a smaller one after it may still fit.
    if (spent + group.bytes > input.budgetBytes) { left.overBudget.push(group.name); continue; }
    spent += group.bytes;
    groups.push(group);
  }
  left.overBudget.sort(byString);
  left.pastLimit.sort(byString);
  return { groups, left };
}

const names = (list: readonly string[]): string => (list.length <= 5 ? list.join(', ') : `${list.slice(0, 5).join(', ')} and ${list.length - 5} more`);
const mb = (bytes: number): string => `${Math.round(bytes / (1024 * 1024))} MB`;

/** The one warning that says which upgrades were not looked inside, and why. */
export function coverageWarning(left: LeftOut, budgetBytes: number, limit: number | undefined): string | undefined {
  const parts: string[] = [];
  if (left.pastLimit.length > 0) parts.push(`${left.pastLimit.length} past --deep ${limit ?? ''} (${names(left.pastLimit)})`.replace(' ()', ''));
  if (left.overBudget.length > 0) parts.push(`${left.overBudget.length} over the ${mb(budgetBytes)} download budget (${names(left.overBudget)})`);
  if (left.devOnly.length > 0) parts.push(`${left.devOnly.length} development-only, never run in production (${names(left.devOnly)})`);
  if (left.libraryPins.length > 0) parts.push(`${left.libraryPins.length} pinned for this library's own CI, not shipped to its users (${names(left.libraryPins)})`);
  if (parts.length === 0) return undefined;
  const total = left.pastLimit.length + left.overBudget.length + left.devOnly.length + left.libraryPins.length;
  return `deep scan: did not look inside ${total} upgrade${total === 1 ? '' : 's'}: ${parts.join('; ')}`;
}
