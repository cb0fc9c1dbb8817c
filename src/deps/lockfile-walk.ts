import { hashOf, noCache, type BlobCache } from '../cache/blob-cache.js';
import { detectFormat } from '../lockfiles/index.js';
import type { Ecosystem, LockfileFormat, RepoReader, Sha } from '../types.js';
import { relieveHeap } from '../util/memory.js';
import { versionScheme } from '../versions/index.js';
import { changedYarnPackages } from './yarn-blocks.js';
import { AttributionWalk, packageStates, packageStatesFromCopies, type PackageStates } from './attribute.js';

// Walks one lockfile's revisions between two refs and says which commits moved each changed package, from plain
// data in to plain data out. (A worker thread was measured: 20% faster on 200 revisions, but 25 MB over the memory
// target, so it stays on the main thread.)

export interface WalkRequest {
  from: Sha;
  to: Sha;
  path: string;
  ecosystem: Ecosystem;
  /** The changed packages' names. */
  names: string[];
  /** Their states at `from` (see packageStates). */
  start: [string, string][];
}

/** Normalised package name -> the commits that moved it, oldest first. */
export type WalkResult = Record<string, Sha[]>;
export type LockfileWalker = (request: WalkRequest) => Promise<WalkResult>;

/**
 * Heap growth between collections in the walk: each revision is a few MB of text, its diff and its parse, all
 * garbage by the next one. Measured on bench/far.js (230 revisions of a 1,500-package yarn.lock): 48 MB peaked at
 * 198 MB, 24 MB at 185 MB for 25% more CPU, 32 MB at 192-196 MB for the same CPU as 48.
 */
const WALK_HEAP_GROWTH = 32 * 1024 * 1024;
/** Lockfile revisions read ahead while the current one is parsed. */
const PREFETCH = 4;

/** Cache kinds: a whole walk by all its inputs, and one revision's states of every package by blob id. */
const WALK = 'lockfile-walk';
const STATES = 'lockfile-states';

export async function walkLockfile(reader: RepoReader, request: WalkRequest, cache: BlobCache = noCache): Promise<WalkResult> {
  const { path, names } = request;
  const history = await reader.fileHistory(request.from, request.to, path);
  const format = detectFormat(path, '');
  // The same refs again (a second run, a re-run of CI) cost one read; one more push reuses every revision but one.
  const walkKey = hashOf([path, format?.id ?? '', request.ecosystem, names, request.start, history]);
  const known = cache.get(WALK, walkKey, isWalkResult);
  if (known) return known;
  const normalize = versionScheme(request.ecosystem).normalizeName;
  const wanted = [...new Set(names.map(normalize))];
  const pending = new Map<number, Promise<Map<string, string | undefined>>>();
  const fetch = (i: number): void => {
    const blob = history[i]?.blob;
    if (blob && !pending.has(i)) pending.set(i, reader.readBlobs([blob]));
  };
  const walk = new AttributionWalk(names.map(name => ({ name, ecosystem: request.ecosystem })), new Map(request.start));
  // One revision at a time, keeping only the states of the changed packages: a lockfile with thousands of packages
  // and hundreds of revisions would otherwise hold every parsed version in memory at once.
  let previous: PackageStates = walk.start;
  let whole = true;
  const wantedSet = new Set(wanted);
  // The last revision's text while `previous` still holds what its blocks say of the changed packages.
  let previousText: string | undefined;
  const tries = new SkipTries();
  for (let i = 0; i < history.length; i++) {
    const h = history[i] as { sha: Sha; blob: string | null };
    let current: PackageStates = new Map();
    if (h.blob) {
      // The path joins the key only when the format is told by content (a lockfiles.include file).
      const blobKey = `${format?.id ?? `content:${path}`}\0${request.ecosystem}\0${h.blob}`;
      let all = cache.get(STATES, blobKey, isStates);
      let text: string | undefined;
      if (!all) {
        // Fetched only on a miss: a warm walk never reads the lockfile's revisions at all.
        for (let k = i; k < Math.min(history.length, i + PREFETCH); k++) fetch(k);
        text = (await pending.get(i))?.get(h.blob);
        if (text === undefined) whole = false; // a blob the store lacks today may be fetched tomorrow: the walk is not kept
      }
      const lockFormat = text === undefined ? undefined : format ?? detectFormat(path, text);
      const trying = !all && text !== undefined && previousText !== undefined && isYarn(lockFormat) && tries.worth(i);
      if (trying && tries.record(untouched(changedYarnPackages(previousText as string, text as string), wantedSet, normalize))) {
        // Only other packages' blocks changed: the changed packages stand as they were, with no parse.
        current = previous;
        previousText = text;
      } else {
        if (!all && text !== undefined) {
          all = allStates(lockFormat, text, path);
          if (all) cache.set(STATES, blobKey, all);
        }
        // A revision that does not parse (a bad merge, fixed later) keeps the previous states: the next one decides.
        current = all && all.ok ? pick(all.states, wanted) : previous;
        previousText = all?.ok ? text : undefined;
      }
    } else {
      previousText = undefined;
    }
    pending.delete(i);
    relieveHeap(WALK_HEAP_GROWTH);
    walk.step(h.sha, current);
    previous = current;
  }
  const result = walk.touchedByName();
  if (whole) cache.set(WALK, walkKey, result);
  return result;
}

/**
 * Whether a diff is worth trying: on far-apart releases nearly every package changed and every revision moves some
 * of them, so after a run of diffs that could not spare a parse, only every 16th revision tries again. Never changes
 * an answer, only how it is reached.
 */
class SkipTries {
  private misses = 0;
  worth(i: number): boolean {
    return this.misses < 8 || i % 16 === 0;
  }
  record(skipped: boolean): boolean {
    this.misses = skipped ? 0 : this.misses + 1;
    return skipped;
  }
}

/** Both yarn formats read either generation (see lockfiles/index.ts); changedYarnPackages refuses berry text. */
function isYarn(lockFormat: LockfileFormat | undefined): boolean {
  return lockFormat?.id === 'yarn-classic' || lockFormat?.id === 'yarn-berry';
}

/** Whether none of `changed` (undefined: the text could not tell) is a package the walk follows. */
function untouched(changed: Set<string> | undefined, wanted: ReadonlySet<string>, normalize: (name: string) => string): boolean {
  if (!changed) return false;
  for (const name of changed) if (wanted.has(normalize(name))) return false;
  return true;
}

/** Every package's state in one revision (what the walk compares), or that the revision does not parse. */
type RevisionStates = { ok: true; states: Record<string, string> } | { ok: false };

/**
 * Computed for all packages, not only the changed ones, so that one cached revision serves any later walk. The same
 * strings as packageStates / packageStatesFromCopies with the names given: both filter by normalised name only.
 */
function allStates(lockFormat: LockfileFormat | undefined, text: string, path: string): RevisionStates | undefined {
  if (!lockFormat) return undefined;
  const copies = lockFormat.states?.(text);
  if (copies) return { ok: true, states: Object.fromEntries(packageStatesFromCopies(copies, lockFormat.ecosystem, [...copies.keys()])) };
  const parsed = lockFormat.parse(text, path);
  return parsed.ok ? { ok: true, states: Object.fromEntries(packageStates(parsed.value)) } : { ok: false };
}

function pick(states: Record<string, string>, names: readonly string[]): PackageStates {
  const out: PackageStates = new Map();
  for (const name of names) {
    const state = Object.hasOwn(states, name) ? states[name] : undefined;
    if (state !== undefined) out.set(name, state);
  }
  return out;
}

function isStates(value: unknown): value is RevisionStates {
  if (value === null || typeof value !== 'object') return false;
  const v = value as { ok?: unknown; states?: unknown };
  if (v.ok === false) return Object.keys(v).length === 1;
  if (v.ok !== true || v.states === null || typeof v.states !== 'object' || Array.isArray(v.states)) return false;
  return Object.values(v.states).every(s => typeof s === 'string');
}

function isWalkResult(value: unknown): value is WalkResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every(list => Array.isArray(list) && list.every(sha => typeof sha === 'string' && /^[0-9a-f]{40}$/.test(sha)));
}
