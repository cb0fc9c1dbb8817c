import { describe, expect, it } from 'vitest';
import { apkVersions } from './apk.js';
import { debianVersions } from './dpkg.js';

// The Debian orderings were checked with `dpkg --compare-versions` (dpkg 1.21); the Alpine ones follow the suffix order
// of the APKBUILD reference.
describe('Debian version order', () => {
  const ascending = ['1.0~rc1', '1.0', '1.0-1', '1.0-1ubuntu1', '1.0-2', '1.0+dfsg-1', '1.0.1', '1.10', '2.31-13+deb11u5', '2.36-9+deb12u4', '1:0.9'];
  it.each(ascending.slice(1).map((v, i) => [ascending[i] as string, v]))('%s < %s', (a, b) => {
    expect(debianVersions.compare(a, b)).toBe(-1);
    expect(debianVersions.compare(b, a)).toBe(1);
  });
  it('tilde sorts before the end, even twice', () => {
    expect(debianVersions.compare('1.0~~', '1.0~')).toBe(-1);
    expect(debianVersions.compare('1.0~', '1.0')).toBe(-1);
    expect(debianVersions.compare('1.0a', '1.0+')).toBe(-1);
    // dpkg calls these equal; the strings break the tie so that the order stays total.
    expect(debianVersions.compare('1.01', '1.1')).toBe(-1);
  });
  it('sizes jumps', () => {
    expect(debianVersions.classify('2.31-13+deb11u5', '2.36-9+deb12u4')).toBe('minor');
    expect(debianVersions.classify('1.0-1', '1.0-1ubuntu1')).toBe('patch');
    expect(debianVersions.classify('1.0', '1:0.9')).toBe('major');
    expect(debianVersions.classify('1.0', '1.1~rc1')).toBe('prerelease');
    expect(debianVersions.classify('1.1', '1.0')).toBe('downgrade');
  });
});

describe('Alpine version order', () => {
  const ascending = ['1.2', '1.2.0', '1.2.1_alpha', '1.2.1_beta2', '1.2.1_rc1', '1.2.1', '1.2.1-r1', '1.2.1_p1', '1.2.10', '3.0.8-r0'];
  it.each(ascending.slice(1).map((v, i) => [ascending[i] as string, v]))('%s < %s', (a, b) => {
    expect(apkVersions.compare(a, b)).toBe(-1);
    expect(apkVersions.compare(b, a)).toBe(1);
  });
  it('a letter sorts after the bare number (openssl 1.1.1w)', () => {
    expect(apkVersions.compare('1.1.1', '1.1.1w')).toBe(-1);
    expect(apkVersions.compare('1.1.1v', '1.1.1w')).toBe(-1);
  });
  it('sizes jumps', () => {
    expect(apkVersions.classify('1.2.4-r1', '1.2.4-r2')).toBe('patch');
    expect(apkVersions.classify('1.2.4_git20230101-r0', '1.2.5-r0')).toBe('patch');
    expect(apkVersions.classify('3.1.4-r5', '3.3.0-r0')).toBe('minor');
    expect(apkVersions.classify('1.2.4', '2.0_rc1')).toBe('prerelease');
  });
});
