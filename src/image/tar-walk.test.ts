import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Header, Pax } from 'tar';
import { tarBytes } from '../../test/helpers/image-archive.js';
import { byteSum, FileWindow, walkTar, type TarEntryAt } from './tar-walk.js';

const dir = mkdtempSync(join(tmpdir(), 'reldiff-tarwalk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function entriesOf(bytes: Buffer, maxEntryBytes?: number): TarEntryAt[] {
  const path = join(dir, `t-${Math.random().toString(36).slice(2)}.tar`);
  writeFileSync(path, bytes);
  const fd = openSync(path, 'r');
  try {
    return [...walkTar(new FileWindow(fd, 1024), 0, bytes.length, maxEntryBytes)];
  } finally {
    closeSync(fd);
  }
}

const block = (header: Header): Buffer => {
  const b = Buffer.alloc(512);
  header.encode(b, 0);
  return b;
};

describe('walking a tar by its headers', () => {
  it('lists paths, sizes, types and offsets, and reads bodies at those offsets', () => {
    const bytes = tarBytes([{ path: 'a/b.txt', body: 'hello' }, { path: 'a/', type: 'Directory' }, { path: 'l', type: 'SymbolicLink', linkpath: 'a/b.txt' }]);
    const entries = entriesOf(bytes);
    expect(entries.map(e => `${e.path} ${e.type} ${e.size} ${e.linkpath}`)).toEqual(['a/b.txt File 5 ', 'a/ Directory 0 ', 'l SymbolicLink 0 a/b.txt']);
    expect(bytes.toString('utf8', entries[0]?.offset, (entries[0]?.offset ?? 0) + 5)).toBe('hello');
  });

  it('folds a pax path and a GNU long name into the next entry', () => {
    const long = `site-packages/${'x'.repeat(200)}/${'y'.repeat(120)}.dist-info/METADATA`;
    const pax = new Pax({ path: long }).encode();
    const file = block(new Header({ path: 'PaxHeaders/short', size: 3, type: 'File', mode: 0o644, mtime: new Date(0) }));
    const gnuName = Buffer.from(`${long}-gnu\0`);
    const gnu = block(new Header({ path: '././@LongLink', size: gnuName.length, type: 'NextFileHasLongPath', mode: 0o644, mtime: new Date(0) }));
    const body = Buffer.concat([Buffer.from('abc'), Buffer.alloc(509)]);
    const bytes = Buffer.concat([pax, file, body, gnu, gnuName, Buffer.alloc(512 - gnuName.length), file, body, Buffer.alloc(1024)]);
    expect(entriesOf(bytes).map(e => e.path)).toEqual([long, `${long}-gnu`]);
  });

  it('refuses what is not a tar, a damaged header, a truncated entry and a size over the limit', () => {
    expect(() => entriesOf(Buffer.alloc(2048, 7))).toThrow(/does not start with a tar header/);
    const good = tarBytes([{ path: 'a', body: 'x' }, { path: 'b', body: 'y' }]);
    const damaged = Buffer.from(good);
    damaged[1024 + 3] = 0x41;
    expect(() => entriesOf(damaged)).toThrow(/damaged header at byte 1024/);
    expect(() => entriesOf(tarBytes([{ path: 'a', body: 'x', declaredSize: 4096 }], { end: false }))).toThrow(/truncated/);
    expect(() => entriesOf(tarBytes([{ path: 'a', body: 'x', declaredSize: 4096 }], { end: false }), 1000)).toThrow(/declares 4096 bytes/);
  });

  it('sums a header four bytes at a time as it does byte by byte', () => {
    const bytes = Buffer.alloc(4096 + 3);
    for (let i = 0, x = 99; i < bytes.length; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      bytes[i] = i % 7 === 0 ? 255 : x >>> 23;
    }
    const naive = (p: number): number => {
      let sum = 0;
      for (let i = p; i < p + 512; i++) if (i - p < 148 || i - p >= 156) sum += bytes[i] as number;
      return sum;
    };
    // Aligned offsets take the word path; 1 and 3 the byte loop; an all-0xff header is the lanes' largest sum.
    for (const p of [0, 512, 1024, 3584, 1, 3]) expect(byteSum(bytes, p)).toBe(naive(p));
    const full = Buffer.alloc(512, 0xff);
    expect(byteSum(full, 0)).toBe(504 * 255);
  });
});
