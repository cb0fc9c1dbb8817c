import type { DependencyChange, DependencySet, Ecosystem, Sha } from '../types.js';
import { versionScheme } from '../versions/index.js';

// Which commits made each dependency change: walk the lockfile's own revisions between the two refs and see where
// each changed package's installed versions (or sources) moved. Never guessed from commit messages.

/** Per package name (normalised): its installed versions and integrities, as one comparable string. */
export type PackageStates = Map<string, string>;

export interface StateRevision {
  sha: Sha;
  /** The states after this commit; empty when the file was deleted. */
  states: PackageStates;
}

/** The states of `names` from a format's fast path (see LockfileFormat.states). */
export function packageStatesFromCopies(copies: Map<string, string[]>, ecosystem: Ecosystem, names: readonly string[]): PackageStates {
  const normalize = versionScheme(ecosystem).normalizeName;
  const wanted = new Set(names.map(normalize));
  const states: PackageStates = new Map();
  for (const [name, list] of copies) {
    const key = normalize(name);
    if (!wanted.has(key)) continue;
    const joined = [...(states.get(key)?.split(',') ?? []), ...list].sort().join(',');
    states.set(key, joined);
  }
  return states;
}

/** The states of `names` in `set` (all names when omitted). */
export function packageStates(set: DependencySet | undefined, names?: readonly string[]): PackageStates {
  if (!set) return new Map();
  const normalize = versionScheme(set.ecosystem).normalizeName;
  const wanted = names ? new Set(names.map(normalize)) : undefined;
  const parts = new Map<string, string[]>();
  for (const p of set.packages) {
    const name = normalize(p.name);
    if (wanted && !wanted.has(name)) continue;
    const list = parts.get(name);
    const state = `${p.version}|${p.facts.integrity ?? ''}`;
    if (list) list.push(state);
    else parts.set(name, [state]);
  }
  return new Map([...parts].map(([k, v]) => [k, v.sort().join(',')]));
}

/**
 * Fills `commits` of each change of one lockfile. `start` holds the states at `from`; `revisions` are the commits
 * that touched the file, oldest first. A package changed back and forth names every commit that moved it.
 */
export function attributeChanges(changes: DependencyChange[], start: PackageStates, revisions: readonly StateRevision[]): void {
  const walk = new AttributionWalk(changes, start);
  for (const revision of revisions) walk.step(revision.sha, revision.states);
  applyAttribution(changes, walk.touchedByName());
}

/** Sets each change's commits from a walk's result. */
export function applyAttribution(changes: DependencyChange[], touched: Readonly<Record<string, Sha[]>>): void {
  const normalize = versionScheme(changes[0]?.ecosystem ?? 'npm').normalizeName;
  for (const change of changes) change.commits = [...(touched[normalize(change.name)] ?? [])];
}

/** The same walk one revision at a time, so that a caller can drop each revision as soon as it is compared. */
export class AttributionWalk {
  private readonly names: string[];
  private readonly touched = new Map<string, Sha[]>();
  private previous: PackageStates;

  constructor(packages: readonly Pick<DependencyChange, 'name' | 'ecosystem'>[], readonly start: PackageStates) {
    const normalize = versionScheme(packages[0]?.ecosystem ?? 'npm').normalizeName;
    this.names = [...new Set(packages.map(c => normalize(c.name)))];
    this.previous = start;
  }

  step(sha: Sha, states: PackageStates): void {
    for (const name of this.names) {
      if ((this.previous.get(name) ?? '') === (states.get(name) ?? '')) continue;
      const list = this.touched.get(name);
      if (list) list.push(sha);
      else this.touched.set(name, [sha]);
    }
    this.previous = states;
  }

  /** Normalised name -> the commits that moved it, oldest first. */
  touchedByName(): Record<string, Sha[]> {
    return Object.fromEntries([...this.touched].map(([name, shas]) => [name, [...new Set(shas)]]));
  }
}
