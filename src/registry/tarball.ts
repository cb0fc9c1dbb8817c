import { posix } from 'node:path';
import { createGunzip } from 'node:zlib';
import { Parser } from 'tar';
import type { ReadEntry } from 'tar';

// Tarballs are read into memory, never unpacked to disk: an entry like `../../etc/x`, an absolute path or a
// symlink can then not write anywhere at all. The unsafe entries are still refused by name, and reported.

export interface PackageTree {
  /** Text of each regular file (path without the leading `package/`), up to `maxFileBytes`. */
  files: Map<string, string>;
  /** Every regular file's size, including the ones too large to keep. */
  sizes: Map<string, number>;
  /** Entries refused: path traversal, absolute paths, links, devices. */
  refused: string[];
}

/**
 * `maxFileBytes` and `maxTotalBytes` bound what is kept as text; `maxUnpackedBytes` bounds what is decompressed at
 * all, counted on the bytes gunzip really produces (a tar header's declared size can say anything): a 6 MB gzip can
 * hold a 6 GB entry, and skipping an entry still means inflating it.
 */
export interface TarLimits { maxFileBytes: number; maxTotalBytes: number; maxUnpackedBytes: number }
export const DEFAULT_TAR_LIMITS: TarLimits = { maxFileBytes: 512 * 1024, maxTotalBytes: 64 * 1024 * 1024, maxUnpackedBytes: 256 * 1024 * 1024 };

/** A tarball that unpacks to more than the limit: reading stopped there, and the package is not deep-scanned. */
export class TarballTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the tarball unpacks to more than ${Math.round(limit / (1024 * 1024))} MB (a gzip bomb or an unusually large package); stopped reading there`);
    this.name = 'TarballTooLarge';
  }
}

const isGzip = (data: Buffer): boolean => data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;

/** A safe relative path inside the package, or undefined when the entry must be refused. */
export function safeEntryPath(raw: string): string | undefined {
  if (raw.includes('\0') || /^([a-zA-Z]:|[\\/])/.test(raw)) return undefined;
  const parts = raw.replace(/\\/g, '/').split('/');
  if (parts.some(p => p === '..')) return undefined;
  const inner = parts.slice(1).filter(p => p !== '' && p !== '.');
  if (inner.length === 0) return undefined;
  const normal = posix.normalize(inner.join('/'));
  return normal.startsWith('..') || normal.startsWith('/') ? undefined : normal;
}

export function readTarball(data: Buffer, partial: Partial<TarLimits> = {}): Promise<PackageTree> {
  const limits: TarLimits = { ...DEFAULT_TAR_LIMITS, ...partial };
  const tree: PackageTree = { files: new Map(), sizes: new Map(), refused: [] };
  let total = 0;
  let entries = 0;
  let warning: string | undefined;
  return new Promise((resolve, reject) => {
    let isDone = false;
    const fail = (error: Error): void => {
      if (isDone) return;
      isDone = true;
      reject(error);
    };
    const parser = new Parser({
      strict: false,
      onReadEntry: (entry: ReadEntry) => {
        entries++;
        const path = safeEntryPath(entry.path);
        const isFile = entry.type === 'File' || entry.type === 'OldFile' || entry.type === 'ContiguousFile';
        if (!isFile || path === undefined) {
          if (entry.type !== 'Directory' || path === undefined) tree.refused.push(`${entry.type} ${entry.path}`);
          entry.resume();
          return;
        }
        const size = entry.size ?? 0;
        tree.sizes.set(path, size);
        if (size > limits.maxFileBytes || total + size > limits.maxTotalBytes) {
          entry.resume();
          return;
        }
        total += size;
        const chunks: Buffer[] = [];
        // Counted as read, not as declared: past the limit the entry is dropped, never buffered whole.
        let read = 0;
        entry.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read <= limits.maxFileBytes) chunks.push(chunk);
          else chunks.length = 0;
        });
        entry.on('end', () => { if (read <= limits.maxFileBytes) tree.files.set(path, Buffer.concat(chunks).toString('utf8')); });
      },
    });
    parser.on('error', (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))));
    parser.on('warn', (code: unknown, message: unknown) => { warning ??= `${String(code)}: ${String(message)}`; });
    parser.on('end', () => {
      if (isDone) return;
      if (entries === 0 && warning) {
        fail(new Error(`not a readable tarball (${warning})`));
        return;
      }
      isDone = true;
      tree.refused.sort();
      resolve(tree);
    });
    if (!isGzip(data)) {
      // A plain tar is no larger unpacked than it is now.
      parser.end(data);
      return;
    }
    // Gunzip here, not inside tar's parser, so that every byte inflated is counted and reading can stop early.
    const gunzip = createGunzip({ chunkSize: 256 * 1024 });
    let unpacked = 0;
    gunzip.on('data', (chunk: Buffer) => {
      if (isDone) return;
      unpacked += chunk.length;
      if (unpacked > limits.maxUnpackedBytes) {
        gunzip.destroy();
        fail(new TarballTooLarge(limits.maxUnpackedBytes));
        return;
      }
      parser.write(chunk);
    });
    gunzip.on('end', () => parser.end());
    gunzip.on('error', (error: Error) => fail(new Error(`not a readable tarball (${error.message})`)));
    gunzip.end(data);
  });
}
