import { describe, expect, it } from 'vitest';
import { compareRpm, rpmvercmp, rpmVersions } from './rpm.js';

// Copied from rpm's own test suite, tests/rpmvercmp.at (RPMVERCMP(a, b, expected)), rpm 4.18; each case was also run
// through `rpm --eval '%{lua: print(rpm.vercmp("a", "b"))}'` of rpm 4.18.0 here, which agreed on all of them.
const RPMVERCMP_AT = `
1.0 1.0 0
1.0 2.0 -1
2.0 1.0 1
2.0.1 2.0.1 0
2.0 2.0.1 -1
2.0.1 2.0 1
2.0.1a 2.0.1a 0
2.0.1a 2.0.1 1
2.0.1 2.0.1a -1
5.5p1 5.5p1 0
5.5p1 5.5p2 -1
5.5p2 5.5p1 1
5.5p10 5.5p10 0
5.5p1 5.5p10 -1
5.5p10 5.5p1 1
10xyz 10.1xyz -1
10.1xyz 10xyz 1
xyz10 xyz10 0
xyz10 xyz10.1 -1
xyz10.1 xyz10 1
xyz.4 xyz.4 0
xyz.4 8 -1
8 xyz.4 1
xyz.4 2 -1
2 xyz.4 1
5.5p2 5.6p1 -1
5.6p1 5.5p2 1
5.6p1 6.5p1 -1
6.5p1 5.6p1 1
6.0.rc1 6.0 1
6.0 6.0.rc1 -1
10b2 10a1 1
10a2 10b2 -1
1.0aa 1.0aa 0
1.0a 1.0aa -1
1.0aa 1.0a 1
10.0001 10.0001 0
10.0001 10.1 0
10.1 10.0001 0
10.0001 10.0039 -1
10.0039 10.0001 1
4.999.9 5.0 -1
5.0 4.999.9 1
20101121 20101121 0
20101121 20101122 -1
20101122 20101121 1
2_0 2_0 0
2.0 2_0 0
2_0 2.0 0
a a 0
a+ a+ 0
a+ a_ 0
a_ a+ 0
+a +a 0
+a _a 0
_a +a 0
+_ +_ 0
_+ +_ 0
_+ _+ 0
+ _ 0
_ + 0
1.0~rc1 1.0~rc1 0
1.0~rc1 1.0 -1
1.0 1.0~rc1 1
1.0~rc1 1.0~rc2 -1
1.0~rc2 1.0~rc1 1
1.0~rc1~git123 1.0~rc1~git123 0
1.0~rc1~git123 1.0~rc1 -1
1.0~rc1 1.0~rc1~git123 1
1.0^ 1.0^ 0
1.0^ 1.0 1
1.0 1.0^ -1
1.0^git1 1.0^git1 0
1.0^git1 1.0 1
1.0 1.0^git1 -1
1.0^git1 1.0^git2 -1
1.0^git2 1.0^git1 1
1.0^git1 1.01 -1
1.01 1.0^git1 1
1.0^20160101 1.0^20160101 0
1.0^20160101 1.0.1 -1
1.0.1 1.0^20160101 1
1.0^20160101^git1 1.0^20160101^git1 0
1.0^20160102 1.0^20160101^git1 1
1.0^20160101^git1 1.0^20160102 -1
1.0~rc1^git1 1.0~rc1^git1 0
1.0~rc1^git1 1.0~rc1 1
1.0~rc1 1.0~rc1^git1 -1
1.0^git1~pre 1.0^git1~pre 0
1.0^git1 1.0^git1~pre 1
1.0^git1~pre 1.0^git1 -1
1b.fc17 1b.fc17 0
1b.fc17 1.fc17 -1
1.fc17 1b.fc17 1
1g.fc17 1g.fc17 0
1g.fc17 1.fc17 1
1.fc17 1g.fc17 -1
1.1.α 1.1.α 0
`;
const cases = RPMVERCMP_AT.trim().split('\n').map(line => line.split(' ') as [string, string, string]);

describe('rpmvercmp', () => {
  it('has the whole table', () => expect(cases.length).toBe(98));
  it.each(cases)('rpmvercmp(%s, %s) = %s', (a, b, expected) => {
    expect(rpmvercmp(a, b)).toBe(Number(expected));
  });
});

describe('RPM epoch:version-release order', () => {
  // Each checked with rpm 4.18's rpm.ver() comparison.
  it.each([
    ['2.0-1', '1:1.0-1'],
    ['1.0-2', '1.0-10'],
    ['2.34-100.el9', '2.34-100.el9_4.2'],
    ['1.0~rc1-5', '1.0-1'],
    ['3.9.18-3.el9', '3.11.7-1.el9'],
  ])('%s < %s', (a, b) => {
    expect(compareRpm(a, b)).toBe(-1);
    expect(compareRpm(b, a)).toBe(1);
  });
  it('keeps the order total where rpm calls two spellings equal', () => {
    expect(compareRpm('2.0-1', '2_0-1')).not.toBe(0);
    expect(compareRpm('2.0-1', '2_0-1')).toBe(-compareRpm('2_0-1', '2.0-1'));
  });
  it('sizes jumps', () => {
    expect(rpmVersions.classify('2.34-100.el9', '2.34-100.el9_4.2')).toBe('patch');
    expect(rpmVersions.classify('3.9.18-3.el9', '3.11.7-1.el9')).toBe('minor');
    expect(rpmVersions.classify('5.3.0-1.fc39', '1:5.3.0-1.fc39')).toBe('major');
    expect(rpmVersions.classify('5.2.1-1', '5.3.0~rc1-1')).toBe('prerelease');
    expect(rpmVersions.classify('2.0-1', '1.9-1')).toBe('downgrade');
    expect(rpmVersions.classify('not a version', '1.0-1')).toBe('other');
  });
});
