import { describe, expect, it } from 'vitest';
import { formatUserError, ReldiffError } from '../errors.js';
import { parseApiUrl, parseRepository, toGitHubError } from './client.js';
import { isSticky, nextLink, STICKY_MARKER } from './comment.js';
import { contextFromEvent, parsePullNumber } from './event.js';

const target = { owner: 'acme', repo: 'api', pr: 7 };

function failure(status: number, data: unknown = {}, headers: Record<string, string> = {}) {
  return Object.assign(new Error('HttpError'), { status, response: { status, headers, data } });
}

describe('GitHub helpers', () => {
  it('finds rel="next" in Link headers', () => {
    expect(nextLink('<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last"')).toBe('https://api.github.com/x?page=2');
    expect(nextLink('<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=1>; rel="first"')).toBeUndefined();
    expect(nextLink(undefined)).toBeUndefined();
  });

  it('recognises only comments that start with the marker', () => {
    expect(isSticky(`${STICKY_MARKER}\n## reldiff`)).toBe(true);
    expect(isSticky(`  \n${STICKY_MARKER}`)).toBe(true);
    expect(isSticky(`> quoting ${STICKY_MARKER}`)).toBe(false);
    expect(isSticky(null)).toBe(false);
  });

  it('reads the pull request and its base and head from event payloads', () => {
    expect(contextFromEvent({ pull_request: { number: 12, base: { sha: 'a'.repeat(40) }, head: { sha: 'b'.repeat(40) } } }))
      .toEqual({ pr: 12, base: 'a'.repeat(40), head: 'b'.repeat(40) });
    expect(contextFromEvent({ issue: { number: 3, pull_request: {} } })).toEqual({ pr: 3 });
    expect(contextFromEvent({ issue: { number: 3 } })).toEqual({});
    expect(contextFromEvent({ pull_request: { number: '12; rm -rf', head: { sha: '--evil' } } })).toEqual({});
    expect(contextFromEvent('nonsense')).toEqual({});
  });

  it('validates --pr, GITHUB_REPOSITORY and GITHUB_API_URL', () => {
    expect(parsePullNumber('#42')).toBe(42);
    expect(() => parsePullNumber('x')).toThrow(/--pr needs a pull request number/);
    expect(parseRepository('acme/api.js')).toEqual({ owner: 'acme', repo: 'api.js' });
    expect(() => parseRepository('acme/../x')).toThrow(ReldiffError);
    expect(() => parseRepository(undefined)).toThrow(/GITHUB_REPOSITORY is not set/);
    expect(parseApiUrl(undefined)).toBe('https://api.github.com');
    expect(parseApiUrl('https://ghe.example.com/api/v3/')).toBe('https://ghe.example.com/api/v3');
    expect(() => parseApiUrl('https://user:pw@ghe.example.com')).toThrow(/credentials/);
    expect(() => parseApiUrl('file:///etc/passwd')).toThrow(/http\(s\)/);
  });

  it('turns each API failure into one line with a fix', () => {
    const cases: [unknown, RegExp, RegExp][] = [
      [failure(401, { message: 'Bad credentials' }), /rejected the token .*HTTP 401: Bad credentials/, /GITHUB_TOKEN/],
      [failure(403, { message: 'Resource not accessible by integration' }), /refused to let the token .* acme\/api pull request #7 \(HTTP 403/, /pull-requests: write/],
      [failure(403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1800000000' }), /rate limit reached/, /2027-01-15T08:00:00Z/],
      [failure(429, {}, { 'retry-after': '30' }), /rate limit reached .*HTTP 429/, /in 30 s/],
      [failure(404, { message: 'Not Found' }), /could not find acme\/api pull request #7/, /GITHUB_REPOSITORY/],
      [failure(422, { message: 'Validation Failed', errors: [{ message: 'body is too long\n(maximum is 65536 characters)' }] }), /HTTP 422: Validation Failed: body is too long \(maximum/, /--debug/],
      [new TypeError('fetch failed'), /cannot reach the GitHub API at https:\/\/api.github.com/, /network/],
    ];
    for (const [error, what, hint] of cases) {
      const user = toGitHubError(error, 'update the reldiff comment', target, 'https://api.github.com');
      expect(user.code).toBe('github');
      expect(user.message).toMatch(what);
      expect(user.hint).toMatch(hint);
      expect(formatUserError(user)).not.toMatch(/\n/);
    }
  });
});
