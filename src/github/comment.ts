import type { Octokit } from '@octokit/core';
import { ReldiffError } from '../errors.js';
import { toGitHubError, type GitHubTarget } from './client.js';

// One sticky comment per pull request, found by a hidden marker on its first line.

export const STICKY_MARKER = '<!-- reldiff:sticky -->';
/** A pull request with more comments than this is not searched further (100 per page). */
const MAX_PAGES = 300;

export interface PullRequestTarget extends GitHubTarget { pr: number; apiUrl: string }

export interface StickyComment { id: number; body: string }

export type StickyAction = 'created' | 'updated' | 'unchanged';

interface IssueComment { id: number; body?: string | null; user?: { login?: string } | null }

/** The login comments made with this token carry: GET /user, or github-actions[bot] for an Actions token. */
export async function tokenIdentity(octokit: Octokit, target: PullRequestTarget, env: Record<string, string | undefined>): Promise<string> {
  try {
    const response = await octokit.request('GET /user');
    const login = (response.data as { login?: unknown }).login;
    if (typeof login === 'string' && login !== '') return login;
  } catch (error) {
    // GITHUB_TOKEN (an installation token) may not read /user (a plain 403); what it writes is authored by
    // github-actions[bot]. Any other failure (a bad token, a rate limit, no network) is the user's to see.
    const failure = toGitHubError(error, 'learn whose token this is (GET /user), so as to edit only its own comments', target, target.apiUrl);
    const isRefusedToIntegration = (error as { status?: unknown }).status === 403 && !/rate limit/i.test(failure.message);
    if (env['GITHUB_ACTIONS'] !== 'true' || !isRefusedToIntegration) throw failure;
  }
  if (env['GITHUB_ACTIONS'] === 'true') return 'github-actions[bot]';
  throw new ReldiffError('github', 'GitHub did not say whose token this is (GET /user)', 'Use a token that can read /user, or run in GitHub Actions');
}

/**
 * Every comment carrying the marker and written by `author` (the token's identity), oldest first, across all
 * pages (follows the Link header). A marker in someone else's comment does not make it reldiff's to edit.
 */
export async function findStickyComments(octokit: Octokit, target: PullRequestTarget, author: string): Promise<StickyComment[]> {
  const found: StickyComment[] = [];
  const origin = new URL(target.apiUrl).origin;
  try {
    let response: { data: unknown; headers: { link?: string } } = await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: target.owner, repo: target.repo, issue_number: target.pr, per_page: 100,
    });
    for (let page = 1; ; page++) {
      for (const comment of Array.isArray(response.data) ? response.data as IssueComment[] : []) {
        if (isSticky(comment.body) && comment.user?.login === author) found.push({ id: comment.id, body: comment.body ?? '' });
      }
      const next = nextLink(response.headers.link);
      if (next === undefined || page >= MAX_PAGES) break;
      // The token goes with every request: never follow a link to another host.
      if (new URL(next).origin !== origin) {
        throw new ReldiffError('github', `GitHub sent a pagination link to another host (${new URL(next).host})`,
          'Check GITHUB_API_URL');
      }
      response = await octokit.request({ method: 'GET', url: next });
    }
  } catch (error) {
    throw toGitHubError(error, 'list the pull request comments', target, target.apiUrl);
  }
  return found;
}

/** Updates the oldest sticky comment in place, or creates one when there is none. `found`: findStickyComments. */
export async function upsertStickyComment(octokit: Octokit, target: PullRequestTarget, body: string,
  found: readonly StickyComment[]): Promise<{ action: StickyAction; id: number }> {
  const existing = found[0];
  try {
    if (existing) {
      if (existing.body === body) return { action: 'unchanged', id: existing.id };
      await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
        owner: target.owner, repo: target.repo, comment_id: existing.id, body,
      });
      return { action: 'updated', id: existing.id };
    }
    const created = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: target.owner, repo: target.repo, issue_number: target.pr, body,
    });
    return { action: 'created', id: Number(created.data.id) };
  } catch (error) {
    throw toGitHubError(error, existing ? 'update the reldiff comment' : 'create the reldiff comment', target, target.apiUrl);
  }
}

export function isSticky(body: string | null | undefined): boolean {
  return typeof body === 'string' && body.trimStart().startsWith(STICKY_MARKER);
}

/** The `rel="next"` URL of an RFC 8288 Link header. */
export function nextLink(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;(.*)$/.exec(part.trim());
    if (match?.[1] && /\brel="?([^"]*\s)?next(\s[^"]*)?"?/.test(match[2] ?? '')) return match[1];
  }
  return undefined;
}
