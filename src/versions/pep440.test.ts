import { compare as refCompare, valid } from '@renovatebot/pep440';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePythonName, pep440Versions as s } from './pep440.js';

const segment = fc.integer({ min: 0, max: 20 });
const version = fc.tuple(
  fc.array(segment, { minLength: 1, maxLength: 4 }),
  fc.option(fc.tuple(fc.constantFrom('a', 'b', 'rc', 'alpha', 'c'), segment)),
  fc.option(segment), fc.option(segment), fc.option(fc.constantFrom('local', 'ubuntu.1')),
  fc.constantFrom('', '1!'),
).map(([rel, pre, post, dev, local, epoch]) => `${epoch}${rel.join('.')}${pre ? pre[0] + pre[1] : ''}`
  + `${post !== null ? `.post${post}` : ''}${dev !== null ? `.dev${dev}` : ''}${local ? `+${local}` : ''}`);
const anyVersion = fc.oneof(version, fc.constantFrom('not a version', 'https://x/y.tar.gz', '>=1.0', ''));

describe('PEP 440 versions', () => {
  it('orders as @renovatebot/pep440 does on valid versions (property)', () => {
    fc.assert(fc.property(version, version, (a, b) => {
      const ref = Math.sign(refCompare(a, b));
      if (ref !== 0) expect(Math.sign(s.compare(a, b))).toBe(ref);
    }));
  });

  it('is a total order: antisymmetric, transitive, zero only for equal strings (property)', () => {
    fc.assert(fc.property(anyVersion, anyVersion, anyVersion, (a, b, c) => {
      expect(Math.sign(s.compare(a, b)) + Math.sign(s.compare(b, a))).toBe(0);
      expect(s.compare(a, b) === 0).toBe(a === b);
      if (s.compare(a, b) <= 0 && s.compare(b, c) <= 0) expect(s.compare(a, c)).toBeLessThanOrEqual(0);
    }));
  });

  it('orders as PEP 440 says, never as semver', () => {
    const sorted = ['1.0.dev1', '1.0a1', '1.0b2', '1.0rc1', '1.0', '1.0.post1', '1.1', '1.10', '2!0.1'];
    expect([...sorted].reverse().sort(s.compare)).toEqual(sorted);
    expect(valid('1.0.post1')).not.toBeNull();
    expect(s.compare('not-a-version', '0.1')).toBeLessThan(0);
  });

  it('classifies jumps', () => {
    expect(s.classify('1.2.3', '2.0.0')).toBe('major');
    expect(s.classify('1.2.3', '1.3')).toBe('minor');
    expect(s.classify('1.2.3', '1.2.4')).toBe('patch');
    expect(s.classify('1.2.3', '1.2.3.post1')).toBe('patch');
    expect(s.classify('1.2.3', '1.3.0rc1')).toBe('prerelease');
    expect(s.classify('1.3.0rc1', '1.3.0')).toBe('patch');
    expect(s.classify('2.0', '1.9')).toBe('downgrade');
    expect(s.classify('1.0', '1.0.0')).toBe('other');
    expect(s.classify('git+https://x@a', 'git+https://x@b')).toBe('other');
  });

  it('normalises names per PEP 503', () => {
    expect(normalizePythonName('Zope.Interface')).toBe('zope-interface');
    expect(normalizePythonName('typing__extensions')).toBe('typing-extensions');
    expect(normalizePythonName('a-_.b')).toBe('a-b');
  });
});
