import { detectFormat } from '../lockfiles/index.js';
import type { Ecosystem, RepoReader, Sha } from '../types.js';
import { relieveHeap } from '../util/memory.js';
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

/** Lockfile revisions read ahead while the current one is parsed. */
const PREFETCH = 4;

export async function walkLockfile(reader: RepoReader, request: WalkRequest): Promise<WalkResult> {
  const { path, names } = request;
  const history = await reader.fileHistory(request.from, request.to, path);
  const format = detectFormat(path, '');
  const pending = new Map<number, Promise<Map<string, string | undefined>>>();
  const fetch = (i: number): void => {
    const blob = history[i]?.blob;
    if (blob && !pending.has(i)) pending.set(i, reader.readBlobs([blob]));
  };
  const walk = new AttributionWalk(names.map(name => ({ name, ecosystem: request.ecosystem })), new Map(request.start));
  // One revision at a time, keeping only the states of the changed packages: a lockfile with thousands of packages
  // and hundreds of revisions would otherwise hold every parsed version in memory at once.
  let previous: PackageStates = walk.start;
  for (let i = 0; i < history.length; i++) {
    for (let k = i; k < Math.min(history.length, i + PREFETCH); k++) fetch(k);
    const h = history[i] as { sha: Sha; blob: string | null };
    let current: PackageStates = new Map();
    if (h.blob) {
      const text = (await pending.get(i))?.get(h.blob);
      const lockFormat = text !== undefined ? format ?? detectFormat(path, text) : undefined;
      const copies = text !== undefined ? lockFormat?.states?.(text) : undefined;
      if (copies && lockFormat) current = packageStatesFromCopies(copies, lockFormat.ecosystem, names);
      else {
        const parsed = text !== undefined ? lockFormat?.parse(text, path) : undefined;
        // A revision that does not parse (a bad merge, fixed later) keeps the previous states: the next one decides.
        current = parsed?.ok ? packageStates(parsed.value, names) : previous;
      }
    }
    pending.delete(i);
    relieveHeap();
    walk.step(h.sha, current);
    previous = current;
  }
  return walk.touchedByName();
}
