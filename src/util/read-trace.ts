import { createRequire, syncBuiltinESMExports } from 'node:module';

// Which files and folders a run looked at on disk, and how each one stood when it was first looked at: the inputs of
// a run besides its git objects and its environment. cli/replay.ts keeps a run's output under these stamps and
// serves it again only while every one of them is unchanged. Traced at the edge, on node's own fs functions, so
// that a read added anywhere later is traced too: a list kept by hand would miss it, and a missed input would be a
// stale answer.

/** How a path stood: its inode, size and change times (nanoseconds), or that it did not exist. */
export type Stamp = string;

// node's own fs objects: the ES module namespaces of node:fs cannot be written to.
const require = createRequire(import.meta.url);
const fs = require('node:fs') as Record<string, unknown>;
const fsp = require('node:fs/promises') as Record<string, unknown>;
/** node's statSync as it was before any trace: a stamp taken through the traced one would trace itself. */
const statSync = fs['statSync'] as typeof import('node:fs').statSync;

export function stampOf(path: string): Stamp {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.isDirectory() ? 'd' : 'f'}:${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch (error) {
    return `missing:${(error as NodeJS.ErrnoException).code ?? 'error'}`;
  }
}

/** The fs functions that read a path given as their first argument. */
const SYNC = ['readFileSync', 'existsSync', 'statSync', 'lstatSync', 'readdirSync', 'openSync', 'accessSync', 'realpathSync', 'createReadStream', 'readFile', 'stat', 'lstat', 'readdir', 'open', 'access'] as const;
const PROMISES = ['readFile', 'stat', 'lstat', 'readdir', 'open', 'access', 'realpath', 'opendir'] as const;

export interface ReadTrace {
  /** Every path looked at (absolute), with its stamp taken just before the first look; sorted. */
  stamps(): [string, Stamp][];
  /** Puts node's fs functions back. */
  stop(): void;
}

/**
 * Traces every path the process reads through node:fs from now on, except those `isIgnored` says carry no input
 * (reldiff's own code, the blob cache). The stamp comes before the read: a file that changes during the run is
 * stamped as it was, so a later run sees a difference and computes again.
 */
export function traceReads(resolvePath: (path: string) => string, isIgnored: (path: string) => boolean): ReadTrace {
  const seen = new Map<string, Stamp>();
  const note = (path: unknown): void => {
    if (typeof path !== 'string' && !(path instanceof URL) && !Buffer.isBuffer(path)) return; // a file descriptor
    const absolute = resolvePath(path instanceof URL ? path.pathname : String(path));
    if (!seen.has(absolute) && !isIgnored(absolute)) seen.set(absolute, stampOf(absolute));
  };
  const restore: (() => void)[] = [];
  const wrap = (target: Record<string, unknown>, name: string): void => {
    const original = target[name];
    if (typeof original !== 'function') return;
    const traced = function (this: unknown, ...args: unknown[]): unknown {
      note(args[0]);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
    target[name] = traced;
    restore.push(() => { target[name] = original; });
  };
  for (const name of SYNC) wrap(fs, name);
  for (const name of PROMISES) wrap(fsp, name);
  // `import { readFile } from 'node:fs/promises'` binds to the exports, which follow the object only when told.
  syncBuiltinESMExports();
  return {
    stamps: () => [...seen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    stop(): void {
      for (const undo of restore) undo();
      syncBuiltinESMExports();
    },
  };
}
