// https://docs.npmjs.com/cli/v10/configuring-npm/package-lock-json
import type { DependencySet, LockedPackage, LockfileFormat, Parsed } from '../types.js';
import { basename, describeValue, failure, lineOf, lineOfJsonError, nonStringKey, sortPackages, stripBom, wrongType } from './util.js';

interface V2Entry {
  name?: string; version?: string; resolved?: string; integrity?: string; link?: boolean;
  dev?: boolean; optional?: boolean; devOptional?: boolean; peer?: boolean; hasInstallScript?: boolean;
  inBundle?: boolean;
}
interface V1Entry extends V2Entry { requires?: Record<string, string>; dependencies?: Record<string, V1Entry> }
interface Lock {
  lockfileVersion?: number;
  packages?: Record<string, V2Entry>;
  dependencies?: Record<string, V1Entry>;
}

const NAMES = new Set(['package-lock.json', 'npm-shrinkwrap.json']);

const format: LockfileFormat = {
  id: 'npm-lock',
  ecosystem: 'npm',
  detect(path, text) {
    if (NAMES.has(basename(path))) return true;
    return text.length > 0 && /^\s*\{/.test(text) && /"lockfileVersion"\s*:/.test(text.slice(0, 4096));
  },
  parse: parseNpmLock,
  states: npmLockStates,
};
export default format;

/** Name -> `version|integrity` of every installed copy, for lockfileVersion 2 and 3 only (v1 nests: parse it). */
export function npmLockStates(input: string): Map<string, string[]> | undefined {
  let lock: Lock;
  try {
    lock = JSON.parse(stripBom(input)) as Lock;
  } catch {
    return undefined;
  }
  const entries = lock?.packages;
  // Anything parse() would refuse is left to it (the caller then parses and sees the error).
  if (!isObject(entries) || !isKnownVersion(lock.lockfileVersion)) return undefined;
  const states = new Map<string, string[]>();
  for (const installPath in entries) {
    const entry = entries[installPath];
    const at = installPath.lastIndexOf('node_modules/');
    if (at < 0) continue;
    if (!isObject(entry) || nonStringKey(entry as Record<string, unknown>, ENTRY_STRINGS) !== undefined) return undefined;
    if (entry.link || !entry.version) continue;
    const name = entry.name ?? installPath.slice(at + 'node_modules/'.length);
    const state = `${entry.version}|${entry.integrity ?? ''}`;
    const list = states.get(name);
    if (list) list.push(state);
    else states.set(name, [state]);
  }
  return states;
}

export function parseNpmLock(input: string, path: string): Parsed<DependencySet> {
  const text = stripBom(input);
  let lock: Lock;
  try {
    lock = JSON.parse(text) as Lock;
  } catch (error) {
    return failure('npm-lock', path, `is not valid JSON (${(error as Error).message})`, lineOfJsonError(text, error),
      'Regenerate it with `npm install --package-lock-only`');
  }
  if (typeof lock !== 'object' || lock === null || Array.isArray(lock)) {
    return failure('npm-lock', path, 'is not a package-lock object', 1, 'Regenerate it with `npm install --package-lock-only`');
  }
  const version = lock.lockfileVersion;
  if (!isKnownVersion(version)) {
    return failure('npm-lock', path, `has lockfileVersion ${JSON.stringify(version)}, which reldiff does not know`, lineOf(text, '"lockfileVersion"'),
      'reldiff reads lockfileVersion 1, 2 and 3; regenerate it with `npm install --package-lock-only`');
  }
  for (const key of ['packages', 'dependencies'] as const) {
    const value = lock[key];
    if (value !== undefined && !isObject(value)) {
      return failure('npm-lock', path, `has "${key}" = ${describeValue(value)}, where an object keyed by ${key === 'packages' ? 'install path' : 'package name'} is expected`,
        lineOf(text, `"${key}"`), 'Regenerate it with `npm install --package-lock-only`');
    }
  }
  const warnings: string[] = [];
  const packages: LockedPackage[] = [];
  try {
    if (lock.packages) fromPackages(lock.packages, packages);
    else fromDependencies(lock.dependencies ?? {}, '', directNamesV1(lock), packages);
  } catch (error) {
    if (error instanceof BadEntry) {
      return failure('npm-lock', path, error.message, lineOf(text, JSON.stringify(error.key)), 'Regenerate it with `npm install --package-lock-only`');
    }
    // v1 nests one level per node_modules folder; a hostile file can nest deeper than the stack.
    if (!(error instanceof RangeError)) throw error;
    return failure('npm-lock', path, 'nests `dependencies` too deeply to be a real lockfile', undefined, 'Regenerate it with `npm install --package-lock-only`');
  }
  return { ok: true, value: { format: 'npm-lock', ecosystem: 'npm', path, packages: sortPackages(packages) }, warnings };
}

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isKnownVersion = (v: unknown): boolean => v === undefined || v === 1 || v === 2 || v === 3;
/** Fields read as text: anything else there (a number, an object) is refused, never printed as `[object Object]`. */
const ENTRY_STRINGS = ['name', 'version', 'resolved', 'integrity'] as const;
const DEPENDENCY_MAPS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

/** An entry of the wrong shape; `key` is the install path or name, which is also how the error finds its line. */
class BadEntry extends Error {
  constructor(readonly key: string, message: string) { super(message); }
}

/** The entry at `key` as an object whose text fields are strings and whose dependency lists are maps. */
function checkEntry(key: string, entry: unknown, maps: readonly string[]): V1Entry {
  if (!isObject(entry)) throw new BadEntry(key, `has "${key}" = ${describeValue(entry)}, where an object is expected`);
  const bad = nonStringKey(entry, ENTRY_STRINGS);
  if (bad) throw new BadEntry(key, wrongType(bad, key, entry[bad]));
  for (const map of maps) {
    if (entry[map] !== undefined && !isObject(entry[map])) throw new BadEntry(key, wrongType(map, key, entry[map], 'an object'));
  }
  return entry as V1Entry;
}

/** lockfileVersion 2 and 3: a flat map keyed by install path. */
function fromPackages(entries: Record<string, V2Entry>, out: LockedPackage[]): void {
  for (const installPath in entries) checkEntry(installPath || '(root)', entries[installPath], installPath === '' ? DEPENDENCY_MAPS : []);
  const root = (entries[''] ?? {}) as V2Entry & { dependencies?: Record<string, string>; devDependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string>; workspaces?: unknown };
  // Workspaces are the folders that a link points at; a folder nothing links to is not installed as one.
  const workspaceRoots = new Set(Object.values(entries).filter(e => e?.link && typeof e.resolved === 'string')
    .map(e => e.resolved!).filter(r => r !== '' && r in entries));
  // Direct = the copy that a declared dependency of the root or of a workspace resolves to, the way node
  // looks it up: the workspace's own node_modules first, then the hoisted one. Keyed by install path, so an
  // alias (`"my-ms": "npm:ms@^2"`, installed as node_modules/my-ms) counts by its folder name.
  const direct = new Set<string>();
  for (const key of ['', ...workspaceRoots]) {
    const e = entries[key] as typeof root | undefined;
    for (const group of DEPENDENCY_MAPS) {
      const deps = e?.[group];
      if (!isObject(deps)) continue;
      for (const dep in deps) {
        const own = key === '' ? `node_modules/${dep}` : `${key}/node_modules/${dep}`;
        direct.add(own in entries ? own : `node_modules/${dep}`);
      }
    }
  }
  for (const installPath in entries) {
    const entry = entries[installPath] as V2Entry;
    if (installPath === '' || !installPath.includes('node_modules/')) continue;
    if (entry.link) continue; // a workspace symlink; its target is listed under its own path
    const at = installPath.lastIndexOf('node_modules/');
    const name = entry.name ?? installPath.slice(at + 'node_modules/'.length);
    const version = entry.version ?? '';
    if (!version) continue;
    out.push({
      name, version, direct: direct.has(installPath), dev: entry.dev === true, installPath,
      facts: compact({ installScript: entry.hasInstallScript, resolved: entry.resolved, integrity: entry.integrity,
        optional: entry.optional || entry.devOptional ? true : undefined, peer: entry.peer }),
    });
  }
}

function directNamesV1(lock: Lock & { name?: string }): Set<string> {
  // v1 lockfiles do not record the root's own dependency list; a top-level entry that nothing else requires
  // is as close to "direct" as the file can tell.
  const required = new Set<string>();
  const walk = (deps: Record<string, V1Entry>): void => {
    for (const name in deps) {
      const e = checkEntry(name, deps[name], ['requires', 'dependencies']);
      for (const n in e.requires ?? {}) required.add(n);
      if (e.dependencies) walk(e.dependencies);
    }
  };
  walk(lock.dependencies ?? {});
  return new Set(Object.keys(lock.dependencies ?? {}).filter(n => !required.has(n)));
}

/** lockfileVersion 1: nested `dependencies`, each level a node_modules folder. */
function fromDependencies(deps: Record<string, V1Entry>, prefix: string, direct: Set<string>, out: LockedPackage[]): void {
  for (const name in deps) {
    const entry = checkEntry(name, deps[name], ['requires', 'dependencies']);
    if (!entry.version) continue;
    const installPath = `${prefix}node_modules/${name}`;
    // An alias records `npm:<real>@<version>`: the installed package is <real>.
    const alias = entry.version.startsWith('npm:') ? entry.version.slice(4) : undefined;
    const at = alias ? alias.lastIndexOf('@') : -1;
    const version = alias && at > 0 ? alias.slice(at + 1) : entry.version;
    if (!version.startsWith('file:')) {
      out.push({ name: alias && at > 0 ? alias.slice(0, at) : name, version, direct: prefix === '' && direct.has(name), dev: entry.dev === true, installPath,
        facts: compact({ resolved: entry.resolved, integrity: entry.integrity, optional: entry.optional }) });
    }
    // Into one list, never `out.push(...nested)`: a spread of 100,000+ items overflows the call stack.
    if (entry.dependencies) fromDependencies(entry.dependencies, `${installPath}/`, direct, out);
  }
}

function compact<T extends object>(facts: T): T {
  for (const k of Object.keys(facts) as (keyof T)[]) if (facts[k] === undefined || facts[k] === false) delete facts[k];
  return facts;
}
