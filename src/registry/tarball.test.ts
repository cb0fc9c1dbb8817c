import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zeroBomb } from '../../test/helpers/gzip-bomb.js';
import { buildTarball } from '../../test/helpers/registry-server.js';
import { readTarball, safeEntryPath, TarballTooLarge } from './tarball.js';

describe('safeEntryPath', () => {
  it.each([
    ['package/index.js', 'index.js'], ['package/lib/./a.js', 'lib/a.js'], ['package/../x', undefined], ['../../etc/passwd', undefined],
    ['/etc/passwd', undefined], ['C:\\evil', undefined], ['package/', undefined], ['package\\..\\..\\x', undefined],
  ])('%s -> %s', (raw, expected) => expect(safeEntryPath(raw)).toBe(expected));
});

describe('readTarball', () => {
  it('reads files under package/ into memory', async () => {
    const tree = await readTarball(await buildTarball({ 'package/package.json': '{}', 'package/lib/a.js': 'module.exports = 1\n' }));
    expect([...tree.files.keys()].sort()).toEqual(['lib/a.js', 'package.json']);
    expect(tree.files.get('lib/a.js')).toBe('module.exports = 1\n');
    expect(tree.refused).toEqual([]);
  });

  it('refuses traversal, absolute paths and symlinks, and writes nothing anywhere', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'reldiff-outside-'));
    try {
      const data = await buildTarball(
        { 'package/index.js': 'ok\n', '../../evil.js': 'pwned\n', [join(outside, 'abs.js')]: 'pwned\n' },
        { 'package/link': '/etc/passwd' },
      );
      await rm(join(outside, 'abs.js'));
      const tree = await readTarball(data);
      expect([...tree.files.keys()]).toEqual(['index.js']);
      expect(tree.refused).toHaveLength(3);
      expect(tree.refused.join('\n')).toMatch(/evil\.js/);
      expect(tree.refused.join('\n')).toMatch(/SymbolicLink package\/link/);
      expect(await readdir(outside)).toEqual([]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('rejects a file that is not a tarball', async () => {
    await expect(readTarball(Buffer.from('not a tarball at all, just text'.repeat(40)))).rejects.toThrow();
  });
});

describe('readTarball against a gzip bomb', () => {
  // Inflating all 300 MB would outlast the test's timeout; the suite asserts no timings.
  it('stops inflating at the default limit (256 MB actually read), without holding it, and says why', async () => {
    const data = await zeroBomb(300 * 1024 * 1024, { 'package/index.js': 'x\n' });
    expect(data.length).toBeLessThan(1024 * 1024);
    const before = process.memoryUsage().rss;
    const error = await readTarball(data).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TarballTooLarge);
    expect((error as Error).message).toBe('the tarball unpacks to more than 256 MB (a gzip bomb or an unusually large package); stopped reading there');
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  }, 30_000);

  it('counts the bytes inflated, not the sizes declared: a lower limit stops an 8 MB entry, and a tarball under it reads', async () => {
    const bomb = await zeroBomb(8 * 1024 * 1024);
    await expect(readTarball(bomb, { maxUnpackedBytes: 1024 * 1024 })).rejects.toBeInstanceOf(TarballTooLarge);
    const small = await zeroBomb(100 * 1024, { 'package/index.js': 'module.exports = 1\n' });
    const tree = await readTarball(small, { maxUnpackedBytes: 1024 * 1024, maxFileBytes: 1024 });
    expect(tree.files.get('index.js')).toBe('module.exports = 1\n');
    expect(tree.files.has('big.bin')).toBe(false);
    expect(tree.sizes.get('big.bin')).toBe(100 * 1024);
  });
});
