import { describe, expect, it } from 'vitest';
import { cargoVersions } from './cargo.js';
import { rubygemsVersions as s } from './rubygems.js';

describe('RubyGems versions', () => {
  it('orders as Gem::Version does: letters make a pre-release, trailing zeros do not count', () => {
    const sorted = ['1.0.0.a', '1.0.0.beta2', '1.0.0.pre', '1.0.0.rc1', '1.0.0', '1.0.1', '1.10', '2'];
    expect([...sorted].reverse().sort(s.compare)).toEqual(sorted);
    expect(Math.sign(s.compare('1.0', '1.0.0'))).not.toBe(0); // equal versions, different strings: string tie-break
    expect(s.classify('1.0', '1.0.0')).toBe('other');
  });

  it('classifies jumps', () => {
    expect(s.classify('6.1.7', '7.0.0')).toBe('major');
    expect(s.classify('7.0.4', '7.1.0')).toBe('minor');
    expect(s.classify('1.15.4', '1.15.5')).toBe('patch');
    expect(s.classify('7.0.4', '7.1.0.rc1')).toBe('prerelease');
    expect(s.classify('7.1', '7.0')).toBe('downgrade');
  });
});

describe('Cargo versions', () => {
  it('orders SemVer and treats - and _ in names alike', () => {
    expect(['1.0.0', '0.10.0', '1.0.0-alpha'].sort(cargoVersions.compare)).toEqual(['0.10.0', '1.0.0-alpha', '1.0.0']);
    expect(cargoVersions.normalizeName('serde_json')).toBe(cargoVersions.normalizeName('serde-json'));
  });
});
