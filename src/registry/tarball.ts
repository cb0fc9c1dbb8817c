import { posix } from 'node:path';
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

export interface TarLimits { maxFileBytes: number; maxTotalBytes: number }
export const DEFAULT_TAR_LIMITS: TarLimits = { maxFileBytes: 512 * 1024, maxTotalBytes: 64 * 1024 * 1024 };

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

export function readTarball(data: Buffer, limits: TarLimits = DEFAULT_TAR_LIMITS): Promise<PackageTree> {
  const tree: PackageTree = { files: new Map(), sizes: new Map(), refused: [] };
  let total = 0;
  let entries = 0;
  let warning: string | undefined;
  return new Promise((resolve, reject) => {
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
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        entry.on('end', () => tree.files.set(path, Buffer.concat(chunks).toString('utf8')));
      },
    });
    parser.on('error', (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))));
    parser.on('warn', (code: unknown, message: unknown) => { warning ??= `${String(code)}: ${String(message)}`; });
    parser.on('end', () => {
      if (entries === 0 && warning) {
        reject(new Error(`not a readable tarball (${warning})`));
        return;
      }
      tree.refused.sort();
      resolve(tree);
    });
    parser.end(data);
  });
}
