import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { buildRepo } from '../demo/build-repo.js';
import { openBlobCache, prune, repositoryCacheDir } from './blob-cache.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'reldiff-blob-cache-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every(n => typeof n === 'number');

function entryFiles(dir: string): string[] {
  return readdirSync(dir).flatMap(shard => readdirSync(join(dir, shard)).map(name => join(dir, shard, name)));
}

describe('the blob cache', () => {
  it('gives back what an earlier run kept, to a later run of the same version', () => {
    const dir = tempDir();
    const first = openBlobCache(dir, { version: '1.0.0' });
    expect(first.get('k', 'a', isNumbers)).toBeUndefined();
    first.set('k', 'a', [1, 2, 3]);
    first.close();
    const second = openBlobCache(dir, { version: '1.0.0' });
    expect(second.get('k', 'a', isNumbers)).toEqual([1, 2, 3]);
    expect(second.get('k', 'b', isNumbers)).toBeUndefined();
    expect(second.get('other', 'a', isNumbers)).toBeUndefined();
    // Another reldiff version never reads it: its parsers may say something else.
    expect(openBlobCache(dir, { version: '1.0.1' }).get('k', 'a', isNumbers)).toBeUndefined();
    // Nothing left under a temporary name.
    expect(entryFiles(dir).filter(f => f.endsWith('.tmp'))).toEqual([]);
  });

  it('ignores an entry that is cut short, not gzip, of another key or of the wrong shape', () => {
    const dir = tempDir();
    const cache = openBlobCache(dir, { version: '1.0.0' });
    cache.set('k', 'a', [1, 2, 3]);
    const [file] = entryFiles(dir);
    if (!file) throw new Error('no entry written');
    const whole = readFileSync(file);
    writeFileSync(file, whole.subarray(0, whole.length - 5));
    expect(cache.get('k', 'a', isNumbers)).toBeUndefined();
    writeFileSync(file, 'not gzip at all');
    expect(cache.get('k', 'a', isNumbers)).toBeUndefined();
    writeFileSync(file, gzipSync(JSON.stringify({ layout: 1, version: '1.0.0', kind: 'k', key: 'b', value: [9] })));
    expect(cache.get('k', 'a', isNumbers)).toBeUndefined();
    writeFileSync(file, gzipSync(JSON.stringify({ layout: 1, version: '1.0.0', kind: 'k', key: 'a', value: ['x'] })));
    expect(cache.get('k', 'a', isNumbers)).toBeUndefined();
    writeFileSync(file, gzipSync('null'));
    expect(cache.get('k', 'a', isNumbers)).toBeUndefined();
    // Written again, it reads again.
    cache.set('k', 'a', [4]);
    expect(cache.get('k', 'a', isNumbers)).toEqual([4]);
  });

  it('goes on without keeping anything where it cannot write', () => {
    const dir = tempDir();
    const blocked = join(dir, 'file');
    writeFileSync(blocked, 'a file where the cache folder would be');
    const cache = openBlobCache(blocked, { version: '1.0.0' });
    expect(() => cache.set('k', 'a', [1])).not.toThrow();
    expect(cache.get('k', 'a', isNumbers)).toBeUndefined();
    expect(() => cache.close()).not.toThrow();
  });

  it('stays within its size bound, dropping the entries written longest ago', () => {
    const dir = tempDir();
    const cache = openBlobCache(dir, { version: '1.0.0' });
    for (let i = 0; i < 12; i++) cache.set('k', `e${i}`, Array.from({ length: 5_000 }, (_, n) => (n * 7919 + i) % 1_000_003));
    const files = entryFiles(dir);
    expect(files).toHaveLength(12);
    // Each entry its own age, e0 the oldest.
    for (const f of files) {
      const { key } = JSON.parse(gunzipSync(readFileSync(f)).toString('utf8')) as { key: string };
      const when = new Date(Date.now() - (12 - Number(key.slice(1))) * 60_000);
      utimesSync(f, when, when);
    }
    const total = files.reduce((a, f) => a + statSync(f).size, 0);
    prune(dir, total);
    expect(entryFiles(dir)).toHaveLength(12); // within the bound: nothing goes
    prune(dir, total / 2);
    const left = entryFiles(dir);
    expect(left.reduce((a, f) => a + statSync(f).size, 0)).toBeLessThanOrEqual(total * 0.4);
    expect(left.length).toBeGreaterThan(0);
    expect(cache.get('k', 'e0', isNumbers)).toBeUndefined();
    expect(cache.get('k', 'e11', isNumbers)?.[0]).toBe(11);
  });

  it('lives in the git directory shared by the worktrees', async () => {
    const repo = buildRepo({ commits: [{ message: 'one', files: { 'a.txt': 'a\n' } }] });
    try {
      expect(await repositoryCacheDir(repo.dir)).toBe(join(repo.dir, '.git', 'reldiff-cache'));
      expect(await repositoryCacheDir(tempDir())).toBeUndefined();
    } finally {
      repo.cleanup();
    }
  });
});
