import type { DependencyChange, DependencySet, LockedPackage } from '../types.js';
import { versionScheme } from '../versions/index.js';
import { classifyChange } from './classify.js';
import { lockfileSignals } from './signals.js';
import { addTo } from '../util/arrays.js';

// The dependency diff: per lockfile and package name, compare the *sets* of installed versions.

interface Group { versions: Map<string, LockedPackage[]>; direct: boolean; dev: boolean }

function groupByName(set: DependencySet | undefined, normalize: (n: string) => string): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const p of set?.packages ?? []) {
    const name = normalize(p.name);
    let g = groups.get(name);
    if (!g) {
      g = { versions: new Map(), direct: false, dev: true };
      groups.set(name, g);
    }
    addTo(g.versions, p.version, p);
    g.direct ||= p.direct;
    g.dev &&= p.dev;
  }
  return groups;
}

/** Identity of a resolved copy beyond its version: where it came from and what it hashed to. */
function sourceKey(copies: LockedPackage[]): string {
  return copies.map(c => `${c.facts.integrity ?? ''}|${normalizeResolved(c.facts.resolved)}`).sort().join(',');
}

/** Registry URLs differ by mirror and by `omit-lockfile-registry-resolved`; keep only what names a different source. */
function normalizeResolved(url: string | undefined): string {
  if (!url) return '';
  const tarball = /\/-\/[^/]+\.tgz$/.test(url);
  return tarball ? '' : url;
}

/**
 * Changes between two versions of one dependency file (either may be missing: a lockfile added or deleted).
 * Sorted by name. `commits` is left empty; attribute.ts fills it.
 */
export function diffDependencySets(before: DependencySet | undefined, after: DependencySet | undefined): DependencyChange[] {
  const ref = after ?? before;
  if (!ref) return [];
  const scheme = versionScheme(ref.ecosystem);
  const a = groupByName(before, scheme.normalizeName);
  const b = groupByName(after, scheme.normalizeName);
  if (scheme.isSameVersion) spellVersionsAlike(a, b, scheme.isSameVersion);
  const names = [...new Set([...a.keys(), ...b.keys()])].sort();
  const changes: DependencyChange[] = [];
  for (const name of names) {
    const ga = a.get(name);
    const gb = b.get(name);
    const fromVersions = [...(ga?.versions.keys() ?? [])].sort(scheme.compare);
    const toVersions = [...(gb?.versions.keys() ?? [])].sort(scheme.compare);
    const sameVersions = fromVersions.join('\n') === toVersions.join('\n');
    const reresolved = sameVersions && ga && gb
      && fromVersions.some(v => hasIntegrity(ga, v) && hasIntegrity(gb, v)
        && sourceKey(ga.versions.get(v) ?? []) !== sourceKey(gb.versions.get(v) ?? []));
    if (sameVersions && !reresolved) continue;
    const from = fromVersions.at(-1) ?? null;
    const to = toVersions.at(-1) ?? null;
    const copiesBefore = ga ? [...ga.versions.values()].flat() : [];
    const copiesAfter = gb ? [...gb.versions.values()].flat() : [];
    const change: DependencyChange = {
      ecosystem: ref.ecosystem,
      lockfile: ref.path,
      name: (copiesAfter[0] ?? copiesBefore[0])?.name ?? name,
      from, to, fromVersions, toVersions,
      change: reresolved ? 'reresolved' : classifyChange(scheme, fromVersions, toVersions),
      direct: (ga?.direct ?? false) || (gb?.direct ?? false),
      dev: (ga?.dev ?? true) && (gb?.dev ?? true),
      signals: [],
      commits: [],
    };
    const factsBefore = mergeFacts(copiesBefore);
    const factsAfter = mergeFacts(copiesAfter);
    if (ga) change.before = factsBefore;
    if (gb) change.after = factsAfter;
    change.signals = lockfileSignals(change);
    changes.push(change);
  }
  return changes;
}

/**
 * Where the ecosystem has several spellings of one version (a pip freeze says 1.0, the lockfile 1.0.0), both sides
 * use the spelling of the side before, so that the same version never shows as a change.
 */
function spellVersionsAlike(before: Map<string, Group>, after: Map<string, Group>, isSame: (a: string, b: string) => boolean): void {
  for (const [name, g] of after) {
    const old = [...(before.get(name)?.versions.keys() ?? [])];
    for (const [version, copies] of [...g.versions]) {
      const spelling = old.find(o => o !== version && isSame(o, version));
      if (!spelling || g.versions.has(spelling)) continue;
      g.versions.delete(version);
      g.versions.set(spelling, copies);
    }
  }
}

function hasIntegrity(g: Group, version: string): boolean {
  return (g.versions.get(version) ?? []).some(c => c.facts.integrity || c.facts.resolved);
}

function mergeFacts(copies: LockedPackage[]): LockedPackage['facts'] {
  const facts: LockedPackage['facts'] = {};
  for (const c of copies) {
    if (c.facts.installScript) facts.installScript = true;
    if (c.facts.native) facts.native = true;
    if (c.facts.optional) facts.optional = true;
    if (c.facts.peer) facts.peer = true;
  }
  return facts;
}
