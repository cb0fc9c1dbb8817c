import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { gitTextOrUndefined } from '../git/exec.js';
import { VERSION } from '../version.js';

// What reldiff computed from a blob (a lockfile revision's package states, a whole attribution walk) is the same
// every time that blob is read again by the same reldiff: a PR bot reading the same history on every push keeps it
// here instead of parsing it again. Keyed by content (blob ids, or a hash of every input), reldiff's version and
// this file's layout, so an entry can never answer for other inputs. Entries are gzip'd JSON written to a temporary
// name and renamed into place (two concurrent runs see a whole entry or none); an entry that does not read back
// whole, with its own key inside, is treated as absent: the cache can make a run slower, never wrong.

/** Bumped when the layout or the meaning of a kind changes: old entries are then never read. */
const LAYOUT = 1;
/** Past this many bytes on disk, the entries written longest ago go first. */
export const DEFAULT_MAX_BYTES = 128 * 1024 * 1024;

export interface BlobCache {
  /** The value stored under `kind`/`key`, when it is whole and `accept` recognises it. */
  get<T>(kind: string, key: string, accept: (value: unknown) => value is T): T | undefined;
  set(kind: string, key: string, value: unknown): void;
  /** Keeps the cache within its size bound; call once at the end of a run. */
  close(): void;
}

/** A cache that keeps nothing (`--no-cache`, or no writable place for one). */
export const noCache: BlobCache = { get: () => undefined, set: () => {}, close: () => {} };

interface Entry { layout: number; version: string; kind: string; key: string; value: unknown }

export function openBlobCache(dir: string, options: { maxBytes?: number; version?: string } = {}): BlobCache {
  const version = options.version ?? VERSION;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let wrote = false;
  let broken = false;
  // Hundreds of entries in a cold run: each shard folder is made once, and temporary names share one random part.
  const made = new Set<string>();
  const tempPrefix = `${process.pid}.${randomBytes(4).toString('hex')}`;
  let written = 0;
  const fileOf = (kind: string, key: string): string => {
    const id = createHash('sha256').update(`${LAYOUT}\0${version}\0${kind}\0${key}`).digest('hex');
    return join(dir, id.slice(0, 2), `${id.slice(2)}.json.gz`);
  };
  return {
    get<T>(kind: string, key: string, accept: (value: unknown) => value is T): T | undefined {
      const file = fileOf(kind, key);
      let entry: Entry;
      try {
        entry = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as Entry;
      } catch {
        return undefined; // absent, cut short or not ours: computed again and rewritten
      }
      if (entry === null || typeof entry !== 'object' || entry.layout !== LAYOUT || entry.version !== version
        || entry.kind !== kind || entry.key !== key || !accept(entry.value)) return undefined;
      return entry.value;
    },
    set(kind: string, key: string, value: unknown): void {
      if (broken) return;
      const file = fileOf(kind, key);
      const temp = `${file}.${tempPrefix}.${written++}.tmp`;
      try {
        const shard = join(file, '..');
        if (!made.has(shard)) {
          mkdirSync(shard, { recursive: true });
          made.add(shard);
        }
        const entry: Entry = { layout: LAYOUT, version, kind, key, value };
        writeFileSync(temp, gzipSync(JSON.stringify(entry), { level: 1 }));
        renameSync(temp, file);
        wrote = true;
      } catch {
        // A read-only or full disk: the run goes on without the cache rather than failing.
        broken = true;
        try { unlinkSync(temp); } catch { /* never written */ }
      }
    },
    close(): void {
      if (wrote) prune(dir, maxBytes);
    },
  };
}

/** Deletes the entries written longest ago (and stale temporary files) until the cache holds at most 80% of `maxBytes`. */
export function prune(dir: string, maxBytes: number): void {
  const files: { path: string; size: number; mtime: number }[] = [];
  let total = 0;
  let shards: string[];
  try {
    shards = readdirSync(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const shard of shards) {
    let names: string[];
    try {
      names = readdirSync(join(dir, shard));
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(dir, shard, name);
      try {
        const s = statSync(path);
        // A temporary file an hour old belongs to a run that died before its rename.
        if (name.endsWith('.tmp')) {
          if (now - s.mtimeMs > 3_600_000) rmSync(path, { force: true });
          continue;
        }
        files.push({ path, size: s.size, mtime: s.mtimeMs });
        total += s.size;
      } catch { /* removed by a concurrent run */ }
    }
  }
  if (total <= maxBytes) return;
  files.sort((a, b) => a.mtime - b.mtime || (a.path < b.path ? -1 : 1));
  for (const f of files) {
    if (total <= maxBytes * 0.8) break;
    rmSync(f.path, { force: true });
    total -= f.size;
  }
}

/** `<git dir>/reldiff-cache`, shared by the worktrees of one repository; undefined outside git. */
export async function repositoryCacheDir(root: string): Promise<string | undefined> {
  const out = (await gitTextOrUndefined(root, ['rev-parse', '--git-common-dir']))?.trim();
  if (!out) return undefined;
  return join(isAbsolute(out) ? out : resolve(root, out), 'reldiff-cache');
}

/** A stable hash of plain data, for keys made of many inputs. */
export function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
