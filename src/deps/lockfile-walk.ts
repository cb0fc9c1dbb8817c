import { hashOf, noCache, type BlobCache } from '../cache/blob-cache.js';
import { detectFormat } from '../lockfiles/index.js';
import type { Ecosystem, LockfileFormat, RepoReader, Sha } from '../types.js';
import { relieveHeap } from '../util/memory.js';
import { versionScheme } from '../versions/index.js';
import { changedNpmBlocks, isNpmBlockBase } from './npm-blocks.js';
import { changedPnpmBlocks, isPnpmBlockBase } from './pnpm-blocks.js';
import type { Copies } from './text-blocks.js';
import { changedTomlBlocks } from './toml-blocks.js';
import { changedYarnBlocks } from './yarn-blocks.js';
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
  // The last revision's text, every package's copies and states in it, while a diff from it can stand for a parse.
  let base: { text: string; copies: Map<string, string[]>; states: Record<string, string> } | undefined;
  // The last revision's blob and every package's state in it, however they were found: a kept delta applies to it.
  let last: { blob: string; states: Record<string, string> } | undefined;
  for (let i = 0; i < history.length; i++) {
    const h = history[i] as { sha: Sha; blob: string | null };
    let current: PackageStates = new Map();
    if (h.blob) {
      // The path joins the key only when the format is told by content (a lockfiles.include file).
      const blobKey = `${format?.id ?? `content:${path}`}\0${request.ecosystem}\0${h.blob}`;
      const kept = cache.get(STATES, blobKey, isKeptStates);
      let all = statesOf(kept, last);
      let text: string | undefined;
      if (!all) {
        // Fetched only on a miss: a warm walk never reads the lockfile's revisions at all.
        for (let k = i; k < Math.min(history.length, i + PREFETCH); k++) fetch(k);
        text = (await pending.get(i))?.get(h.blob);
        if (text === undefined) whole = false; // a blob the store lacks today may be fetched tomorrow: the walk is not kept
      }
      const lockFormat = text === undefined ? undefined : format ?? detectFormat(path, text);
      const moved = base && text !== undefined ? changedBlocksOf(lockFormat, base.text, text) : undefined;
      const next = base && moved ? applyBlocks(base.copies, moved, normalize) : undefined;
      if (base && next) {
        // Only the blocks that changed were read; the other packages' states stand as they were. Every package's
        // state is kept, as a parse gives it, so that a walk of other refs (one push later) reads this revision too.
        const changed: Record<string, string | null> = Object.create(null) as Record<string, string | null>;
        for (const name of next.touched) {
          const list = next.copies.get(name) ?? [];
          changed[name] = list.length > 0 ? [...list].sort().join(',') : null;
        }
        const states = applyDelta(base.states, changed);
        // Kept as what changed since the revision before (a few entries, not every package's): a later walk through
        // the same two revisions applies it to the states it has just read, and else parses this revision. A blob
        // that already has a delta on another base (a revert brings it back after other revisions) is kept whole,
        // so the two places in history do not overwrite each other's base on every run.
        if (last && kept === undefined) cache.set(STATES, blobKey, { ok: true, base: last.blob, changed } satisfies KeptStates);
        else cache.set(STATES, blobKey, { ok: true, states } satisfies KeptStates);
        current = pick(states, wanted);
        base = { text: text as string, copies: next.copies, states };
        last = { blob: h.blob, states };
      } else {
        let lists: Map<string, string[]> | undefined;
        if (!all && text !== undefined) {
          const read = allStates(lockFormat, text, path);
          if (read) {
            all = read.states;
            lists = read.lists;
            cache.set(STATES, blobKey, all);
          }
        }
        // A revision that does not parse (a bad merge, fixed later) keeps the previous states: the next one decides.
        current = all && all.ok ? pick(all.states, wanted) : previous;
        base = all?.ok && lists && text !== undefined && isBlockBase(lockFormat, text) ? { text, copies: lists, states: all.states } : undefined;
        last = all?.ok ? { blob: h.blob, states: all.states } : undefined;
      }
    } else {
      base = undefined;
      last = undefined;
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

/** What the changed blocks of a revision held and hold, for the formats that text-blocks.ts can read. */
function changedBlocksOf(lockFormat: LockfileFormat | undefined, oldText: string, newText: string): { removed: Copies; added: Copies } | undefined {
  switch (lockFormat?.id) {
    // Both yarn formats read either generation (see lockfiles/index.ts); changedYarnBlocks refuses berry text.
    case 'yarn-classic': case 'yarn-berry': return changedYarnBlocks(oldText, newText);
    case 'npm-lock': return changedNpmBlocks(oldText, newText);
    case 'pnpm-lock': return changedPnpmBlocks(oldText, newText);
    case 'uv-lock': case 'poetry-lock': case 'cargo-lock': case 'pdm-lock': return changedTomlBlocks(lockFormat.id, oldText, newText);
    default: return undefined;
  }
}

/** Whether a parsed revision can be the base of the next one's diff (npm: only as npm lays the file out). */
function isBlockBase(lockFormat: LockfileFormat | undefined, text: string): boolean {
  switch (lockFormat?.id) {
    case 'yarn-classic': case 'yarn-berry': return true;
    case 'npm-lock': return isNpmBlockBase(text);
    case 'pnpm-lock': return isPnpmBlockBase(text);
    case 'uv-lock': case 'poetry-lock': case 'cargo-lock': case 'pdm-lock': return true;
    default: return false;
  }
}

/**
 * Every package's copies after a diff: each removed copy taken out of its package's list, each added one put
 * in. A removed copy that its package does not hold would mean the base is not what its blocks say: undefined, and
 * the revision is parsed.
 */
function applyBlocks(base: Map<string, string[]>, moved: { removed: Copies; added: Copies },
  normalize: (name: string) => string): { copies: Map<string, string[]>; touched: Set<string> } | undefined {
  const copies = new Map(base);
  const touched = new Set<string>();
  const own = (name: string): string[] => {
    if (!touched.has(name)) {
      touched.add(name);
      copies.set(name, [...(copies.get(name) ?? [])]);
    }
    return copies.get(name) as string[];
  };
  for (const [raw, states] of moved.removed) {
    const list = own(normalize(raw));
    for (const state of states) {
      const at = list.indexOf(state);
      if (at < 0) return undefined;
      list.splice(at, 1);
    }
  }
  for (const [raw, states] of moved.added) own(normalize(raw)).push(...states);
  return { copies, touched };
}

/** Every package's state in one revision (what the walk compares), or that the revision does not parse. */
type RevisionStates = { ok: true; states: Record<string, string> } | { ok: false };

/**
 * Computed for all packages, not only the changed ones, so that one cached revision serves any later walk. The same
 * strings as packageStates / packageStatesFromCopies with the names given: both filter by normalised name only.
 * `lists` holds every package's copies one by one, for the diff of the next revision.
 */
function allStates(lockFormat: LockfileFormat | undefined, text: string, path: string):
  { states: RevisionStates; lists?: Map<string, string[]> } | undefined {
  if (!lockFormat) return undefined;
  const normalize = versionScheme(lockFormat.ecosystem).normalizeName;
  const lists = new Map<string, string[]>();
  const keep = (raw: string, states: readonly string[]): void => {
    const name = normalize(raw);
    const list = lists.get(name);
    if (list) list.push(...states);
    else lists.set(name, [...states]);
  };
  const copies = lockFormat.states?.(text);
  if (copies) {
    for (const [name, list] of copies) keep(name, list);
    return { states: { ok: true, states: Object.fromEntries(packageStatesFromCopies(copies, lockFormat.ecosystem, [...copies.keys()])) }, lists };
  }
  const parsed = lockFormat.parse(text, path);
  if (!parsed.ok) return { states: { ok: false } };
  for (const p of parsed.value.packages) keep(p.name, [`${p.version}|${p.facts.integrity ?? ''}`]);
  return { states: { ok: true, states: Object.fromEntries(packageStates(parsed.value)) }, lists };
}

function pick(states: Record<string, string>, names: readonly string[]): PackageStates {
  const out: PackageStates = new Map();
  for (const name of names) {
    const state = Object.hasOwn(states, name) ? states[name] : undefined;
    if (state !== undefined) out.set(name, state);
  }
  return out;
}

/** A revision's states as kept: whole, or what changed since the revision `base` (a blob id) before it. */
type KeptStates = RevisionStates | { ok: true; base: string; changed: Record<string, string | null> };

/** The revision's states from what was kept, when a delta's base is the revision just read; else a miss. */
function statesOf(kept: KeptStates | undefined, known: { blob: string; states: Record<string, string> } | undefined): RevisionStates | undefined {
  if (kept === undefined || !kept.ok || 'states' in kept) return kept;
  return known?.blob === kept.base ? { ok: true, states: applyDelta(known.states, kept.changed) } : undefined;
}

/** `states` with each changed package's new state, or without it where the change is null. */
function applyDelta(states: Record<string, string>, changed: Record<string, string | null>): Record<string, string> {
  const out = { ...states };
  for (const name of Object.keys(changed)) {
    const state = changed[name];
    if (state === null || state === undefined) delete out[name];
    // defineProperty: a package named __proto__ is a key like any other, not the object's prototype.
    else Object.defineProperty(out, name, { value: state, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function isKeptStates(value: unknown): value is KeptStates {
  if (value === null || typeof value !== 'object') return false;
  const v = value as { ok?: unknown; states?: unknown; base?: unknown; changed?: unknown };
  if (v.ok === false) return Object.keys(v).length === 1;
  if (v.ok !== true) return false;
  if (typeof v.base === 'string') {
    return v.changed !== null && typeof v.changed === 'object' && !Array.isArray(v.changed)
      && Object.values(v.changed).every(s => s === null || typeof s === 'string');
  }
  if (v.states === null || typeof v.states !== 'object' || Array.isArray(v.states)) return false;
  return Object.values(v.states).every(s => typeof s === 'string');
}

function isWalkResult(value: unknown): value is WalkResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every(list => Array.isArray(list) && list.every(sha => typeof sha === 'string' && /^[0-9a-f]{40}$/.test(sha)));
}
