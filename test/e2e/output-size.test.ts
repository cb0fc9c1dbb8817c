import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { buildRepo, type BuiltRepo } from '../helpers/build-repo.js';
import { runCli } from '../helpers/cli.js';
import { lockV3, type Pkg } from '../repos/npm-locks.js';

// Issue 18.3: a release that moved thousands of pins printed thousands of terminal lines and megabytes of Markdown,
// while the README offers `reldiff --format markdown > comment.md` for a pull-request comment (GitHub refuses a body
// over 65,536 characters). By default both show the top and sum up the rest; --all and JSON keep everything.

const COUNT = 3_000;
let repo: BuiltRepo;

const packages = (version: (i: number) => string): Pkg[] =>
  Array.from({ length: COUNT }, (_, i) => ({ name: `pkg-${String(i).padStart(4, '0')}`, version: version(i), dev: i % 3 === 0 }));

beforeAll(() => {
  const names = packages(() => '1.0.0').filter((_, i) => i % 50 === 0).map(p => p.name);
  repo = buildRepo({ commits: [
    { message: 'app', files: { 'package.json': '{"name":"app","version":"1.0.0"}\n', 'package-lock.json': lockV3(packages(() => '1.0.0'), names),
      'src/server.js': 'export const ok = 1;\n' }, tag: 'v1.0.0' },
    { message: 'Bump everything (#2394)', files: { 'package-lock.json': lockV3(packages(i => (i % 10 === 0 ? '2.0.0' : i % 2 ? '1.0.1' : '1.1.0')), names) } },
    { message: 'Cache every request', files: { 'src/server.js': 'const seen = {};\nexport function handle(req) {\n  seen[req.url] = Date.now();\n}\n' }, tag: 'v1.1.0' },
  ] });
}, 120_000);

afterAll(() => repo.cleanup());

describe('output sized for where it goes', () => {
  it('the terminal shows the top of the ranking, the highest-ranked pins and a sum of the rest', () => {
    const { code, stdout } = runCli(['v1.0.0', 'v1.1.0'], { cwd: repo.dir });
    expect(code).toBe(0);
    expect(stdout.split('\n').length).toBeLessThan(200);
    expect(stdout).toContain(`Dependency changes (3,000; the 30 ranked highest)`);
    expect(stdout).toMatch(/package-lock\.json \(npm\): 3,000 changes: 1,500 patch, 1,200 minor, 300 major/);
    expect(stdout).toMatch(/\.\.\. 2,99\d more \(all of them: --top 3\d{3} or --all, or --format json\)/);
  });

  it('--all lists every row', () => {
    const { code, stdout } = runCli(['v1.0.0', 'v1.1.0', '--all'], { cwd: repo.dir });
    expect(code).toBe(0);
    for (const i of [1, 1234, 2999]) expect(stdout).toContain(`pkg-${String(i).padStart(4, '0')} `);
    expect(stdout.split('\n').length).toBeGreaterThan(COUNT);
  });

  it('Markdown fits a GitHub comment by default and says where the rest is; --all and JSON hold everything', () => {
    const md = runCli(['v1.0.0', 'v1.1.0', '--format', 'markdown'], { cwd: repo.dir });
    expect(md.code).toBe(0);
    expect(md.stdout.length).toBeLessThanOrEqual(65_536);
    expect(md.stdout.length).toBeGreaterThan(30_000);
    expect(md.stdout).toContain("to keep this within GitHub's 65,536-character limit");
    expect(md.stdout).toContain('`package-lock.json`: 3,000 changes: 1,500 patch, 1,200 minor, 300 major');
    // The top of the ranking is there in full: the per-request cache first.
    expect(md.stdout.indexOf('src/server.js')).toBeLessThan(md.stdout.indexOf('pkg-'));
    // GitHub's own references keep working.
    expect(md.stdout).toContain('Bump everything \\(#2394\\)');

    const all = runCli(['v1.0.0', 'v1.1.0', '--format', 'markdown', '--all'], { cwd: repo.dir });
    expect(all.stdout.length).toBeGreaterThan(65_536);
    expect(all.stdout).not.toContain('65,536-character limit');
    const json = JSON.parse(runCli(['v1.0.0', 'v1.1.0', '--format', 'json'], { cwd: repo.dir }).stdout) as Report;
    expect(json.dependencies).toHaveLength(COUNT);
  });
});

describe('one huge value', () => {
  it('a 100 KB commit subject leaves Markdown and the PR comment within the limit, with the change still listed', () => {
    const subject = `Cache every request ${'x'.repeat(100_000)}`;
    const huge = buildRepo({ commits: [
      { message: 'app', files: { 'src/server.js': 'export const ok = 1;\n' }, tag: 'v1' },
      { message: subject, files: { 'src/server.js': 'const seen = {};\nexport function handle(req) {\n  seen[req.url] = Date.now();\n}\n' }, tag: 'v2' },
    ] });
    try {
      const md = runCli(['v1', 'v2', '--format', 'markdown'], { cwd: huge.dir });
      expect(md.code).toBe(0);
      expect(md.stdout.length).toBeLessThanOrEqual(65_536);
      expect(md.stdout).toContain('| 1 |');
      expect(md.stdout).toContain('Cache every request xxx');
      // The terminal cuts the value as Markdown does: one line of about 1,000 characters, not 100 KB twice.
      const terminal = runCli(['v1', 'v2'], { cwd: huge.dir });
      expect(terminal.code).toBe(0);
      expect(terminal.stdout.length).toBeLessThan(10_000);
      expect(terminal.stdout).toContain(`Cache every request ${'x'.repeat(900)}`);
      expect(terminal.stdout).toContain('x…');
      const comment = runCli(['comment', 'v1', 'v2', '--dry-run'], { cwd: huge.dir, env: { GITHUB_TOKEN: '' } });
      expect(comment.code).toBe(0);
      expect(comment.stdout.length).toBeLessThanOrEqual(65_536);
      expect(comment.stdout).toContain('src/server.js');
      expect(comment.stdout).not.toContain('No changes.');
      // JSON keeps the whole subject.
      const json = JSON.parse(runCli(['v1', 'v2', '--format', 'json'], { cwd: huge.dir }).stdout) as Report;
      expect(json.commits.at(-1)?.subject).toBe(subject);
    } finally {
      huge.cleanup();
    }
  });
});
