import { describe, expect, it } from 'vitest';
import { matchesIntegrity } from './client.js';
import { retryAfterMs } from './http.js';
import { cacheKey } from './cache.js';
import { createHash } from 'node:crypto';

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Mon, 01 Jan 2024 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});

describe('matchesIntegrity', () => {
  it('checks SRI and legacy sha1 shasums', () => {
    const data = Buffer.from('tarball');
    const sri = `sha512-${createHash('sha512').update(data).digest('base64')}`;
    expect(matchesIntegrity(data, sri)).toBe(true);
    expect(matchesIntegrity(Buffer.from('other'), sri)).toBe(false);
    expect(matchesIntegrity(data, createHash('sha1').update(data).digest('hex'))).toBe(true);
    expect(matchesIntegrity(data, undefined)).toBe(true);
  });
});

describe('cacheKey', () => {
  it('never yields a path that climbs out of the cache', () => {
    for (const key of ['../../etc/passwd', '..', '@scope/name', '/abs', 'a\\..\\b']) {
      const file = cacheKey(key);
      expect(file).not.toMatch(/[/\\]/);
      expect(file.startsWith('.')).toBe(false);
    }
    expect(cacheKey('@scope/name')).not.toBe(cacheKey('@scope_name'));
  });
});
