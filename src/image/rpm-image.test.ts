import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { archiveFiles } from '../../test/helpers/archive-files.js';
import { distInfo, dockerSave, ociLayout, type ImageSpec, type TarEntry } from '../../test/helpers/image-archive.js';
import { rpmdbSqlite } from '../../test/helpers/rpmdb.js';
import { readImage } from './read.js';
import { DEFAULT_IMAGE_LIMITS } from './stream.js';

// Images whose OS packages are RPMs (Fedora, RHEL/UBI 9, Amazon Linux 2023), with an rpmdb.sqlite built at test time.

const file = archiveFiles('reldiff-rpm-image-');
const summary = (sets: Awaited<ReturnType<typeof readImage>>['sets']): string[] =>
  sets.flatMap(s => s.packages.map(p => `${s.ecosystem} ${p.name} ${p.version}`));

let ubi: TarEntry[];
beforeAll(async () => {
  const db = await rpmdbSqlite([
    { name: 'glibc', version: '2.34', release: '100.el9_4.2', arch: 'x86_64' },
    { name: 'python3', version: '3.9.18', release: '3.el9', arch: 'x86_64' },
    { name: 'nodejs', epoch: 1, version: '20.11.1', release: '1.module+el9.3.0', arch: 'x86_64' },
    { name: 'jemalloc', version: '5.3.0', release: '1.el9', arch: 'x86_64' },
    { name: 'gpg-pubkey', version: 'fd431d51', release: '4ae0493b' },
  ]);
  ubi = [
    { path: 'usr/lib/sysimage/rpm/rpmdb.sqlite', body: db },
    { path: 'usr/lib64/libc.so.6', body: 'elf' }, { path: 'usr/lib64/libjemalloc.so.2', body: 'elf' },
    { path: 'usr/lib64/python3.9/os.py', body: '' }, { path: 'usr/bin/node', body: 'elf' },
    ...distInfo('usr/lib/python3.9/site-packages', 'six', '1.16.0'),
  ];
});

describe('an image whose OS packages are RPMs', () => {
  const expected = [
    'pypi six 1.16.0',
    'rpm glibc 2.34-100.el9_4.2', 'rpm jemalloc 5.3.0-1.el9', 'rpm nodejs 1:20.11.1-1.module+el9.3.0', 'rpm python3 3.9.18-3.el9',
    // The runtimes take their versions from the packages, an epoch left out (it orders builds, not releases).
    'runtime glibc 2.34-100.el9_4.2', 'runtime jemalloc 5.3.0-1.el9', 'runtime node 20.11.1-1.module+el9.3.0', 'runtime python 3.9.18-3.el9',
  ];

  it('reads its packages from rpmdb.sqlite in a plain layer, and names the runtimes by them', async () => {
    const image = await readImage(file(dockerSave({ layers: [ubi] })), 'ubi.tar');
    expect(image.warnings).toEqual([]);
    expect(summary(image.sets)).toEqual(expected);
  });

  it('reads the same from a gzip layer and a zstd layer', async () => {
    for (const spec of [{ layers: [ubi], gzip: true }, { layers: [ubi], zstd: true }] satisfies ImageSpec[]) {
      expect(summary((await readImage(file(ociLayout(spec)), 'ubi.oci')).sets)).toEqual(expected);
    }
  });

  it('names tcmalloc by gperftools-libs, the package that ships it on Fedora and RHEL', async () => {
    const db = await rpmdbSqlite([{ name: 'gperftools-libs', version: '2.9.1', release: '3.el9', arch: 'x86_64' }]);
    const image = await readImage(file(dockerSave({ layers: [[{ path: 'var/lib/rpm/rpmdb.sqlite', body: db }, { path: 'usr/lib64/libtcmalloc.so.4', body: 'elf' }]] })), 't.tar');
    expect(summary(image.sets)).toEqual(['rpm gperftools-libs 2.9.1-3.el9', 'runtime tcmalloc 2.9.1-3.el9']);
  });

  it('takes the database an upper layer writes, and none after a whiteout', async () => {
    const newer = await rpmdbSqlite([{ name: 'glibc', version: '2.34', release: '125.el9_5.1', arch: 'x86_64' }]);
    const upper = await readImage(file(dockerSave({ layers: [ubi, [{ path: 'usr/lib/sysimage/rpm/rpmdb.sqlite', body: newer }]] })), 'u.tar');
    expect(summary(upper.sets).filter(s => s.startsWith('rpm'))).toEqual(['rpm glibc 2.34-125.el9_5.1']);
    const gone = await readImage(file(dockerSave({ layers: [ubi, [{ path: 'usr/lib/sysimage/rpm/.wh.rpmdb.sqlite' }]] })), 'g.tar');
    expect(summary(gone.sets).filter(s => s.startsWith('rpm'))).toEqual([]);
  });

  it('skips a database over the size limit with a warning', async () => {
    const image = await readImage(file(dockerSave({ layers: [ubi] })), 'big.tar', { ...DEFAULT_IMAGE_LIMITS, maxRpmdbBytes: 1024 });
    expect(summary(image.sets).filter(s => s.startsWith('rpm'))).toEqual([]);
    expect(image.warnings).toEqual([expect.stringMatching(/^big\.tar: usr\/lib\/sysimage\/rpm\/rpmdb\.sqlite is \d+ bytes, more than reldiff reads of one metadata file \(1024 bytes\); skipped$/)]);
  });

  it('warns for a database that is not one, and still compares the rest', async () => {
    const image = await readImage(file(dockerSave({ layers: [[{ path: 'var/lib/rpm/rpmdb.sqlite', body: 'SQLite format 3\0 cut short' },
      ...distInfo('usr/lib/python3.9/site-packages', 'six', '1.16.0')]] })), 'cut.tar');
    expect(summary(image.sets)).toEqual(['pypi six 1.16.0']);
    expect(image.warnings).toEqual([expect.stringMatching(/^cut\.tar: var\/lib\/rpm\/rpmdb\.sqlite could not be read as an RPM database \(.+\); its RPM packages are not compared$/)]);
  });

  it('reads the Berkeley DB form (RHEL 7/8, CentOS, Amazon Linux 2) from a real Packages file', async () => {
    const bdb = readFileSync(new URL('../../test/fixtures/rpmdb/bdb-5.3-two-packages-4k.Packages', import.meta.url));
    const image = await readImage(file(dockerSave({ layers: [[{ path: 'var/lib/rpm/Packages', body: bdb }], [{ path: 'var/lib/rpm/__db.001', body: 'env' }]], gzip: true })), 'el8.tar');
    expect(image.warnings).toEqual([]);
    expect(summary(image.sets)).toEqual(['rpm leakcheck-demo 2:1.4.2-3.fc40', 'rpm tiny-allocator 5.3.0~rc1-1.el9']);
  });

  it('prefers rpmdb.sqlite to a Packages file left beside it', async () => {
    const bdb = readFileSync(new URL('../../test/fixtures/rpmdb/bdb-5.3-two-packages-4k.Packages', import.meta.url));
    const image = await readImage(file(dockerSave({ layers: [[{ path: 'var/lib/rpm/Packages', body: bdb }, ...ubi]] })), 'both.tar');
    expect(summary(image.sets).filter(s => s.startsWith('rpm'))).toEqual(expected.filter(s => s.startsWith('rpm')));
  });

  it('names the form it does not read yet: SUSE\'s NDB', async () => {
    const path = 'usr/lib/sysimage/rpm/Packages.db';
    const image = await readImage(file(dockerSave({ layers: [[{ path, body: 'db' }, ...distInfo('usr/lib/python3.6/site-packages', 'six', '1.16.0')]] })), 'old.tar');
    expect(summary(image.sets)).toEqual(['pypi six 1.16.0']);
    expect(image.warnings).toEqual([`old.tar keeps its OS packages in ${path} (RPM's NDB, as SUSE writes it), which reldiff does not read yet: only its Python, Node and runtime changes are compared`]);
  });
});
