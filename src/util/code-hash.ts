import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// reldiff's version stays the same between builds of a working copy, so a cache whose entries some code computes
// keys them by a hash of that code too: an entry made by other code would be a wrong answer, not a slow one.
// Files are named relative to the source root (src/, or dist/ when built), so a checkout moved elsewhere keeps its caches.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The extension of reldiff's own modules as they run: .ts under vitest, .js when built. */
const EXT = import.meta.url.endsWith('.ts') ? 'ts' : 'js';

/** A module of the source root by its extensionless path (`risk/path-kind`). */
export const moduleFile = (path: string): string => `${path}.${EXT}`;

/** Every module in a folder of the source root (tests and declarations left out), sorted; none when it cannot be read. */
export function modulesIn(folder: string): string[] {
  try {
    return readdirSync(join(ROOT, folder)).filter(n => /\.(js|ts)$/.test(n) && !/\.test\.|\.d\.ts$/.test(n)).sort().map(n => `${folder}/${n}`);
  } catch {
    return [];
  }
}

/** The hash of the files' names and contents, paths relative to the source root; an unreadable file is hashed as such. */
export function hashCode(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    try {
      hash.update(`${file}\0`).update(readFileSync(join(ROOT, file))).update('\0');
    } catch {
      hash.update(`${file} unreadable\0`);
    }
  }
  return hash.digest('hex');
}
