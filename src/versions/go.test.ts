import { describe, expect, it } from 'vitest';
import { goVersions as s, isPseudoVersion } from './go.js';

describe('Go module versions', () => {
  it('orders releases, pre-releases, pseudo-versions and +incompatible', () => {
    const sorted = ['v0.0.0-20200101000000-abcdefabcdef', 'v0.0.0-20210101000000-abcdef123456', 'v1.0.0-rc.1',
      'v1.0.0', 'v1.2.4-0.20220101000000-0123456789ab', 'v1.2.4', 'v2.0.0+incompatible', 'v10.0.0'];
    expect([...sorted].reverse().sort(s.compare)).toEqual(sorted);
    expect(s.compare('../local', 'v0.0.1')).toBeLessThan(0);
  });

  it('recognises pseudo-versions', () => {
    expect(isPseudoVersion('v0.0.0-20210101000000-abcdef123456')).toBe(true);
    expect(isPseudoVersion('v1.2.4-0.20220101000000-0123456789ab')).toBe(true);
    expect(isPseudoVersion('v1.2.3-pre.0.20220101000000-0123456789ab')).toBe(true);
    expect(isPseudoVersion('v1.2.3')).toBe(false);
  });

  it('classifies jumps', () => {
    expect(s.classify('v1.2.3', 'v2.0.0')).toBe('major');
    expect(s.classify('v1.2.3', 'v1.3.0')).toBe('minor');
    expect(s.classify('v1.2.3', 'v1.2.4')).toBe('patch');
    expect(s.classify('v1.2.3', 'v1.2.4-0.20220101000000-0123456789ab')).toBe('prerelease');
    expect(s.classify('v1.2.3', 'v1.2.2')).toBe('downgrade');
    expect(s.classify('v1.2.3', '../fork')).toBe('other');
  });
});
