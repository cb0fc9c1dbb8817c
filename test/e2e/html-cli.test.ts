import { spawnSync } from 'node:child_process';
import { runCli } from '../helpers/cli.js';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Report } from '../../src/report/model.js';
import { launchBrowser, openReport, type OpenedReport } from '../helpers/browser.js';

// The HTML report end to end: a repository built here, the real CLI, the page in Chromium.

const HOSTILE_PATH = 'src/"><img src=x onerror=window.__pwned=1>.js';

function lockfile(ms: string): string {
  return `${JSON.stringify({
    name: 'service', version: '1.0.0', lockfileVersion: 3, requires: true,
    packages: {
      '': { name: 'service', version: '1.0.0', dependencies: { ms: `^${ms}` } },
      'node_modules/ms': { version: ms, resolved: `https://registry.npmjs.org/ms/-/ms-${ms}.tgz`, integrity: 'sha512-AAAA' },
    },
  }, null, 2)}\n`;
}

const HISTORY: { subject: string; files: Record<string, string> }[] = [
  { subject: '<script>window.__pwned=1</script>', files: { 'src/app.js': 'const cache = new Map();\nexport function handle(req) {\n  cache.set(req.id, req);\n  return cache.size;\n}\n' } },
  { subject: '<img src=x onerror=window.__pwned=1>', files: { 'package-lock.json': lockfile('2.1.3') } },
  { subject: 'Add hostile file name', files: { [HOSTILE_PATH]: 'export const x = 1;\n' } },
  { subject: 'Docs', files: { 'docs/usage.md': '# usage\n' } },
];

function buildRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'reldiff-html-repo-'));
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Test "<b>"', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: dir };
  let day = 1;
  const git = (args: string[]): void => {
    const date = `2024-02-${String(day).padStart(2, '0')}T00:00:00Z`;
    const r = spawnSync('git', args, { cwd: dir, env: { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  };
  const write = (files: Record<string, string>): void => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  };
  git(['init', '-q', '-b', 'main']);
  git(['config', 'commit.gpgsign', 'false']);
  git(['config', 'gc.auto', '0']);
  write({ 'package.json': '{ "name": "service", "version": "1.0.0", "dependencies": { "ms": "^2.1.2" } }\n',
    'package-lock.json': lockfile('2.1.2'), 'src/app.js': 'export function handle(req) {\n  return req.id;\n}\n' });
  git(['add', '-A']);
  git(['commit', '-qm', 'base']);
  git(['tag', 'v1']);
  for (const step of HISTORY) {
    day++;
    write(step.files);
    git(['add', '-A']);
    git(['commit', '-qm', step.subject]);
  }
  git(['tag', 'v2']);
  return dir;
}

/** The built CLI (npm test builds first), offline with its own empty cache: no test reaches the internet. */
function reldiff(args: string[]): string {
  const r = runCli(args, { cwd: tmpdir() });
  if (r.code !== 0) throw new Error(`reldiff ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

let browser: Browser;
let repo: string;
let report: Report;
let html: string;
let opened: OpenedReport;

beforeAll(async () => {
  repo = buildRepo();
  report = JSON.parse(reldiff(['v1', 'v2', '--format', 'json', '--repo', repo])) as Report;
  const out = join(repo, '..', `${repo.split('/').pop() ?? 'x'}.html`);
  reldiff(['v1', 'v2', '--format', 'html', '--repo', repo, '--output', out]);
  html = readFileSync(out, 'utf8');
  rmSync(out, { force: true });
  browser = await launchBrowser();
  opened = await openReport(browser, html);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (repo) rmSync(repo, { recursive: true, force: true });
});

describe('reldiff v1 v2 --format html, in Chromium', () => {
  it('is the same report on every run', () => {
    const again = join(tmpdir(), `reldiff-html-again-${process.pid}.html`);
    reldiff(['v1', 'v2', '--format', 'html', '--repo', repo, '--output', again]);
    expect(readFileSync(again, 'utf8')).toBe(html);
    rmSync(again, { force: true });
  });

  it('draws one bar per commit and marks the lockfile commit', async () => {
    const { page } = opened;
    expect(report.commits).toHaveLength(HISTORY.length);
    expect(await page.locator('svg.tl-svg .tl-bar').count()).toBe(report.commits.length);
    const lockCommits = new Set(report.dependencies.flatMap(d => d.commits));
    expect(lockCommits.size).toBeGreaterThan(0);
    expect(await page.locator('svg.tl-svg .tl-lock').count()).toBe(lockCommits.size);
    await page.locator('.tl-commit').nth(1).focus();
    const detail = await page.locator('#tl-detail').innerText();
    expect(detail).toContain(HISTORY[1]?.subject);
    expect(detail).toContain('changes a lockfile');
  });

  it('filters the ranking', async () => {
    const { page } = opened;
    const rows = page.locator('#rank-table tbody.item:not([hidden])');
    expect(await rows.count()).toBe(report.ranking.length);
    await page.locator('#f-text').fill('app.js');
    expect(await rows.count()).toBe(report.ranking.filter(i => `${i.file ?? ''} ${i.title}`.includes('app.js')).length);
    await page.locator('#f-text').fill('');
    await page.locator('#f-kind').selectOption('dependency');
    expect(await rows.count()).toBe(report.ranking.filter(i => i.kind === 'dependency').length);
    await page.locator('#f-kind').selectOption('');
  });

  it('runs nothing from the repository and requests nothing', async () => {
    const { page, requests, errors } = opened;
    expect(errors).toEqual([]);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(requests).toEqual([]);
    await expect(page.locator('#rank-table').innerText()).resolves.toContain(HOSTILE_PATH);
  });
});
