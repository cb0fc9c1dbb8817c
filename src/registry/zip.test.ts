import { describe, expect, it } from 'vitest';
import { buildWheel, lieAboutSize } from '../../test/helpers/fake-pypi.js';
import { readZip, safeZipPath, ZipUnreadable } from './zip.js';

describe('readZip on wheels built by Python zipfile', () => {
  it('reads a pure wheel in memory, every path relative to the wheel root', () => {
    const wheel = buildWheel('pool', '1.0.0', { 'pool/__init__.py': 'CACHE = {}\n', 'pool/_speedups.c': 'int x;\n' });
    const tree = readZip(wheel);
    expect([...tree.files.keys()].sort()).toEqual(['pool-1.0.0.dist-info/METADATA', 'pool-1.0.0.dist-info/WHEEL', 'pool/__init__.py', 'pool/_speedups.c']);
    expect(tree.files.get('pool/__init__.py')).toBe('CACHE = {}\n');
    expect(tree.sizes.get('pool/_speedups.c')).toBe(7);
    expect(tree.refused).toEqual([]);
  });

  it('refuses path traversal, absolute paths and symbolic links by name, and keeps the rest', () => {
    const wheel = buildWheel('evil', '1.0.0', { 'evil/__init__.py': 'x = 1\n' }, [
      { name: '../../etc/cron.d/x', text: 'boom' }, { name: '/abs.py', text: 'boom' }, { name: 'evil/link.py', text: '/etc/passwd', symlink: true },
    ]);
    const tree = readZip(wheel);
    expect(tree.refused).toEqual(['File ../../etc/cron.d/x', 'File /abs.py', 'SymbolicLink evil/link.py']);
    expect(tree.files.get('evil/__init__.py')).toBe('x = 1\n');
    expect([...tree.files.keys()].some(p => p.includes('etc') || p.includes('abs') || p.includes('link'))).toBe(false);
  });

  it('does not inflate an entry past the file limit, also when its header lies about its size (a bomb)', () => {
    const honest = buildWheel('bomb', '1.0.0', { 'bomb/__init__.py': 'x = 1\n' }, [{ name: 'bomb/zeros.bin', zeros: 64 * 1024 * 1024 }]);
    expect(honest.length).toBeLessThan(1024 * 1024);
    const tree = readZip(honest, { maxFileBytes: 1024 * 1024 });
    expect(tree.files.has('bomb/zeros.bin')).toBe(false);
    expect(tree.sizes.get('bomb/zeros.bin')).toBe(64 * 1024 * 1024);
    const lying = lieAboutSize(honest, 'bomb/zeros.bin', 100);
    const lied = readZip(lying, { maxFileBytes: 1024 * 1024 });
    expect(lied.files.has('bomb/zeros.bin')).toBe(false);
    expect(lied.files.get('bomb/__init__.py')).toBe('x = 1\n');
  });

  it('says what is wrong with a file that is not a zip, or one cut short', () => {
    expect(() => readZip(Buffer.from('not a zip at all, just some text that is long enough'))).toThrow(ZipUnreadable);
    const wheel = buildWheel('cut', '1.0.0', { 'cut/__init__.py': 'x = 1\n' });
    expect(() => readZip(wheel.subarray(0, wheel.length - 30))).toThrow(/not a readable zip archive/);
  });

  it('keeps relative paths and refuses the rest', () => {
    expect(safeZipPath('a/b.py', false)).toBe('a/b.py');
    expect(safeZipPath('pkg-1.0/a/b.py', true)).toBe('a/b.py');
    expect(safeZipPath('a/../../b.py', false)).toBeUndefined();
    expect(safeZipPath('C:/x.py', false)).toBeUndefined();
    expect(safeZipPath('a\\..\\..\\b.py', false)).toBeUndefined();
  });
});
