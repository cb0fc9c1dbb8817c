import { describe, expect, it } from 'vitest';
import { matchesIntegrity } from './client.js';
import { fetchBuffer, retryAfterMs } from './http.js';
import { startRegistry } from '../../test/helpers/registry-server.js';
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

describe('credentials after a redirect', () => {
  const settings = (fetchOptions: Record<string, unknown>, extraHeaders?: Record<string, string>) => ({
    fetchOptions, secrets: [], timeoutMs: 5000, retries: 0, retryBaseMs: 1, maxRetryAfterMs: 1, ...(extraHeaders ? { extraHeaders } : {}),
  });
  const hostKey = (url: string): string => url.replace(/^https?:/, '');

  it('go only to the origin they are scoped to, after every hop', async () => {
    const registry = await startRegistry();
    const elsewhere = await startRegistry();
    try {
      elsewhere.route('/files/pkg.tgz', { body: 'tarball bytes' });
      registry.route('/pkg', { status: 302, headers: { location: `${elsewhere.url}files/pkg.tgz` } });
      const result = await fetchBuffer(`${registry.url}pkg`, 'application/octet-stream',
        settings({ registry: registry.url, [`${hostKey(registry.url)}:_authToken`]: 'npm-secret-token-1' }, { authorization: 'Basic cHlwaTpzZWNyZXQ=' }));
      expect(result.kind === 'ok' && result.body.toString()).toBe('tarball bytes');
      expect(registry.requests.map(r => r.headers.authorization)).toEqual(['Bearer npm-secret-token-1']);
      expect(elsewhere.requests).toHaveLength(1);
      expect(elsewhere.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await registry.close();
      await elsewhere.close();
    }
  });

  it('a token scoped to the redirect target is the one it gets; a loop ends with a reason', async () => {
    const registry = await startRegistry();
    const mirror = await startRegistry();
    try {
      mirror.route('/pkg', { body: '{}' });
      registry.route('/pkg', { status: 307, headers: { location: `${mirror.url}pkg` } });
      registry.route('/loop', { status: 301, headers: { location: '/loop' } });
      const options = { registry: registry.url, [`${hostKey(registry.url)}:_authToken`]: 'token-for-registry', [`${hostKey(mirror.url)}:_authToken`]: 'token-for-mirror' };
      expect((await fetchBuffer(`${registry.url}pkg`, 'application/json', settings(options))).kind).toBe('ok');
      expect(mirror.requests[0]?.headers.authorization).toBe('Bearer token-for-mirror');
      expect(await fetchBuffer(`${registry.url}loop`, 'application/json', settings(options))).toEqual({ kind: 'failed', reason: 'more than 10 redirects' });
    } finally {
      await registry.close();
      await mirror.close();
    }
  });
});

describe('why a registry could not be reached', () => {
  const settings = (timeoutMs: number) => ({ fetchOptions: {}, secrets: [], timeoutMs, retries: 0, retryBaseMs: 1, maxRetryAfterMs: 1 });

  it('a registry that does not answer in time is a timeout, not "the user aborted"', async () => {
    const registry = await startRegistry();
    try {
      registry.route('/slow', { body: '{}', delayMs: 3000 });
      const result = await fetchBuffer(`${registry.url}slow`, 'application/json', settings(300));
      expect(result).toEqual({ kind: 'unreachable', reason: 'timed out: no answer within 300 ms' });
    } finally {
      await registry.close();
    }
  });

  it('a refused connection is named without the package URL, so that every run words it the same', async () => {
    const first = await fetchBuffer('http://127.0.0.1:9/body-parser', 'application/json', settings(5000));
    const second = await fetchBuffer('http://127.0.0.1:9/express', 'application/json', settings(5000));
    expect(first.kind).toBe('unreachable');
    expect(first).toEqual(second);
    expect(JSON.stringify(first)).not.toMatch(/body-parser|request to/);
  });
});
