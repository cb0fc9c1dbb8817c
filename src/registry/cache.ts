import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

// reldiff's own cache, not npm's cacache: entries are small, already trimmed JSON files, so a warm run is one
// readFile + JSON.parse per package and nothing else.

/** `$XDG_CACHE_HOME/reldiff`, else `~/.cache/reldiff`; an explicit directory wins. */
export function resolveCacheDir(env: Record<string, string | undefined>, override?: string): string {
  if (override) return override;
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg) return join(xdg, 'reldiff');
  return join(env['HOME'] ?? homedir(), '.cache', 'reldiff');
}

/** A file name that is safe on every platform and cannot climb out of its folder. */
export function cacheKey(key: string): string {
  const readable = key.replace(/[^a-zA-Z0-9._-]+/g, '_').replace(/^\.+/, '_').slice(0, 80);
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 12);
  return `${readable}-${hash}`;
}

/** The folder for one registry origin, so that a private and a public package of one name never mix. */
export function originFolder(url: string): string {
  return cacheKey(url.replace(/^[a-z]+:\/\/(?:[^@/]+@)?/i, '').replace(/\/+$/, ''));
}

export class DiskCache {
  /**
   * The file names of each namespace folder, listed once: an --offline run asks for thousands of packages the cache
   * mostly lacks, and a failed open per package cost more than everything else the warm run read. A name this run
   * writes is added; one a concurrent run writes meanwhile is a miss, as if it had come a moment later.
   */
  private readonly listed = new Map<string, Promise<Set<string>>>();

  constructor(readonly dir: string) {}

  private names(namespace: string): Promise<Set<string>> {
    let names = this.listed.get(namespace);
    if (!names) {
      names = readdir(join(this.dir, namespace)).then(list => new Set(list), () => new Set<string>());
      this.listed.set(namespace, names);
    }
    return names;
  }

  path(namespace: string, key: string, ext: string): string {
    return join(this.dir, namespace, `${cacheKey(key)}.${ext}`);
  }

  async readJson(namespace: string, key: string): Promise<unknown> {
    const buffer = await this.readBuffer(namespace, key, 'json');
    if (buffer === undefined) return undefined;
    try {
      return JSON.parse(buffer.toString('utf8')) as unknown;
    } catch {
      return undefined;
    }
  }

  async writeJson(namespace: string, key: string, value: unknown): Promise<void> {
    await this.writeBuffer(namespace, key, 'json', Buffer.from(JSON.stringify(value)));
  }

  async readBuffer(namespace: string, key: string, ext: string): Promise<Buffer | undefined> {
    const names = await this.names(namespace);
    // An empty folder needs no file name worked out (a hash per package).
    if (names.size === 0 || !names.has(`${cacheKey(key)}.${ext}`)) return undefined;
    try {
      return await readFile(this.path(namespace, key, ext));
    } catch {
      return undefined;
    }
  }

  /** Writes beside the target and renames, so that a parallel run never reads half a file. A failed write is only a miss later. */
  async writeBuffer(namespace: string, key: string, ext: string, data: Buffer): Promise<void> {
    const target = this.path(namespace, key, ext);
    const temp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(temp, data);
      await rename(temp, target);
      (await this.names(namespace)).add(`${cacheKey(key)}.${ext}`);
    } catch {
      // A read-only or full cache must not fail the analysis.
    }
  }
}
