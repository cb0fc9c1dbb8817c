import { parseAllDocuments, stringify } from 'yaml';
import { baseKey, pickDocument, splitKey } from '../lockfiles/pnpm-lock.js';
import type { YamlMap } from '../lockfiles/yaml-lite.js';
import type { Upgrade } from './deps-plan.js';
import { admits, jsonIndentOf, type Splice } from './splice-common.js';

// A trial's pnpm-lock.yaml made from `from`'s with the chosen upgrades taken from `to`'s, for
// `pnpm install --frozen-lockfile`. pnpm's graph is keyed by name@version, and each holder (an importer or a package)
// names the exact version it uses, so an upgrade is a matter of which edges point where: an edge to the old version
// moves when `to`'s same holder points at the new version (the analogue of yarn's descriptor test; the lockfile keeps
// no ranges for packages, so `to` is the only witness that the holder accepts it). The new version's entries, and
// what they need that `from` lacks, come from `to`; entries nothing reaches any more are dropped, as pnpm would.
// pnpm checks only the importers against package.json, so a direct range that no longer admits the version moves to
// `to`'s in both. A moved package that is a peer shows in its dependents' keys (`p@1(u@1)` becomes `p@1(u@2)`): those
// entries are renamed with it, under the same test (`to`'s same holder points at the renamed key).
// pnpm 11 writes the package manager's own lock (the env document) before the project's: only the project's document
// (picked as the parser picks it) is spliced, and `from`'s other documents stay in the trial byte for byte, so the
// trial keeps `from`'s package manager as it keeps its source.
// What the splice cannot decide is handed back with the reason (deps-pnpm.ts then asks pnpm itself where every upgrade
// is a direct dependency, else the trial is a skip):
// - a dependent left with the old version as its peer, which `to` does not have (its holder moved otherwise in `to`);
// - lockfile v5 (pnpm 7 and older, other key spelling);
// - a range of a workspace package other than the root that must move (one package.json is written back).

type Entry = Record<string, unknown>;
type Nodes = Record<string, Entry>;

const IMPORTER_GROUPS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;
const NODE_GROUPS = ['dependencies', 'optionalDependencies'] as const;

interface Lock { doc: Entry; major: number; isV9: boolean; importers: Record<string, Entry>; nodes: Nodes; metas: Nodes;
  /** The text around the project's document in a multi-document file (its `---` marker included), else ''. */
  before: string; after: string }

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readLock(input: string, which: string): Lock | string {
  const text = input.replace(/^\uFEFF/, '');
  let docs;
  try { docs = parseAllDocuments(text); } catch { return `the ${which} pnpm-lock.yaml is not YAML`; }
  if (!Array.isArray(docs) || docs.length === 0) return `the ${which} pnpm-lock.yaml is not valid YAML`;
  if (docs.some(d => d.errors.length > 0)) return `the ${which} pnpm-lock.yaml is not valid YAML`;
  const values: unknown[] = docs.map(d => d.toJS() as unknown);
  const maps = values.filter(isObject);
  const picked = docs.length === 1 ? values[0] : pickDocument(maps as YamlMap[]);
  const at = values.indexOf(picked);
  const chosen = docs[at];
  if (!chosen || !isObject(picked)) return `the ${which} pnpm-lock.yaml is not a map`;
  const doc = picked;
  // range[0] is where the document starts, its own `---` included; range[2] where its last node ends.
  const before = docs.length === 1 ? '' : `${text.slice(0, chosen.range[0])}---\n`;
  const after = docs.length === 1 ? '' : text.slice(chosen.range[2]).replace(/^\n+/, '');
  const major = Number.parseInt(String(doc['lockfileVersion'] ?? ''), 10);
  if (!(major >= 6 && major <= 9)) return `the ${which} pnpm-lock.yaml has lockfileVersion ${String(doc['lockfileVersion'])}; trials splice 6.0 (pnpm 8) and 9.0 (pnpm 9 to 11)`;
  const lock = viewOf(doc, major, before, after);
  for (const [key, node] of [...Object.entries(lock.nodes), ...Object.entries(lock.metas)]) if (!isObject(node)) return `the ${which} pnpm-lock.yaml's entry ${key} is not a map`;
  for (const [path, importer] of Object.entries(lock.importers)) if (!isObject(importer)) return `the ${which} pnpm-lock.yaml's importer ${path} is not a map`;
  return lock;
}

/** The lock's graph as views into `doc`: editing them edits the document. */
function viewOf(doc: Entry, major: number, before = '', after = ''): Lock {
  const isV9 = major >= 9;
  const nodes = (isObject(doc[isV9 ? 'snapshots' : 'packages']) ? doc[isV9 ? 'snapshots' : 'packages'] : {}) as Nodes;
  const metas = (isObject(doc['packages']) ? doc['packages'] : {}) as Nodes;
  const importers = (isObject(doc['importers']) ? doc['importers'] : { '.': doc }) as Record<string, Entry>;
  return { doc, major, isV9, importers, nodes, metas, before, after };
}

/** The node key a reference points at, in the first of `spaces` that holds it (a plain version, or an alias's name@version). */
function keyOf(lock: Lock, dep: string, ref: string, spaces: readonly Nodes[]): string | undefined {
  const candidates = lock.isV9 ? [`${dep}@${ref}`, ref] : [`/${dep}@${ref}`, `/${ref}`, ref];
  for (const nodes of spaces) for (const key of candidates) if (Object.hasOwn(nodes, key)) return key;
  return undefined;
}

const refOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : isObject(value) && typeof value['version'] === 'string' ? value['version'] : undefined);

/** Every edge of a holder: its group, the dependency's name and the reference (a version string, or an importer's { specifier, version }). */
function edges(holder: Entry, groups: readonly string[]): { group: string; dep: string; value: unknown }[] {
  const out: { group: string; dep: string; value: unknown }[] = [];
  for (const group of groups) if (isObject(holder[group])) for (const [dep, value] of Object.entries(holder[group])) out.push({ group, dep, value });
  return out;
}

function edgeIn(holder: Entry | undefined, groups: readonly string[], dep: string): unknown {
  return holder === undefined ? undefined : edges(holder, groups).find(e => e.dep === dep)?.value;
}

function reachable(lock: Lock, nodes: Nodes): Set<string> {
  const seen = new Set<string>();
  const queue: string[] = [];
  const visit = (dep: string, value: unknown): void => {
    const ref = refOf(value);
    const key = ref === undefined ? undefined : keyOf(lock, dep, ref, [nodes]);
    if (key !== undefined && !seen.has(key)) { seen.add(key); queue.push(key); }
  };
  for (const importer of Object.values(lock.importers)) for (const e of edges(importer, IMPORTER_GROUPS)) visit(e.dep, e.value);
  while (queue.length > 0) for (const e of edges(nodes[queue.pop() as string] ?? {}, NODE_GROUPS)) visit(e.dep, e.value);
  return seen;
}

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sortedNodes = (nodes: Nodes): Nodes => Object.fromEntries(Object.keys(nodes).sort(byKey).map(k => [k, nodes[k] as Entry]));

/**
 * `from`'s pnpm-lock.yaml (and the root package.json when a direct range must move) with `upgrades` taken from `to`'s
 * lockfile, or why the splice cannot decide. Pure: texts in, texts out.
 */
export function splicePnpmLock(fromLockText: string, fromManifestText: string | undefined, toLockText: string, upgrades: readonly Upgrade[]): Splice {
  const fail = (reason: string): Splice => ({ ok: false, reason });
  const original = readLock(fromLockText, 'from');
  if (typeof original === 'string') return fail(original);
  const to = readLock(toLockText, 'to');
  if (typeof to === 'string') return fail(to);
  if (original.isV9 !== to.isV9) return fail('the two refs\' pnpm-lock.yaml files have different lockfile versions');
  // The trial is a copy of `from` that is edited in place; `original` stays as it was to tell what was reachable.
  const trial = viewOf(structuredClone(original.doc), original.major);
  const id = (key: string): { name: string; version: string } => splitKey(key, trial.major);
  let manifest: Record<string, unknown> | undefined;
  if (fromManifestText !== undefined) {
    try { manifest = JSON.parse(fromManifestText) as Record<string, unknown>; } catch { return fail('the from package.json is not JSON'); }
    if (!isObject(manifest)) return fail('the from package.json is not an object');
  }
  let isManifestChanged = false;

  // What an entry is called once the upgrades apply: its own version, and the peers its key names (`p@1(u@2)`).
  const upgradeOf = (key: string): Upgrade | undefined => upgrades.find(u => id(key).name === u.name && id(key).version === u.from);
  const renamed = (key: string): string => {
    const base = baseKey(key);
    const u = upgradeOf(key);
    let suffix = key.slice(base.length);
    for (const { name, from, to: next } of upgrades) suffix = suffix.split(`(${name}@${from})`).join(`(${name}@${next})`).split(`(${name}@${from}(`).join(`(${name}@${next}(`);
    return `${u ? base.slice(0, base.length - u.from.length) + u.to : base}${suffix}`;
  };
  /** The entry a reference of `to` points at, when it is `key` as the upgrades rename it. */
  const isTheirs = (dep: string, value: unknown, key: string): boolean => {
    const ref = refOf(value);
    return ref !== undefined && keyOf(to, dep, ref, [to.nodes]) === key;
  };

  // Keys the moved edges point at: they and what they need must be in the trial.
  const needed: string[] = [];
  const isMoved = new Set<string>();
  for (const [path, importer] of Object.entries(trial.importers)) {
    for (const e of edges(importer, IMPORTER_GROUPS)) {
      const ref = refOf(e.value);
      const key = ref === undefined ? undefined : keyOf(trial, e.dep, ref, [trial.nodes]);
      if (key === undefined || !isObject(e.value) || renamed(key) === key) continue;
      const theirs = edgeIn(to.importers[path], IMPORTER_GROUPS, e.dep);
      if (!isObject(theirs) || !isTheirs(e.dep, theirs, renamed(key))) continue;
      const u = upgradeOf(key);
      const specifier = String(e.value['specifier']);
      let next = specifier;
      if (u && !admits(u.to, specifier)) {
        next = String(theirs['specifier']);
        if (!admits(u.to, next)) return fail(`the ${e.group} range for ${e.dep} in ${path} (${specifier}) does not admit ${u.to}, and the to lockfile's does not either`);
        if (path !== '.') return fail(`the ${e.group} range for ${e.dep} in the workspace package ${path} must move, which trials do not write yet`);
        const section = manifest?.[e.group];
        if (!isObject(section) || section[e.dep] !== specifier) return fail(`package.json's ${e.group} does not hold ${e.dep}@${specifier} as the lockfile says`);
        manifest = { ...manifest, [e.group]: { ...section, [e.dep]: next } };
        isManifestChanged = true;
      }
      (importer[e.group] as Entry)[e.dep] = { ...e.value, specifier: next, version: refOf(theirs) };
      needed.push(renamed(key));
      if (u) isMoved.add(u.name);
    }
  }
  for (const [holder, node] of Object.entries(trial.nodes)) {
    // An entry that is renamed itself is replaced by `to`'s under its new key, not edited.
    if (renamed(holder) !== holder) continue;
    for (const e of edges(node, NODE_GROUPS)) {
      const ref = refOf(e.value);
      const key = ref === undefined ? undefined : keyOf(trial, e.dep, ref, [trial.nodes]);
      if (key === undefined || renamed(key) === key) continue;
      const theirs = edgeIn(to.nodes[holder], NODE_GROUPS, e.dep);
      if (!isTheirs(e.dep, theirs, renamed(key))) continue;
      (node[e.group] as Entry)[e.dep] = theirs;
      needed.push(renamed(key));
      const u = upgradeOf(key);
      if (u) isMoved.add(u.name);
    }
  }
  for (const u of upgrades) if (!isMoved.has(u.name)) return fail(`nothing that keeps its version asks for ${u.name}@${u.to} in the to lockfile`);

  // The new versions' entries, and what they need that the trial lacks, come from `to` under the same keys.
  for (let key = needed.pop(); key !== undefined; key = needed.pop()) {
    if (Object.hasOwn(trial.nodes, key)) continue;
    const node = to.nodes[key];
    if (!node) return fail(`the to lockfile has no entry ${key}`);
    trial.nodes[key] = node;
    if (trial.isV9) {
      const meta = to.metas[baseKey(key)];
      if (!meta) return fail(`the to lockfile has no packages entry ${baseKey(key)}`);
      trial.metas[baseKey(key)] ??= meta;
    }
    for (const e of edges(node, NODE_GROUPS)) {
      const ref = refOf(e.value);
      const there = ref === undefined ? undefined : keyOf(to, e.dep, ref, [trial.nodes, to.nodes]);
      if (there !== undefined) { needed.push(there); continue; }
      if (e.group !== 'optionalDependencies' && !ref?.startsWith('link:')) return fail(`${key} needs ${e.dep}@${String(ref)}, which the to lockfile does not hold`);
    }
  }

  // Entries only the old versions needed are dropped, as pnpm would prune them (those unreachable in `from` stay).
  const wasReachable = reachable(original, original.nodes);
  const isReachable = reachable(trial, trial.nodes);
  for (const key of Object.keys(trial.nodes)) if (wasReachable.has(key) && !isReachable.has(key)) delete trial.nodes[key];
  // A dependent that keeps an old version as its peer while the new one is installed is a mix pnpm would not make
  // (it resolves peers from the parent), unless `to` has that very entry too.
  for (const key of Object.keys(trial.nodes)) {
    if (renamed(key) === key || upgradeOf(key) !== undefined || Object.hasOwn(to.nodes, key)) continue;
    const u = upgrades.find(v => key.slice(baseKey(key).length).includes(`(${v.name}@${v.from}`));
    if (u) return fail(`${key} keeps ${u.name}@${u.from} as its peer, and the to lockfile has no such entry`);
  }
  const doc: Entry = { ...trial.doc };
  if (trial.isV9) {
    const live = new Set(Object.keys(trial.nodes).map(baseKey));
    const hadNode = new Set(Object.keys(original.nodes).map(baseKey));
    for (const key of Object.keys(trial.metas)) if (hadNode.has(key) && !live.has(key)) delete trial.metas[key];
    doc['packages'] = sortedNodes(trial.metas);
    doc['snapshots'] = sortedNodes(trial.nodes);
  } else {
    doc['packages'] = sortedNodes(trial.nodes);
  }
  const lock = `${original.before}${stringify(doc, { lineWidth: 0 })}${original.after}`;
  const manifestOut = isManifestChanged && fromManifestText !== undefined ? `${JSON.stringify(manifest, null, jsonIndentOf(fromManifestText))}\n` : undefined;
  return { ok: true, lock, manifest: manifestOut };
}

/**
 * The root importer's dependency group of each upgrade (dependencies, devDependencies, optionalDependencies), when
 * every upgrade is a direct dependency of the root at its old version: then pnpm itself can move the pins
 * (`pnpm add name@version`) where the splice cannot decide. Undefined otherwise.
 */
export function rootGroupsOf(fromLockText: string, upgrades: readonly Upgrade[]): Map<string, Upgrade[]> | undefined {
  const lock = readLock(fromLockText, 'from');
  const root = typeof lock === 'string' ? undefined : lock.importers['.'];
  if (typeof lock === 'string' || root === undefined) return undefined;
  const groups = new Map<string, Upgrade[]>();
  for (const u of upgrades) {
    const e = edges(root, IMPORTER_GROUPS).find(x => x.dep === u.name);
    const ref = e === undefined ? undefined : refOf(e.value);
    const key = ref === undefined ? undefined : keyOf(lock, u.name, ref, [lock.nodes]);
    if (e === undefined || key === undefined || splitKey(key, lock.major).version !== u.from || splitKey(key, lock.major).name !== u.name) return undefined;
    groups.set(e.group, [...(groups.get(e.group) ?? []), u]);
  }
  return groups;
}
