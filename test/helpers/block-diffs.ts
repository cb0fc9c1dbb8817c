import { expect } from 'vitest';
import { openBlobCache, repositoryCacheDir } from '../../src/cache/blob-cache.js';
import { buildRepo, type BuiltRepo, type HistoryCommit } from '../../src/demo/build-repo.js';
import { attributeChanges, packageStates } from '../../src/deps/attribute.js';
import { diffDependencySets } from '../../src/deps/diff.js';
import { walkLockfile } from '../../src/deps/lockfile-walk.js';
import type { Copies } from '../../src/deps/text-blocks.js';
import { GitRepoReader } from '../../src/git/reader.js';
import { readDependencySet } from '../../src/lockfiles/read.js';
import type { DependencySet, Ecosystem, Parsed } from '../../src/types.js';
import { versionScheme } from '../../src/versions/index.js';

// The check of a BlockSyntax's answer against the parser: the base's copies, less what the diff says was removed,
// plus what it says was added, must be exactly the new revision's; a revision that does not parse must never be
// decided from its diff.

export function copiesOfParse(parsed: Parsed<DependencySet>): Copies | undefined {
  if (!parsed.ok) return undefined;
  const copies: Copies = new Map();
  for (const p of parsed.value.packages) copies.set(p.name, [...(copies.get(p.name) ?? []), `${p.version}|${p.facts.integrity ?? ''}`]);
  return copies;
}

const sortedOf = (copies: Copies): Record<string, string[]> =>
  Object.fromEntries([...copies].filter(([, l]) => l.length > 0).map(([k, l]) => [k, [...l].sort()] as const).sort());

/** 'decided' when the diff gave an answer (and it is the parser's), 'undecided' when it left the revision to a parse. */
export function checkMoved(moved: { removed: Copies; added: Copies } | undefined, before: Copies | undefined, after: Copies | undefined): 'decided' | 'undecided' {
  if (!moved) return 'undecided';
  expect(after, 'a revision that does not parse was decided from its diff').toBeDefined();
  const copies = new Map([...(before as Copies)].map(([k, l]) => [k, [...l]]));
  for (const [name, list] of moved.removed) {
    const own = copies.get(name) ?? [];
    for (const state of list) {
      const at = own.indexOf(state);
      expect(at, `removed ${name} ${state} that the base does not hold`).toBeGreaterThanOrEqual(0);
      own.splice(at, 1);
    }
    copies.set(name, own);
  }
  for (const [name, list] of moved.added) copies.set(name, [...(copies.get(name) ?? []), ...list]);
  expect(sortedOf(copies)).toEqual(sortedOf(after as Copies));
  return 'decided';
}

/** A repository whose commits r0.. each write one revision of `path` (r0 tagged v1), then an unrelated commit tagged v2. */
export function lockfileHistory(path: string, revisions: readonly string[]): { repo: BuiltRepo; commits: HistoryCommit[] } {
  const commits: HistoryCommit[] = revisions.map((text, i) => ({ message: `r${i}`, files: { [path]: text }, ...(i === 0 ? { tag: 'v1' } : {}) }));
  commits.push({ message: 'end', files: { 'src/a.js': 'x\n' }, tag: 'v2' });
  return { repo: buildRepo({ commits }), commits };
}

/**
 * The reference the walk is held to: every revision of `path` in `commits` parsed in full (one that does not parse
 * keeps the states before it, a deletion empties them), fed to attributeChanges. Commit `i` is `shas[i]`; packages
 * that no commit moved are left out, and `only` keeps some of the changed packages.
 */
export function referenceAttribution(commits: readonly HistoryCommit[], path: string, shas: readonly string[],
  start: DependencySet, end: DependencySet, only?: ReadonlySet<string>): Record<string, string[]> {
  const changes = diffDependencySets(start, end).filter(c => !only || only.has(c.name));
  const names = changes.map(c => c.name);
  const revisions: { sha: string; states: Map<string, string> }[] = [];
  let previous = packageStates(start, names);
  for (const [i, commit] of commits.entries()) {
    if (i === 0 || !(path in commit.files)) continue;
    const text = commit.files[path];
    let states = new Map<string, string>();
    if (text !== null && text !== undefined) {
      try {
        states = packageStates(readDependencySet(text, path), names);
      } catch {
        states = previous;
      }
    }
    revisions.push({ sha: shas[i] as string, states });
    previous = states;
  }
  attributeChanges(changes, packageStates(start, names), revisions);
  return Object.fromEntries(changes.filter(c => c.commits.length > 0).map(c => [c.name, c.commits]));
}

/**
 * The lockfile walk over `revisions` (one commit each, then an unrelated commit tagged v2) against
 * referenceAttribution, without the blob cache, cold and warm.
 */
export async function expectWalkLikeParse(path: string, ecosystem: Ecosystem, revisions: readonly string[]): Promise<Record<string, string[]>> {
  const { repo, commits } = lockfileHistory(path, revisions);
  const reader = new GitRepoReader(repo.dir);
  try {
    const start = readDependencySet(revisions[0] as string, path);
    let last = start;
    for (const text of revisions) {
      try { last = readDependencySet(text, path); } catch { /* the states before it stand */ }
    }
    const names = diffDependencySets(start, last).map(c => c.name);
    const sorted = (r: Record<string, string[]>) => Object.fromEntries(Object.entries(r).filter(([, v]) => v.length > 0).sort());
    const normalize = versionScheme(ecosystem).normalizeName;
    const expected = sorted(Object.fromEntries(Object.entries(referenceAttribution(commits, path, repo.shas, start, last)).map(([name, shas]) => [normalize(name), shas])));
    const request = { from: repo.tags['v1'] as string, to: repo.tags['v2'] as string, path, ecosystem, names, start: [...packageStates(start, names)] };
    expect(sorted(await walkLockfile(reader, request))).toEqual(expected);
    const dir = await repositoryCacheDir(repo.dir) as string;
    expect(sorted(await walkLockfile(reader, request, openBlobCache(dir)))).toEqual(expected);
    expect(sorted(await walkLockfile(reader, request, openBlobCache(dir)))).toEqual(expected);
    return expected;
  } finally {
    reader.close();
    repo.cleanup();
  }
}
