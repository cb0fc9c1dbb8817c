import type { Upgrade } from './deps-plan.js';
import { admits, jsonIndentOf, type Splice } from './splice-common.js';

// A trial's package-lock.json without asking npm to resolve it: the `to` lockfile already holds every upgraded
// package's entry (version, resolved, integrity, its dependencies and its own nested copies), so those entries are
// copied over `from`'s, and `npm ci` alone installs the result (one npm start-up per trial instead of two).
// The splice only answers when it can prove the tree is the one npm would accept as it stands: every edge that touches
// a moved or added entry resolves (node_modules lookup, walking up) to a version its range admits. Anything it cannot
// decide (a v1 lock, workspaces or links, aliases, a nested copy of an upgraded package that moves, a needed entry
// that `to` lacks, a peer its new neighbour no longer satisfies, a non-semver spec on a moved edge) is handed back
// with the reason, and the caller asks npm itself (`npm install --package-lock-only`), which decides those.

type Entry = Record<string, unknown>;
type Packages = Record<string, Entry>;

const DEP_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;
const ROOT_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;
// Flags npm derives from where an entry sits in the tree: a moved entry keeps `from`'s, since the tree around it is `from`'s.
const PLACE_FLAGS = ['dev', 'optional', 'devOptional', 'peer', 'extraneous'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(value)) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

function parsePackages(text: string, which: string): { doc: Record<string, unknown>; packages: Packages } | string {
  let doc: unknown;
  try { doc = JSON.parse(text); } catch { return `the ${which} lockfile is not JSON`; }
  if (!isObject(doc) || !isObject(doc['packages'])) return `the ${which} lockfile has no "packages" map (lockfileVersion 1)`;
  const packages = doc['packages'] as Packages;
  for (const [path, entry] of Object.entries(packages)) {
    if (!isObject(entry)) return `the ${which} lockfile's entry ${path} is not an object`;
    if (entry['link'] === true || (path !== '' && !path.startsWith('node_modules/'))) return `the ${which} lockfile has workspaces or links (${path})`;
  }
  return { doc, packages };
}

/** The package name a node_modules path installs: the part after its last node_modules/. */
export function nameAt(path: string): string {
  const i = path.lastIndexOf('node_modules/');
  return i < 0 ? '' : path.slice(i + 'node_modules/'.length);
}

/** Where node finds `dep` from the package at `from`: its own node_modules, then each parent's, then the top. */
export function resolveFrom(packages: Packages, from: string, dep: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base === '' ? `node_modules/${dep}` : `${base}/node_modules/${dep}`;
    if (packages[candidate]) return candidate;
    if (base === '') return undefined;
    const i = base.lastIndexOf('/node_modules/');
    base = i < 0 ? '' : base.slice(0, i);
  }
}

function edgesOf(path: string, entry: Entry): { dep: string; range: string; isPeer: boolean; isOptional: boolean }[] {
  const out: { dep: string; range: string; isPeer: boolean; isOptional: boolean }[] = [];
  const peerMeta = isObject(entry['peerDependenciesMeta']) ? entry['peerDependenciesMeta'] : {};
  for (const field of path === '' ? ROOT_FIELDS : DEP_FIELDS) {
    for (const [dep, range] of Object.entries(stringMap(entry[field]))) {
      const isPeer = field === 'peerDependencies';
      const meta = peerMeta[dep];
      out.push({ dep, range, isPeer, isOptional: field === 'optionalDependencies' || (isPeer && isObject(meta) && meta['optional'] === true) });
    }
  }
  return out;
}

const isUnder = (path: string, top: string): boolean => path.startsWith(`${top}/`);

/** Every path installing `name` below the top level, with its version: the nested copies. */
function nestedCopies(packages: Packages, name: string, except: string): string {
  return Object.keys(packages).filter(p => p !== except && !isUnder(p, except) && p.includes('/node_modules/') && nameAt(p) === name)
    .sort().map(p => `${p}@${String(packages[p]?.['version'])}`).join(',');
}

function reachable(packages: Packages): Set<string> {
  const seen = new Set<string>(['']);
  const queue = [''];
  while (queue.length > 0) {
    const path = queue.pop() as string;
    const entry = packages[path];
    if (!entry) continue;
    for (const edge of edgesOf(path, entry)) {
      const target = resolveFrom(packages, path, edge.dep);
      if (target !== undefined && !seen.has(target)) { seen.add(target); queue.push(target); }
    }
  }
  return seen;
}

/**
 * `from`'s lockfile (and package.json when a direct dependency's range must move) with `upgrades` taken from `to`'s
 * lockfile, or why the splice cannot decide. Pure: texts in, texts out.
 */
export function spliceNpmLock(fromLockText: string, fromManifestText: string | undefined, toLockText: string, upgrades: readonly Upgrade[]): Splice {
  const fail = (reason: string): Splice => ({ ok: false, reason });
  const from = parsePackages(fromLockText, 'from');
  if (typeof from === 'string') return fail(from);
  const to = parsePackages(toLockText, 'to');
  if (typeof to === 'string') return fail(to);
  const trial: Packages = { ...from.packages };
  const moved = new Set<string>();
  for (const u of upgrades) {
    const top = `node_modules/${u.name}`;
    const before = from.packages[top];
    const after = to.packages[top];
    if (!after) return fail(`${u.name} has no top-level entry in the to lockfile`);
    if (after['version'] !== u.to) return fail(`the to lockfile's top-level ${u.name} is ${String(after['version'])}, not ${u.to}`);
    if (before?.['version'] !== u.from) return fail(`the from lockfile's top-level ${u.name} is ${String(before?.['version'])}, not ${u.from}`);
    if (typeof after['name'] === 'string' || typeof before['name'] === 'string') return fail(`${u.name} is installed under an alias`);
    if (nestedCopies(from.packages, u.name, top) !== nestedCopies(to.packages, u.name, top)) return fail(`nested copies of ${u.name} move between the lockfiles`);
    for (const path of Object.keys(trial)) if (isUnder(path, top)) { delete trial[path]; moved.add(path); }
    const entry: Entry = { ...after };
    for (const flag of PLACE_FLAGS) { delete entry[flag]; if (before[flag] !== undefined) entry[flag] = before[flag]; }
    trial[top] = entry;
    moved.add(top);
    // The upgraded package's own nested copies are resolved for it: they come along.
    for (const [path, nested] of Object.entries(to.packages)) if (isUnder(path, top)) { trial[path] = nested; moved.add(path); }
  }

  // The root's ranges: a direct dependency whose range no longer admits its new version takes `to`'s range.
  const root: Entry = { ...(trial[''] ?? {}) };
  const toRoot = to.packages[''] ?? {};
  let manifest: Record<string, unknown> | undefined;
  if (fromManifestText !== undefined) {
    try { manifest = JSON.parse(fromManifestText) as Record<string, unknown>; } catch { return fail('the from package.json is not JSON'); }
    if (!isObject(manifest)) return fail('the from package.json is not an object');
  }
  let isManifestChanged = false;
  for (const u of upgrades) {
    for (const field of ROOT_FIELDS) {
      const ranges = stringMap(root[field]);
      const range = ranges[u.name];
      if (range === undefined || admits(u.to, range)) continue;
      const next = stringMap(toRoot[field])[u.name];
      if (next === undefined || !admits(u.to, next)) return fail(`package.json's ${field} range for ${u.name} (${range}) does not admit ${u.to}, and the to lockfile's does not either`);
      root[field] = { ...ranges, [u.name]: next };
      const section = manifest?.[field];
      if (isObject(section) && section[u.name] !== undefined) { manifest = { ...manifest, [field]: { ...section, [u.name]: next } }; isManifestChanged = true; }
    }
  }
  trial[''] = root;

  // Entries a moved package needs that `from` never had come from `to`, from the same place in its tree.
  for (let changed = true; changed;) {
    changed = false;
    for (const path of [...moved]) {
      const entry = trial[path];
      if (!entry) continue;
      for (const edge of edgesOf(path, entry)) {
        if (resolveFrom(trial, path, edge.dep) !== undefined) continue;
        const there = resolveFrom(to.packages, path, edge.dep);
        if (there === undefined) {
          if (edge.isOptional) continue;
          return fail(`${nameAt(path) || 'the root'} needs ${edge.dep}, which the to lockfile does not hold where it would be found`);
        }
        if (trial[there]) return fail(`${edge.dep} for ${nameAt(path) || 'the root'} sits at ${there} in the to lockfile, where the trial already has another copy`);
        trial[there] = to.packages[there] as Entry;
        moved.add(there);
        changed = true;
      }
    }
  }

  // Entries only the old versions needed are dropped, as npm would prune them (those unreachable in `from` stay).
  const wasReachable = reachable(from.packages);
  const isReachable = reachable(trial);
  for (const path of Object.keys(trial)) if (wasReachable.has(path) && !isReachable.has(path)) delete trial[path];

  // Every edge that touches a moved entry must hold, or npm ci would resolve the tree again and refuse it.
  for (const [path, entry] of Object.entries(trial)) {
    for (const edge of edgesOf(path, entry)) {
      const target = resolveFrom(trial, path, edge.dep);
      const fromEntry = from.packages[path];
      const isTouched = moved.has(path) || (target !== undefined && moved.has(target)) || resolveFrom(from.packages, path, edge.dep) !== target
        || fromEntry === undefined || edgesOf(path, fromEntry).every(e => e.dep !== edge.dep || e.range !== edge.range);
      if (!isTouched) continue;
      const who = nameAt(path) || 'the root';
      if (target === undefined) {
        if (edge.isOptional) continue;
        return fail(`${who} needs ${edge.dep}, which the trial tree lacks`);
      }
      if (edge.range.startsWith('npm:')) return fail(`${who} asks for ${edge.dep} through an alias (${edge.range})`);
      const version = trial[target]?.['version'];
      if (!admits(version, edge.range)) {
        return fail(`${who} ${edge.isPeer ? 'peers on' : 'asks for'} ${edge.dep}@${edge.range}, which ${edge.dep}@${String(version)} does not satisfy`);
      }
    }
  }

  const ordered: Packages = {};
  for (const path of Object.keys(trial).sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0))) ordered[path] = trial[path] as Entry;
  const lock = `${JSON.stringify({ ...from.doc, packages: ordered }, null, jsonIndentOf(fromLockText))}\n`;
  const manifestOut = isManifestChanged && fromManifestText !== undefined ? `${JSON.stringify(manifest, null, jsonIndentOf(fromManifestText))}\n` : undefined;
  return { ok: true, lock, manifest: manifestOut };
}
