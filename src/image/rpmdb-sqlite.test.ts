import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rpmHeaderBlob } from '../../test/helpers/rpm-header.js';
import { rpmdbSqlite } from '../../test/helpers/rpmdb.js';
import { readRpmdbSqlite } from './rpmdb-sqlite.js';

const SOURCE = 'usr/lib/sysimage/rpm/rpmdb.sqlite';
const list = (r: Awaited<ReturnType<typeof readRpmdbSqlite>>): string[] => r.packages.map(p => `${p.name} ${p.version} ${p.installPath ?? ''}`);

describe('readRpmdbSqlite', () => {
  it('reads a database rpm 4.18 wrote (test/fixtures/rpmdb/README.md), as rpm -qa printed it', async () => {
    const bytes = readFileSync(new URL('../../test/fixtures/rpmdb/rpm-4.18-two-packages.sqlite', import.meta.url));
    const read = await readRpmdbSqlite(bytes, SOURCE);
    expect(read.warnings).toEqual([]);
    // rpm -qa --dbpath ... --qf '%{NAME} %{EPOCH} %{VERSION} %{RELEASE} %{ARCH}\n':
    //   tiny-allocator (none) 5.3.0~rc1 1.el9 x86_64
    //   leakcheck-demo 2 1.4.2 3.fc40 noarch
    expect(list(read)).toEqual([
      `tiny-allocator 5.3.0~rc1-1.el9 ${SOURCE} (x86_64)`,
      `leakcheck-demo 2:1.4.2-3.fc40 ${SOURCE} (noarch)`,
    ]);
  });

  it('reads every row of a database built here, keeping two arches of one package apart', async () => {
    const bytes = await rpmdbSqlite([
      { name: 'glibc', version: '2.34', release: '100.el9', arch: 'x86_64' },
      { name: 'glibc', version: '2.34', release: '100.el9', arch: 'i686' },
      { name: 'gpg-pubkey', version: 'fd431d51', release: '4ae0493b' },
      { name: 'python3', version: '3.9.18', release: '3.el9', arch: 'x86_64' },
    ]);
    const read = await readRpmdbSqlite(bytes, SOURCE);
    expect(read.warnings).toEqual([]);
    expect(list(read)).toEqual([`glibc 2.34-100.el9 ${SOURCE} (x86_64)`, `glibc 2.34-100.el9 ${SOURCE} (i686)`, `python3 3.9.18-3.el9 ${SOURCE} (x86_64)`]);
  });

  it('skips a header that lies about its sizes with a warning, and reads the rest', async () => {
    const lying = rpmHeaderBlob([{ tag: 1000, string: 'bash' }, { tag: 1001, string: '5.1.8' }, { tag: 1002, string: '9.el9' }]);
    lying.writeUInt32BE(0x00ffffff, 4);
    const bytes = await rpmdbSqlite([lying, { name: 'zlib', version: '1.2.11', release: '40.el9' }]);
    const read = await readRpmdbSqlite(bytes, SOURCE);
    expect(list(read)).toEqual([`zlib 1.2.11-40.el9 ${SOURCE}`]);
    expect(read.warnings).toEqual([`${SOURCE}: package 1's header declares ${8 + 3 * 16 + 0x00ffffff} bytes but holds ${lying.length}; skipped`]);
  });

  it('warns, and compares nothing, for a file that is no database or no rpm database', async () => {
    expect(await readRpmdbSqlite(Buffer.from('not sqlite at all'), SOURCE)).toEqual({ packages: [], warnings: [`${SOURCE} is not an SQLite database; its RPM packages are not compared`] });
    const cut = (await rpmdbSqlite([{ name: 'zlib', version: '1', release: '1' }])).subarray(0, 100);
    const broken = await readRpmdbSqlite(cut, SOURCE);
    expect(broken.packages).toEqual([]);
    expect(broken.warnings[0]).toMatch(/could not be read as an RPM database \(.+\); its RPM packages are not compared$/);
    const { default: initSqlJs } = await import('sql.js');
    const other = new (await initSqlJs()).Database();
    other.run('CREATE TABLE notes (text TEXT)');
    const unrelated = await readRpmdbSqlite(other.export(), SOURCE);
    other.close();
    expect(unrelated.packages).toEqual([]);
    expect(unrelated.warnings[0]).toMatch(/no such table: Packages/);
  });
});
