import type { DependencyChange, DependencySet, Sha } from '../types.js';
import { versionScheme } from '../versions/index.js';

// Which commits made each dependency change: walk the lockfile's own revisions between the two refs and see where
// each changed package's installed versions (or sources) moved. Never guessed from commit messages.

export interface LockfileRevision {
  sha: Sha;
  /** The set after this commit; undefined when the file was deleted or could not be read. */
  set: DependencySet | undefined;
}

function statesByName(set: DependencySet | undefined): Map<string, string> {
  const parts = new Map<string, string[]>();
  if (!set) return new Map();
  const normalize = versionScheme(set.ecosystem).normalizeName;
  for (const p of set.packages) {
    const name = normalize(p.name);
    const list = parts.get(name) ?? [];
    list.push(`${p.version}|${p.facts.integrity ?? ''}`);
    parts.set(name, list);
  }
  return new Map([...parts].map(([k, v]) => [k, v.sort().join(',')]));
}

/**
 * Fills `commits` of each change of one lockfile. `start` is the set at `from`; `revisions` are the commits that
 * touched the file, oldest first. A package changed back and forth names every commit that moved it.
 */
export function attributeChanges(changes: DependencyChange[], start: DependencySet | undefined, revisions: LockfileRevision[]): void {
  if (changes.length === 0 || revisions.length === 0) return;
  const ecosystem = changes[0]?.ecosystem ?? 'npm';
  const normalize = versionScheme(ecosystem).normalizeName;
  const wanted = new Set(changes.map(c => normalize(c.name)));
  const touched = new Map<string, Sha[]>();
  let previous = statesByName(start);
  for (const revision of revisions) {
    const current = statesByName(revision.set);
    for (const name of wanted) {
      if ((previous.get(name) ?? '') !== (current.get(name) ?? '')) {
        touched.set(name, [...(touched.get(name) ?? []), revision.sha]);
      }
    }
    previous = current;
  }
  for (const change of changes) change.commits = [...new Set(touched.get(normalize(change.name)) ?? [])];
}
