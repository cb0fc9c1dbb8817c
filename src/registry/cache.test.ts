import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskCache } from './cache.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'reldiff-disk-cache-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('the registry disk cache', () => {
  it('reads what an earlier run wrote, and what this run wrote, in every namespace', async () => {
    const dir = tempDir();
    const earlier = new DiskCache(dir);
    await earlier.writeJson('npm/registry.npmjs.org', '@scope/pkg', { a: 1 });
    await earlier.writeBuffer('tarball/registry.npmjs.org', 'pkg@1.0.0', 'tgz', Buffer.from('tgz bytes'));
    const cache = new DiskCache(dir);
    expect(await cache.readJson('npm/registry.npmjs.org', '@scope/pkg')).toEqual({ a: 1 });
    expect(await cache.readJson('npm/registry.npmjs.org', 'other')).toBeUndefined();
    expect((await cache.readBuffer('tarball/registry.npmjs.org', 'pkg@1.0.0', 'tgz'))?.toString()).toBe('tgz bytes');
    expect(await cache.readBuffer('tarball/registry.npmjs.org', 'pkg@1.0.0', 'json')).toBeUndefined();
    // Written after the folder was listed: read back in the same run.
    await cache.writeJson('npm/registry.npmjs.org', 'other', { b: 2 });
    expect(await cache.readJson('npm/registry.npmjs.org', 'other')).toEqual({ b: 2 });
    // A namespace whose folder did not exist when first asked.
    expect(await cache.readJson('pypi/pypi.org', 'requests')).toBeUndefined();
    await cache.writeJson('pypi/pypi.org', 'requests', { c: 3 });
    expect(await cache.readJson('pypi/pypi.org', 'requests')).toEqual({ c: 3 });
  });

  it('lists each folder once: a file that appears later in a folder already listed is a miss until the next run', async () => {
    const dir = tempDir();
    const cache = new DiskCache(dir);
    expect(await cache.readJson('npm/r', 'a')).toBeUndefined();
    const planted = cache.path('npm/r', 'a', 'json');
    mkdirSync(dirname(planted), { recursive: true });
    writeFileSync(planted, '{"late":true}');
    expect(await cache.readJson('npm/r', 'a')).toBeUndefined();
    expect(await new DiskCache(dir).readJson('npm/r', 'a')).toEqual({ late: true });
  });

  it('treats a listed file that is gone or not JSON as absent', async () => {
    const dir = tempDir();
    await new DiskCache(dir).writeJson('npm/r', 'a', { a: 1 });
    const cache = new DiskCache(dir);
    writeFileSync(cache.path('npm/r', 'a', 'json'), '{"cut');
    expect(await cache.readJson('npm/r', 'a')).toBeUndefined();
    const other = new DiskCache(dir);
    expect(await other.readJson('npm/r', 'zzz')).toBeUndefined(); // lists the folder
    rmSync(cache.path('npm/r', 'a', 'json'));
    expect(await other.readJson('npm/r', 'a')).toBeUndefined();
  });
});
