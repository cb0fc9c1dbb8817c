import semver from 'semver';
import type { Report } from '../report/model.js';
import { PERFECT, priorsFromRisk } from './posterior.js';
import { search } from './search.js';
import { plainBisectRunCount, simulatedOracle } from './simulate.js';

// Dependency bisect as a commit bisect over prefixes: the units (one upgrade, or a group that must move together)
// are ordered likeliest first, and trial t installs units 0..t over the `from` set. If unit c is the culprit, trial t
// fails exactly when t >= c: the monotone shape the Bayesian engine already searches, with the ranking as priors.
// Putting the likeliest unit first means its trial installs it alone.

export interface Upgrade { name: string; from: string; to: string }
export interface DepUnit { members: Upgrade[]; prior: number; score: number; why: string[] }
export interface DepsPlan {
  lockfile: string;
  ecosystem: string;
  units: DepUnit[];
  /** Changes that are not an upgrade of an installed package (added, removed): they move with the units that need them. */
  unmoved: string[];
  runs: { expected: number; worst: number; bound: number; topFirst: number; plain: number };
}

/**
 * The `to` lockfile's own requirements: the ranges a package's new version asks of other packages. Keyed by
 * `name@version` where the lock holds several versions of one name (yarn, pnpm, the Python locks), or by `name` alone
 * where it says which one is installed at the top (package-lock.json). Names as the ecosystem's `key` spells them.
 */
export type Requires = ReadonlyMap<string, Readonly<Record<string, string>>>;

/** How one ecosystem reads an edge: name spelling, whether an old version meets a range, and where the edge came from. */
export interface EdgeRules {
  key(name: string): string;
  satisfies(version: string, range: string): boolean;
  /** Named in each group's reason: "package-lock.json dependencies", "poetry.lock [package.dependencies]"... */
  source: string;
}

/** npm ranges are semver; one semver cannot read (a tag, a git URL) is taken as not met: the group errs towards moving more together. */
export const semverRules = (source: string): EdgeRules => ({
  key: name => name,
  satisfies: (version, range) => semver.validRange(range) !== null && semver.valid(version) !== null
    && semver.satisfies(version, range, { includePrerelease: true }),
  source,
});

/** package-lock v2/v3 `packages` (top-level entries) or v1 `requires`; anything else has no edges we can read. */
export function npmRequires(lockText: string | undefined): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  if (lockText === undefined) return out;
  let doc: unknown;
  try { doc = JSON.parse(lockText); } catch { return out; }
  if (typeof doc !== 'object' || doc === null) return out;
  const packages = (doc as { packages?: unknown }).packages;
  if (typeof packages === 'object' && packages !== null) {
    for (const [path, entry] of Object.entries(packages as Record<string, unknown>)) {
      // Only top-level installs: nested copies are resolved for their parent and move with it.
      const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(path);
      if (!m?.[1] || typeof entry !== 'object' || entry === null) continue;
      out.set(m[1], rangesOf(entry as Record<string, unknown>));
    }
    return out;
  }
  const deps = (doc as { dependencies?: unknown }).dependencies;
  if (typeof deps === 'object' && deps !== null) {
    for (const [name, entry] of Object.entries(deps as Record<string, unknown>)) {
      if (typeof entry === 'object' && entry !== null) out.set(name, stringMap((entry as { requires?: unknown }).requires));
    }
  }
  return out;
}

function rangesOf(entry: Record<string, unknown>): Record<string, string> {
  return { ...stringMap(entry['peerDependencies']), ...stringMap(entry['optionalDependencies']), ...stringMap(entry['dependencies']) };
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}

function find(parent: Map<string, string>, x: string): string {
  let r = x;
  while (parent.get(r) !== r) r = parent.get(r) ?? r;
  parent.set(x, r);
  return r;
}

/**
 * Groups upgrades that cannot move alone: A's new version asks for a range of B that B's old version does not satisfy,
 * so installing new A over old B would pull new B anyway. Each group keeps the edges that formed it, in words.
 */
export function groupUpgrades(upgrades: readonly Upgrade[], requires: Requires, rules: EdgeRules = semverRules('package-lock.json')): { members: Upgrade[]; why: string[] }[] {
  const byKey = new Map(upgrades.map(u => [rules.key(u.name), u]));
  const parent = new Map(upgrades.map(u => [u.name, u.name]));
  const edges: { from: string; reason: string }[] = [];
  for (const u of upgrades) {
    const own = requires.get(`${rules.key(u.name)}@${u.to}`) ?? requires.get(rules.key(u.name)) ?? {};
    for (const [dep, range] of Object.entries(own)) {
      const other = byKey.get(rules.key(dep));
      if (!other || other.name === u.name || rules.satisfies(other.from, range)) continue;
      parent.set(find(parent, u.name), find(parent, other.name));
      edges.push({ from: u.name, reason: `${u.name}@${u.to} requires ${other.name} ${range} (${rules.source}), which ${other.name}@${other.from} does not satisfy` });
    }
  }
  const groups = new Map<string, { members: Upgrade[]; why: string[] }>();
  for (const u of [...upgrades].sort((a, b) => a.name.localeCompare(b.name))) {
    const root = find(parent, u.name);
    const group = groups.get(root) ?? { members: [], why: [] };
    group.members.push(u);
    groups.set(root, group);
  }
  for (const edge of edges) groups.get(find(parent, edge.from))?.why.push(edge.reason);
  return [...groups.values()].map(g => ({ members: g.members, why: g.why.sort() }));
}

/** At most this many runs for n units when the culprit moves alone (the target), the check of the full set included. */
export function runBound(n: number): number {
  return n <= 1 ? 1 : Math.ceil(Math.log2(n)) + 2;
}

/**
 * Slack over floor(log2 n) for the engine, leaving one run of the bound for checking the full set when every trial
 * passed (else a check that never fails would blame the last unit).
 */
export function searchSlack(n: number): number {
  return Math.max(0, runBound(n) - 1 - (n <= 1 ? 0 : Math.floor(Math.log2(n))));
}

/** The changed packages of one lockfile as units, likeliest first, with priors from the ranking's scores. */
export function planUnits(report: Pick<Report, 'dependencies' | 'ranking'>, lockfile: string, requires: Requires, rules?: EdgeRules): Omit<DepsPlan, 'runs'> {
  const changes = report.dependencies.filter(d => d.lockfile === lockfile);
  const upgrades: Upgrade[] = [];
  const unmoved: string[] = [];
  for (const d of changes) {
    if (d.from !== null && d.to !== null && d.from !== d.to) upgrades.push({ name: d.name, from: d.from, to: d.to });
    else unmoved.push(`${d.name} ${d.from ?? '(none)'} -> ${d.to ?? '(none)'} (${d.change})`);
  }
  const scores = new Map<string, number>();
  for (const item of report.ranking) {
    if (item.dependency?.lockfile !== lockfile) continue;
    scores.set(item.dependency.name, Math.max(scores.get(item.dependency.name) ?? 0, item.score));
  }
  const groups = groupUpgrades(upgrades, requires, rules).map(g => ({ ...g, score: Math.max(0, ...g.members.map(m => scores.get(m.name) ?? 0)) }));
  const priors = priorsFromRisk(groups.map(g => g.score));
  const units = groups.map((g, i) => ({ members: g.members, why: g.why, score: g.score, prior: priors[i] ?? 0 }))
    .sort((a, b) => b.prior - a.prior || (a.members[0]?.name ?? '').localeCompare(b.members[0]?.name ?? ''));
  return { lockfile, ecosystem: changes[0]?.ecosystem ?? 'npm', units, unmoved: unmoved.sort() };
}

/** Runs the engine would take for each possible culprit (perfect check), the full-set check included. */
export async function simulateRuns(prior: readonly number[]): Promise<DepsPlan['runs']> {
  const n = prior.length;
  const runsFor = async (culprit: number): Promise<number> => {
    const result = await search(prior, simulatedOracle(culprit), { model: PERFECT, confidence: 1, jobs: 1, slack: searchSlack(n) });
    const isAllGood = result.tested.every(t => t.result === 'good');
    return result.steps + (isAllGood && result.firstBad === n - 1 ? 1 : 0);
  };
  let expected = 0;
  let plain = 0;
  let worst = 0;
  for (let c = 0; c < n; c++) {
    const runs = await runsFor(c);
    expected += (prior[c] ?? 0) * runs;
    plain += (prior[c] ?? 0) * (plainBisectRunCount(n, c) + (c === n - 1 ? 1 : 0));
    worst = Math.max(worst, runs);
  }
  const round = (x: number): number => Math.round(x * 100) / 100;
  return { expected: round(expected), worst, bound: runBound(n), topFirst: n === 0 ? 0 : await runsFor(0), plain: round(plain) };
}
