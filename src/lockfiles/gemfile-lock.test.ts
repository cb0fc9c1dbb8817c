import { describe, expect, it } from 'vitest';
import format, { parseGemfileLock } from './gemfile-lock.js';

const LOCK = `GIT
  remote: https://github.com/rails/rails.git
  revision: 0123456789abcdef0123456789abcdef01234567
  branch: main
  specs:
    actionpack (7.2.0.alpha)
      rack (>= 2.2.4)

PATH
  remote: engines/billing
  specs:
    billing (0.1.0)

GEM
  remote: https://rubygems.org/
  specs:
    nokogiri (1.15.4-arm64-darwin)
      racc (~> 1.4)
    nokogiri (1.15.4-x86_64-linux)
      racc (~> 1.4)
    racc (1.7.1)
    rack (3.0.8)
    jruby-openssl (0.14.2-java)

PLATFORMS
  arm64-darwin-22
  x86_64-linux

DEPENDENCIES
  actionpack!
  billing!
  nokogiri (~> 1.15)

CHECKSUMS
  actionpack (7.2.0.alpha)
  racc (1.7.1) sha256=abc
  nokogiri (1.15.4-x86_64-linux) sha256=def

RUBY VERSION
   ruby 3.2.2p53

BUNDLED WITH
   2.4.19
`;

describe('Gemfile.lock', () => {
  it('reads GEM, GIT and PATH specs, platforms as native, DEPENDENCIES as direct', () => {
    const r = parseGemfileLock(LOCK, 'Gemfile.lock');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.packages.map(p => [p.name, p.version, p.installPath ?? '', p.direct, p.facts.native ?? false])).toEqual([
      ['actionpack', '7.2.0.alpha', '', true, false],
      ['billing', '0.1.0', '', true, false],
      ['jruby-openssl', '0.14.2', 'java', false, false],
      ['nokogiri', '1.15.4', 'arm64-darwin', true, true],
      ['nokogiri', '1.15.4', 'x86_64-linux', true, true],
      ['racc', '1.7.1', '', false, false],
      ['rack', '3.0.8', '', false, false],
    ]);
    expect(r.value.packages[0]?.facts.resolved).toBe('https://github.com/rails/rails.git#0123456789abcdef0123456789abcdef01234567');
    expect(r.value.packages.map(p => p.facts.integrity ?? '')).toEqual(['', '', '', '', 'sha256=def', 'sha256=abc', '']);
  });

  it('rejects a spec without a version with its line', () => {
    const r = parseGemfileLock('GEM\n  remote: https://rubygems.org/\n  specs:\n    rack\n', 'Gemfile.lock');
    expect(r.ok).toBe(false);
    if (!r.ok) { expect(r.error.line).toBe(4); expect(r.error.message).toContain('gemfile-lock'); }
    expect(parseGemfileLock('hello\n', 'Gemfile.lock').ok).toBe(false);
  });

  it('detects by name and content', () => {
    expect(format.detect('Gemfile.lock', '')).toBe(true);
    expect(format.detect('x.lock', LOCK.slice(LOCK.indexOf('GEM')))).toBe(true);
  });
});
