import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRpmdbBdb } from './rpmdb-bdb.js';

// Real Berkeley DB hash files (test/fixtures/rpmdb/README.md): written by db5.3_load from the headers of the rpm 4.18
// database, and read back by rpm 4.18's own bdb_ro backend before they were committed.
const SOURCE = 'var/lib/rpm/Packages';
const fixture = (name: string): Buffer => readFileSync(new URL(`../../test/fixtures/rpmdb/${name}`, import.meta.url));
const list = (r: ReturnType<typeof readRpmdbBdb>): string[] => r.packages.map(p => `${p.name} ${p.version} ${p.installPath ?? ''}`).sort();
// rpm --define '_db_backend bdb_ro' --dbpath DIR -qa --qf '%{NAME} %{EPOCH} %{VERSION} %{RELEASE} %{ARCH}\n':
//   leakcheck-demo 2 1.4.2 3.fc40 noarch
//   tiny-allocator (none) 5.3.0~rc1 1.el9 x86_64
const RPM_QA = [`leakcheck-demo 2:1.4.2-3.fc40 ${SOURCE} (noarch)`, `tiny-allocator 5.3.0~rc1-1.el9 ${SOURCE} (x86_64)`];

describe('readRpmdbBdb', () => {
  it('reads a hash database of 4 KB pages (each header on one overflow page) as rpm -qa printed it', () => {
    const read = readRpmdbBdb(fixture('bdb-5.3-two-packages-4k.Packages'), SOURCE);
    expect(read.warnings).toEqual([]);
    expect(list(read)).toEqual(RPM_QA);
  });

  it('follows headers across chains of overflow pages (512-byte pages)', () => {
    const read = readRpmdbBdb(fixture('bdb-5.3-two-packages-512.Packages'), SOURCE);
    expect(read.warnings).toEqual([]);
    expect(list(read)).toEqual(RPM_QA);
  });

  const lying = (edit: (b: Buffer) => void): Buffer => {
    const bytes = Buffer.from(fixture('bdb-5.3-two-packages-512.Packages'));
    edit(bytes);
    return bytes;
  };
  // Page 1 of the 512-byte file is a hash page; its items point at overflow pages further on.
  const firstOverflow = (b: Buffer): number => {
    for (let n = 1; n < b.length / 512; n++) if (b[n * 512 + 25] === 7) return n;
    throw new Error('no overflow page');
  };
  it.each([
    ['a file that is no Berkeley DB', () => Buffer.alloc(4096, 1), /not a Berkeley DB hash database/],
    ['a file shorter than a page', () => Buffer.alloc(100), /shorter than its first page/],
    ['a page size that is no power of two', () => lying(b => b.writeUInt32LE(1000, 20)), /first page is not/],
    // An empty page that points at itself: the value never grows, so only the chain's length can stop it.
    ['an overflow chain that loops', () => lying(b => {
      const n = firstOverflow(b);
      b.writeUInt32LE(n, n * 512 + 16);
      b.writeUInt16LE(0, n * 512 + 22);
    }), /loops/],
    ['an overflow page that holds more than a page', () => lying(b => b.writeUInt16LE(5000, firstOverflow(b) * 512 + 22)), /holds more than its value/],
    ['a chain that points outside the file', () => lying(b => b.writeUInt32LE(99_999, firstOverflow(b) * 512 + 16)), /outside its/],
    ['a value longer than the file', () => lying(b => {
      // Page 1's fourth item is an off-page value (type 3): its total length sits 8 bytes into it.
      const item = b.readUInt16LE(512 + 26 + 3 * 2);
      expect(b[512 + item]).toBe(3);
      b.writeUInt32LE(0x0fffffff, 512 + item + 8);
    }), /a value declares 268435455 bytes/],
    ['a hash page with more entries than fit', () => lying(b => b.writeUInt16LE(60_000, 512 + 20)), /declares 60000 entries/],
    // Every hash page's type overwritten (the fuzz test found one such file): nothing to read, which is no empty database.
    ['a file whose hash pages all lost their type', () => lying(b => {
      for (let n = 1; n < b.length / 512; n++) if (b[n * 512 + 25] === 13 || b[n * 512 + 25] === 2) b[n * 512 + 25] = 0;
    }), /holds no package header/],
  ])('refuses %s with a warning, comparing nothing', (_what, bytes, why) => {
    const read = readRpmdbBdb(bytes(), SOURCE);
    expect(read.packages).toEqual([]);
    expect(read.warnings).toHaveLength(1);
    expect(read.warnings[0]).toMatch(why);
    expect(read.warnings[0]).toMatch(/^var\/lib\/rpm\/Packages could not be read as an RPM Berkeley DB \(.+\); its RPM packages are not compared$/);
  });
});
