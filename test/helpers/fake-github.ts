import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A small GitHub REST API on 127.0.0.1: issue comments with real Link-header pagination, token checks,
// rate-limit headers, GitHub's 65,536-character body limit, and injectable failures. Also answers under /api/v3,
// the GitHub Enterprise Server prefix.

export interface FakeComment { id: number; body: string; user: { login: string; type: string } }
export interface RecordedRequest { method: string; path: string; authorization: string | undefined; body: string }
export interface Failure { method?: string; status: number; message?: string; headers?: Record<string, string>; times?: number }

export interface FakeGitHub {
  /** Base URL without the /api/v3 prefix. */
  url: string;
  token: string;
  requests: RecordedRequest[];
  comments(repository: string, pr: number): FakeComment[];
  addComment(repository: string, pr: number, body: string, login?: string): FakeComment;
  /** The next matching requests fail with this status. */
  fail(failure: Failure): void;
  close(): Promise<void>;
}

const RESET = 1_900_000_000;
const BODY_LIMIT = 65_536;

/**
 * `viewer`: the login GET /user answers for the token (a personal token). Without it the token is an Actions
 * GITHUB_TOKEN: GET /user is refused as GitHub refuses it, and comments are posted as github-actions[bot].
 */
export async function startFakeGitHub(options: { token: string; pageSize?: number; repositories: string[]; viewer?: string }): Promise<FakeGitHub> {
  const author = options.viewer !== undefined ? { login: options.viewer, type: 'User' } : { login: 'github-actions[bot]', type: 'Bot' };
  const pageSize = options.pageSize ?? 30;
  const issues = new Map<string, FakeComment[]>();
  const requests: RecordedRequest[] = [];
  const failures: Failure[] = [];
  let nextId = 1000;
  let remaining = 5000;

  const list = (repository: string, pr: number): FakeComment[] => {
    const key = `${repository}#${pr}`;
    let comments = issues.get(key);
    if (!comments) issues.set(key, comments = []);
    return comments;
  };

  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', chunk => { body += String(chunk); });
    req.on('end', () => {
      try {
        handle(req, res, body);
      } catch (error) {
        send(res, 500, { message: String(error) });
      }
    });
  });

  function send(res: ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}): void {
    remaining = Math.max(0, remaining - 1);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': String(RESET),
      'x-ratelimit-resource': 'core', 'x-github-request-id': `FAKE:${requests.length}`,
      ...headers,
    });
    res.end(status === 204 ? undefined : JSON.stringify(data));
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
    const authorization = req.headers.authorization;
    requests.push({ method, path: `${path}${url.search}`, authorization, body });

    const failure = failures.find(f => f.method === undefined || f.method === method);
    if (failure) {
      failure.times = (failure.times ?? 1) - 1;
      if (failure.times <= 0) failures.splice(failures.indexOf(failure), 1);
      send(res, failure.status, { message: failure.message ?? 'Failure', documentation_url: 'https://docs.github.com/rest' }, failure.headers);
      return;
    }
    if (authorization !== `token ${options.token}` && authorization !== `bearer ${options.token}`) {
      send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      return;
    }
    if (path === '/user' && method === 'GET') {
      if (options.viewer === undefined) send(res, 403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' });
      else send(res, 200, { login: options.viewer, type: 'User' });
      return;
    }
    const listMatch = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(path);
    const editMatch = /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/.exec(path);
    const repository = listMatch?.[1] ?? editMatch?.[1] ?? '';
    if (!options.repositories.includes(repository)) {
      send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
      return;
    }
    if (listMatch && method === 'GET') {
      const comments = list(repository, Number(listMatch[2]));
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30) || 30, pageSize);
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
      const last = Math.max(1, Math.ceil(comments.length / perPage));
      const link = (p: number, rel: string) => {
        const next = new URL(url.toString());
        next.searchParams.set('page', String(p));
        next.searchParams.set('per_page', String(perPage));
        return `<http://${req.headers.host ?? ''}${url.pathname}${next.search}>; rel="${rel}"`;
      };
      const links = [...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []), ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])];
      send(res, 200, comments.slice((page - 1) * perPage, page * perPage), links.length > 0 ? { link: links.join(', ') } : {});
      return;
    }
    const text = (JSON.parse(body || '{}') as { body?: unknown }).body;
    if ((listMatch && method === 'POST') || (editMatch && method === 'PATCH')) {
      if (typeof text !== 'string' || text.length > BODY_LIMIT) {
        send(res, 422, { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'custom', field: 'body',
          message: `body is too long (maximum is ${BODY_LIMIT} characters)` }] });
        return;
      }
    }
    if (listMatch && method === 'POST') {
      const comment = { id: nextId++, body: text as string, user: { ...author } };
      list(repository, Number(listMatch[2])).push(comment);
      send(res, 201, comment);
      return;
    }
    if (editMatch && method === 'PATCH') {
      const comment = [...issues.values()].flat().find(c => c.id === Number(editMatch[2]));
      if (!comment) {
        send(res, 404, { message: 'Not Found' });
        return;
      }
      comment.body = text as string;
      send(res, 200, comment);
      return;
    }
    send(res, 404, { message: 'Not Found' });
  }

  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token: options.token,
    requests,
    comments: (repository, pr) => list(repository, pr),
    addComment(repository, pr, body, login = 'octocat') {
      const comment = { id: nextId++, body, user: { login, type: 'User' } };
      list(repository, pr).push(comment);
      return comment;
    },
    fail(failure) { failures.push({ ...failure }); },
    close: () => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
