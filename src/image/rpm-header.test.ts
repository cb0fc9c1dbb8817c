import { describe, expect, it } from 'vitest';
import { rpmHeaderBlob, rpmPackageBlob } from '../../test/helpers/rpm-header.js';
import { readRpmHeader, rpmEvr } from './rpm-header.js';

describe('readRpmHeader', () => {
  it('reads name, epoch, version, release, arch and source rpm', () => {
    const blob = rpmPackageBlob({ name: 'glibc', epoch: 1, version: '2.34', release: '100.el9_4.2', arch: 'x86_64', sourceRpm: 'glibc-2.34-100.el9_4.2.src.rpm' });
    expect(readRpmHeader(blob)).toEqual({ ok: true, value: { name: 'glibc', epoch: 1, version: '2.34', release: '100.el9_4.2', arch: 'x86_64', sourceRpm: 'glibc-2.34-100.el9_4.2.src.rpm' } });
  });

  it('leaves out what a header does not carry (gpg-pubkey has no arch, most packages no epoch)', () => {
    const result = readRpmHeader(rpmPackageBlob({ name: 'gpg-pubkey', version: '5a6340b3', release: '6229229e' }));
    expect(result).toEqual({ ok: true, value: { name: 'gpg-pubkey', version: '5a6340b3', release: '6229229e' } });
  });

  it('reads a header inside a larger buffer (a view on an SQLite page)', () => {
    const blob = rpmPackageBlob({ name: 'zlib', version: '1.2.11', release: '40.el9' });
    const padded = Buffer.concat([Buffer.alloc(13, 0xff), blob]).subarray(13);
    expect(readRpmHeader(padded)).toMatchObject({ ok: true, value: { name: 'zlib' } });
  });

  it('skips tags it does not know, wherever they are', () => {
    const blob = rpmHeaderBlob([{ tag: 1004, string: 'summary' }, { tag: 1000, string: 'bash' }, { tag: 1001, string: '5.1.8' }, { tag: 1002, string: '9.el9' }]);
    expect(readRpmHeader(blob)).toEqual({ ok: true, value: { name: 'bash', version: '5.1.8', release: '9.el9' } });
  });

  const good = rpmPackageBlob({ name: 'bash', epoch: 0, version: '5.1.8', release: '9.el9', arch: 'x86_64' });
  const withWord = (at: number, value: number): Buffer => {
    const copy = Buffer.from(good);
    copy.writeUInt32BE(value, at);
    return copy;
  };
  it.each([
    ['a blob shorter than its counts', good.subarray(0, 5), /shorter/],
    ['an entry count past rpm\'s limit', withWord(0, 0x7fffffff), /more than rpm allows/],
    ['a data length past the blob', withWord(4, 10_000), /declares/],
    ['a cut blob', good.subarray(0, good.length - 3), /declares/],
    ['a string offset past the data', withWord(8 + 8, 9_999), /not a string inside/],
    ['a string type that is a number', withWord(8 + 4, 4), /not a string/],
    ['an epoch offset past the data', withWord(8 + 3 * 16 + 8, 4_000), /not a number inside/],
    ['an epoch offset not aligned', withWord(8 + 3 * 16 + 8, 1), /not a number inside/],
  ])('refuses %s without throwing', (_what, blob, why) => {
    const result = readRpmHeader(blob);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.why).toMatch(why);
  });

  it('refuses a string with no NUL before the end of the data', () => {
    const blob = rpmHeaderBlob([{ tag: 1000, string: 'bash' }, { tag: 1001, string: '5' }, { tag: 1002, string: '1' }]);
    const cut = Buffer.from(blob.subarray(0, blob.length - 1));
    cut.writeUInt32BE(cut.length - 8 - 3 * 16, 4);
    expect(readRpmHeader(cut)).toEqual({ ok: false, why: 'tag 1002 runs past the data' });
  });

  it('writes [epoch:]version-release, an epoch of 0 left out as rpm orders it', () => {
    expect(rpmEvr({ epoch: 2, version: '1.4.2', release: '3.fc40' })).toBe('2:1.4.2-3.fc40');
    expect(rpmEvr({ epoch: 0, version: '1.4.2', release: '3' })).toBe('1.4.2-3');
    expect(rpmEvr({ version: '1.4.2', release: '3' })).toBe('1.4.2-3');
  });
});
