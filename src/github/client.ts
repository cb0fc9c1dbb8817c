import { Octokit } from '@octokit/core';
import { ReldiffError } from '../errors.js';
import { VERSION } from '../version.js';

// The REST client and the translation of GitHub's failures into one-line user errors (exit 2).

export interface GitHubTarget {
  owner: string;
  repo: string;
}

export interface ClientOptions {
  token: string;
  /** GITHUB_API_URL: https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server. */
  apiUrl: string;
  /** Called with one line per request when --debug is on; the caller redacts. */
  debug?: (line: string) => void;
}

export function createClient(options: ClientOptions): Octokit {
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    userAgent: `reldiff/${VERSION}`,
    log: { debug: () => {}, info: () => {}, warn: line => options.debug?.(`github: ${line}`), error: line => options.debug?.(`github: ${line}`) },
  });
  const debug = options.debug;
  if (debug) {
    octokit.hook.wrap('request', async (request, endpoint) => {
      const label = `${endpoint.method} ${endpoint.url}`;
      try {
        const response = await request(endpoint);
        debug(`github: ${label} -> ${response.status} (rate limit remaining: ${response.headers['x-ratelimit-remaining'] ?? '?'})`);
        return response;
      } catch (error) {
        debug(`github: ${label} -> ${describeStatus(error)}`);
        throw error;
      }
    });
  }
  return octokit;
}

/** `owner/repo` from GITHUB_REPOSITORY, checked so that it cannot steer requests elsewhere. */
export function parseRepository(value: string | undefined): GitHubTarget {
  const match = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/.exec(value ?? '');
  if (!match?.[1] || !match[2] || match[2] === '.' || match[2] === '..') {
    throw new ReldiffError('github', value ? `GITHUB_REPOSITORY '${value.slice(0, 100)}' is not owner/repo` : 'GITHUB_REPOSITORY is not set',
      'Set GITHUB_REPOSITORY=owner/repo (GitHub Actions sets it for you)');
  }
  return { owner: match[1], repo: match[2] };
}

export function parseApiUrl(value: string | undefined): string {
  const text = value === undefined || value === '' ? 'https://api.github.com' : value;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ReldiffError('github', `GITHUB_API_URL '${text.slice(0, 100)}' is not a URL`, 'Use https://api.github.com or https://<host>/api/v3');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ReldiffError('github', `GITHUB_API_URL must be http(s), not ${url.protocol}`, 'Use https://api.github.com or https://<host>/api/v3');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ReldiffError('github', 'GITHUB_API_URL must not carry credentials, a query or a fragment', 'Pass the token in GITHUB_TOKEN');
  }
  return text.replace(/\/+$/, '');
}

interface HttpFailure {
  status: number;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

function isHttpFailure(error: unknown): error is HttpFailure {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number';
}

function describeStatus(error: unknown): string {
  return isHttpFailure(error) && error.status > 0 ? `HTTP ${error.status}` : 'no response';
}

/** Turns any failure of a GitHub request into a one-line ReldiffError; `what` says what was being done. */
export function toGitHubError(error: unknown, what: string, target: GitHubTarget & { pr?: number }, apiUrl: string): ReldiffError {
  if (error instanceof ReldiffError) return error;
  if (!isHttpFailure(error) || !error.response) {
    return new ReldiffError('github', `cannot reach the GitHub API at ${apiUrl} while trying to ${what}`,
      'Check GITHUB_API_URL and the network, then run again');
  }
  const headers = error.response.headers ?? {};
  const message = gitHubMessage(error.response.data);
  const where = `${target.owner}/${target.repo}${target.pr !== undefined ? ` pull request #${target.pr}` : ''}`;
  const remaining = String(headers['x-ratelimit-remaining'] ?? '');
  const isRateLimited = error.status === 429 || (error.status === 403 && (remaining === '0' || /rate limit/i.test(message)));
  if (isRateLimited) {
    const reset = Number(headers['x-ratelimit-reset']);
    const retryAfter = Number(headers['retry-after']);
    const when = Number.isFinite(retryAfter) && retryAfter > 0 ? `in ${retryAfter} s`
      : Number.isFinite(reset) && reset > 0 ? `at ${new Date(reset * 1000).toISOString().replace(/\.\d+Z$/, 'Z')}` : 'later';
    return new ReldiffError('github', `GitHub rate limit reached while trying to ${what} (HTTP ${error.status})`,
      `Try again ${when}, or use a token with a higher limit`);
  }
  switch (error.status) {
    case 401:
      return new ReldiffError('github', `GitHub rejected the token while trying to ${what} (HTTP 401${message ? `: ${message}` : ''})`,
        'Set GITHUB_TOKEN to a valid token; in a workflow pass github-token: ${{ github.token }}');
    case 403:
      return new ReldiffError('github', `GitHub refused to let the token ${what} on ${where} (HTTP 403${message ? `: ${message}` : ''})`,
        'Give the workflow "permissions: pull-requests: write"; tokens of pull requests from forks are read-only');
    case 404:
      return new ReldiffError('github', `GitHub could not find ${where} (HTTP 404)`,
        'Check GITHUB_REPOSITORY and --pr, and that the token can see the repository');
    case 422:
      return new ReldiffError('github', `GitHub refused the request to ${what} (HTTP 422${message ? `: ${message}` : ''})`,
        'Run with --debug for the requests made; report it if the comment body is at fault');
    default:
      return new ReldiffError('github', `GitHub failed while trying to ${what} (HTTP ${error.status}${message ? `: ${message}` : ''})`,
        'Try again later; see https://www.githubstatus.com');
  }
}

/** GitHub's own explanation, one short line: it is text from a server, so it is flattened and cut. */
function gitHubMessage(data: unknown): string {
  if (typeof data !== 'object' || data === null) return '';
  const record = data as { message?: unknown; errors?: unknown };
  const parts = [typeof record.message === 'string' ? record.message : ''];
  if (Array.isArray(record.errors)) {
    for (const e of record.errors.slice(0, 3)) {
      const m = typeof e === 'object' && e !== null ? (e as { message?: unknown }).message : undefined;
      if (typeof m === 'string') parts.push(m);
    }
  }
  const text = parts.filter(Boolean).join(': ').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
