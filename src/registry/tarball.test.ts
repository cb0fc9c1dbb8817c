import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTarball } from '../../test/helpers/registry-server.js';
import { readTarball, safeEntryPath } from './tarball.js';

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
