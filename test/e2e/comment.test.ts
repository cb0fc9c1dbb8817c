import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { incidentHistory } from '../../src/demo/incident.js';
import type { Report } from '../../src/report/model.js';
import { buildRepo, type BuiltRepo } from '../helpers/build-repo.js';
import { compileSources } from '../helpers/compiled.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { isolatedEnv } from '../helpers/cli.js';

// `reldiff comment` as a user runs it (the compiled binary in a child process) against a fake GitHub API on
// 127.0.0.1 and a repository built by the test.

const TOKEN = 'ghs_FAKE0secret0token0for0tests0only';
const REPOSITORY = 'acme/inference';
const MARKER = '<!-- reldiff:sticky -->';

let bin = '';
let repo: BuiltRepo;
let github: FakeGitHub;
let scratch = '';
const outputs: string[] = [];

interface Result { code: number; stdout: string; stderr: string }

function reldiff(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: repo.dir,
      // Registries point at a closed loopback port: no test reaches the internet, and an unreachable registry
      // only adds a warning.
      env: { ...isolatedEnv(scratch), GITHUB_ACTIONS: 'true', GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: REPOSITORY, GITHUB_API_URL: github.url, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => { stdout += String(chunk); });
    child.stderr.on('data', chunk => { stderr += String(chunk); });
    child.on('error', reject);
    child.on('close', code => {
      outputs.push(stdout, stderr);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

const stickies = (pr: number) => github.comments(REPOSITORY, pr).filter(c => c.body.startsWith(MARKER));

beforeAll(async () => {
  const dist = compileSources();
  bin = join(dirname(dist), 'bin/reldiff.js');
  mkdirSync(dirname(bin), { recursive: true });
  copyFileSync(join(import.meta.dirname, '../../bin/reldiff.js'), bin);
  repo = buildRepo(incidentHistory);
  scratch = mkdtempSync(join(tmpdir(), 'reldiff-comment-'));
});

afterAll(() => {
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
  // The token never appears in anything any run printed.
  for (const text of outputs) expect(text).not.toContain(TOKEN);
  expect(outputs.length).toBeGreaterThan(0);
});

afterEach(async () => { await github.close(); });

async function fresh(pageSize = 30, viewer?: string) {
  github = await startFakeGitHub({ token: TOKEN, pageSize, repositories: [REPOSITORY], ...(viewer ? { viewer } : {}) });
}

describe('reldiff comment', () => {
  it('creates one sticky comment, then updates it in place on every run, across pages of comments', async () => {
    await fresh(7);
    for (let i = 0; i < 20; i++) github.addComment(REPOSITORY, 5, `review comment ${i}`);
    const first = await reldiff(['comment', 'v1.4.0', 'v1.5.0', '--pr', '5']);
    expect(first.stderr).toMatch(/comment created on acme\/inference#5/);
    expect(first.code).toBe(0);
    for (let i = 0; i < 30; i++) github.addComment(REPOSITORY, 5, `later comment ${i}`);
    const again = await reldiff(['comment', 'v1.4.0', 'v1.5.0', '--pr', '5']);
    expect(again.stderr).toMatch(/comment unchanged/);
    const third = await reldiff(['comment', 'v1.4.0', 'HEAD~1', '--pr', '5']);
    expect(third.stderr).toMatch(/comment updated/);
    expect(stickies(5)).toHaveLength(1);
    expect(github.comments(REPOSITORY, 5)).toHaveLength(51);
    // The sticky comment sat on page 3 of 8: the search followed the Link header to the end every time.
    const pages = github.requests.filter(r => r.method === 'GET').map(r => new URL(r.path, 'http://x').searchParams.get('page') ?? '1');
    expect(pages.filter(p => p === '8')).toHaveLength(2);
    const body = stickies(5)[0]?.body ?? '';
    expect(body).toContain('## reldiff: `v1.4.0` → `HEAD~1`');
    expect(body).toContain('service/images.py');
    expect(body.length).toBeLessThanOrEqual(65_536);
  });

  it('updates a comment left by an earlier run instead of adding one', async () => {
    await fresh();
    const old = github.addComment(REPOSITORY, 9, `${MARKER}\nold report`, 'github-actions[bot]');
    github.addComment(REPOSITORY, 9, `Someone quoting it:\n> ${MARKER}`);
    const r = await reldiff(['comment', 'v1.4.0', 'v1.5.0', '--pr', '9']);
    expect(r.code).toBe(0);
    expect(stickies(9).map(c => c.id)).toEqual([old.id]);
    expect(stickies(9)[0]?.body).toContain('service/images.py');
    expect(github.requests.filter(r => r.method === 'POST')).toHaveLength(0);
  });

  it('takes the pull request and its base and head from the Actions event, against a GitHub Enterprise URL', async () => {
    await fresh();
    const event = join(scratch, 'event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { number: 12, base: { sha: repo.tags['v1.4.0'] }, head: { sha: repo.tags['v1.5.0'] } } }));
    const r = await reldiff(['comment', '--report-file', join(scratch, 'report.json')],
      { GITHUB_EVENT_PATH: event, GITHUB_API_URL: `${github.url}/api/v3`, GITHUB_SERVER_URL: 'https://ghe.example.com', GITHUB_RUN_ID: '77' });
    expect(r.stderr).toMatch(/comment created on acme\/inference#12/);
    expect(stickies(12)).toHaveLength(1);
    expect(github.requests.every(q => q.authorization === `token ${TOKEN}`)).toBe(true);
  });

  it('gates on --fail-on after posting, and --warn-only never fails', async () => {
    await fresh();
    const gated = await reldiff(['comment', 'v1.4.0', 'v1.5.0', '--pr', '3', '--fail-on', 'high']);
    expect(gated.code).toBe(1);
    expect(stickies(3)).toHaveLength(1);
    expect((await reldiff(['comment', 'v1.4.0', 'v1.5.0', '--pr', '3', '--fail-on', 'high', '--warn-only'])).code).toBe(0);
  });

  it('in on-risk mode, posts nothing new when nothing is risky, and turns an existing comment into "no risky changes"', async () => {
    await fresh();
    const reportFile = join(scratch, 'gate.json');
    expect((await reldiff(['comment', 'v1.4.0', 'v1.5.0', '--pr', '4', '--mode', 'on-risk', '--fail-on', 'high', '--report-file', reportFile])).code).toBe(1);
    expect(stickies(4)).toHaveLength(1);
    const report = JSON.parse(await import('node:fs').then(fs => fs.readFileSync(reportFile, 'utf8'))) as Report;
    const risky = report.ranking.filter(item => item.level === 'high' || item.level === 'critical');
    expect(risky.length).toBeGreaterThan(0);
    for (const item of risky) {
      const ack = await reldiff(['ack', item.id, '--reason', 'reviewed: one bounded instance per worker']);
      expect(ack.code).toBe(0);
    }
    const cleared = await reldiff(['comment', 'v1.4.0', 'v1.5.0', '--pr', '4', '--mode', 'on-risk', '--fail-on', 'high']);
    expect(cleared.code).toBe(0);
    expect(stickies(4)).toHaveLength(1);
    expect(stickies(4)[0]?.body).toContain('✅ **No risky changes.**');
    expect(stickies(4)[0]?.body).toContain('✅ acknowledged: reviewed: one bounded instance per worker');
    const quiet = await reldiff(['comment', 'v1.4.0', 'v1.5.0', '--pr', '40', '--mode', 'on-risk', '--fail-on', 'high']);
    expect(quiet.stderr).toMatch(/nothing risky; no comment posted/);
    expect(github.comments(REPOSITORY, 40)).toHaveLength(0);
    rmSync(join(repo.dir, '.reldiff'), { recursive: true, force: true });
  });

  it('--mode never posts nothing; --dry-run prints the body', async () => {
    await fresh();
    expect((await reldiff(['comment', 'v1.4.0', 'v1.5.0', '--pr', '6', '--mode', 'never'])).code).toBe(0);
    const dry = await reldiff(['comment', 'v1.4.0', 'v1.5.0', '--dry-run'], { GITHUB_TOKEN: '' });
    expect(dry.code).toBe(0);
    expect(dry.stdout.startsWith(MARKER)).toBe(true);
    expect(github.requests).toHaveLength(0);
  });

  const failures: [string, Parameters<FakeGitHub['fail']>[0] | undefined, Record<string, string>, RegExp][] = [
    ['bad token', undefined, { GITHUB_TOKEN: 'ghs_wrong0token0wrong0token0wrong' }, /GitHub rejected the token .*HTTP 401: Bad credentials.*GITHUB_TOKEN/],
    ['no permission', { method: 'POST', status: 403, message: 'Resource not accessible by integration' }, {}, /refused to let the token create the reldiff comment .*HTTP 403/],
    ['unknown repository', undefined, { GITHUB_REPOSITORY: 'acme/missing' }, /could not find acme\/missing pull request #8 \(HTTP 404\)/],
    ['invalid body', { method: 'POST', status: 422, message: 'Validation Failed' }, {}, /refused the request to create the reldiff comment \(HTTP 422: Validation Failed\)/],
    ['rate limit', { status: 403, message: 'API rate limit exceeded', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1900000000' } }, {}, /rate limit reached .*Try again at 2030-03-17T17:46:40Z/],
    ['secondary rate limit', { status: 429, message: 'You have exceeded a secondary rate limit', headers: { 'retry-after': '60' } }, {}, /rate limit reached .*HTTP 429.*in 60 s/],
    ['a 401 that echoes the token', { status: 401, message: `Bad credentials for ${TOKEN}` }, {}, /GitHub rejected the token .*HTTP 401: Bad credentials for \*\*\*\)/],
    ['a 422 that echoes the token', { method: 'POST', status: 422, message: `token ${TOKEN} invalid` }, {}, /HTTP 422: token \*\*\* invalid/],
    ['a 500 that echoes the token', { method: 'POST', status: 500, message: `internal: Bearer ${TOKEN}` }, {}, /GitHub failed .*HTTP 500: internal: Bearer \*\*\*/],
    ['unreachable API', undefined, { GITHUB_API_URL: 'http://127.0.0.1:9' }, /cannot reach the GitHub API at http:\/\/127.0.0.1:9/],
  ];
  for (const [name, failure, env, message] of failures) {
    it(`exits 2 with one line on ${name}, and never shows the token, even with --debug`, async () => {
      await fresh();
      if (failure) github.fail(failure);
      const r = await reldiff(['comment', 'v1.4.0', 'v1.5.0', '--pr', '8', '--debug'], env);
      expect(r.code).toBe(2);
      const errorLines = r.stderr.split('\n').filter(line => line.startsWith('reldiff: '));
      expect(errorLines).toHaveLength(1);
      expect(errorLines[0]).toMatch(message);
      expect(r.stdout + r.stderr).not.toContain(TOKEN);
      expect(r.stdout + r.stderr).not.toContain(env['GITHUB_TOKEN'] ?? TOKEN);
      expect(stickies(8)).toHaveLength(0);
    });
  }

  it('never edits a comment it did not write, even when it starts with the marker', async () => {
    await fresh();
    const theirs = github.addComment(REPOSITORY, 12, `${MARKER}\nI copied reldiff's comment to annotate it`, 'octocat');
    const r = await reldiff(['comment', 'v1.4.0', 'v1.5.0', '--pr', '12']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('comment created');
    expect(github.comments(REPOSITORY, 12).find(c => c.id === theirs.id)?.body).toBe(`${MARKER}\nI copied reldiff's comment to annotate it`);
    expect(stickies(12).filter(c => c.user.login === 'github-actions[bot]')).toHaveLength(1);
    expect(github.requests.filter(q => q.method === 'PATCH')).toHaveLength(0);
  });

  it('with a personal token, edits only the comment written by that token\'s user (GET /user)', async () => {
    await fresh(30, 'release-bot');
    github.addComment(REPOSITORY, 13, `${MARKER}\nby someone else`, 'octocat');
    const ours = github.addComment(REPOSITORY, 13, `${MARKER}\nold report`, 'release-bot');
    const r = await reldiff(['comment', 'v1.4.0', 'v1.5.0', '--pr', '13'], { GITHUB_ACTIONS: '' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('comment updated');
    expect(github.requests.filter(q => q.method === 'PATCH').map(q => q.path)).toEqual([`/repos/${REPOSITORY}/issues/comments/${ours.id}`]);
    expect(github.comments(REPOSITORY, 13)[0]?.body).toBe(`${MARKER}\nby someone else`);
  });

  it('outside Actions, a token that cannot say whose it is stops in one line before editing anything', async () => {
    await fresh();
    const r = await reldiff(['comment', 'v1.4.0', 'v1.5.0', '--pr', '14'], { GITHUB_ACTIONS: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^reldiff: GitHub refused to let the token learn whose token this is .*HTTP 403/m);
    expect(github.comments(REPOSITORY, 14)).toHaveLength(0);
  });

  it('refuses to run without a token or a pull request, in one line each', async () => {
    await fresh();
    const noToken = await reldiff(['comment', 'v1.4.0', 'v1.5.0', '--pr', '1'], { GITHUB_TOKEN: '' });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/^reldiff: GITHUB_TOKEN is not set\./);
    const noPr = await reldiff(['comment', 'v1.4.0', 'v1.5.0']);
    expect(noPr.code).toBe(2);
    expect(noPr.stderr).toMatch(/^reldiff: no pull request to comment on\. Pass --pr/);
  });
});
