import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRepo, type HistoryCommit } from '../helpers/build-repo.js';
import { projectRoot, runCli } from '../helpers/cli.js';

// The blob cache as a user meets it: `reldiff A B` twice, two runs at once, a damaged cache, --no-cache.

function yarnLock(versions: Record<string, string>): string {
  return `# yarn lockfile v1\n\n\n${Object.entries(versions).sort().map(([n, v]) =>
    `${n}@^${v.split('.')[0]}.0.0:\n  version "${v}"\n  resolved "https://registry.yarnpkg.com/${n}/-/${n}-${v}.tgz#0"\n  integrity sha512-${n}${v}\n`).join('\n')}`;
}

function history(): HistoryCommit[] {
  const versions: Record<string, string> = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`pkg-${i}`, '1.0.0']));
  const commits: HistoryCommit[] = [{ message: 'start', files: { 'yarn.lock': yarnLock(versions), 'src/app.js': 'export const a = 1;\n' }, tag: 'v1' }];
  for (let c = 1; c <= 8; c++) {
    versions[`pkg-${c}`] = `1.${c}.0`;
    if (c === 4) versions['pkg-1'] = '1.0.0';
    commits.push({ message: `bump pkg-${c}`, files: { 'yarn.lock': yarnLock(versions), 'src/app.js': `export const a = ${c};\n` } });
  }
  commits.push({ message: 'release', files: { 'src/app.js': 'export const a = 9;\n' }, tag: 'v2' });
  return commits;
}

const cacheDir = (repo: string): string => join(repo, '.git', 'reldiff-cache');
const entries = (dir: string): string[] => readdirSync(dir).flatMap(s => readdirSync(join(dir, s)).map(f => join(dir, s, f)));

function runAsync(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(done => {
    const child = spawn(process.execPath, [resolve(projectRoot, 'bin/reldiff.js'), '--offline', ...args], { cwd, env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', HOME: cwd } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => { stdout += d; });
    child.stderr.on('data', d => { stderr += d; });
    child.on('close', code => done({ code: code ?? -1, stdout, stderr }));
  });
}

describe('the blob cache (reldiff A B)', () => {
  it('gives the same bytes on the second run, with a damaged cache and with --no-cache, and keeps nothing with --no-cache', () => {
    const repo = buildRepo({ commits: history() });
    try {
      const uncached = runCli(['v1', 'v2', '--format', 'json', '--no-cache'], { cwd: repo.dir });
      expect(uncached.code, uncached.stderr).toBe(0);
      expect(existsSync(cacheDir(repo.dir))).toBe(false);
      const report = JSON.parse(uncached.stdout) as { dependencies: { name: string; commits: string[] }[] };
      // pkg-1 moved twice (up, then back down and so unchanged at v2); pkg-2 once, by its own commit.
      expect(report.dependencies.find(d => d.name === 'pkg-2')?.commits).toEqual([repo.shas[2]]);
      const first = runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir });
      expect(entries(cacheDir(repo.dir)).length).toBeGreaterThan(0);
      const second = runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir });
      expect(first.stdout).toBe(uncached.stdout);
      expect(second.stdout).toBe(first.stdout);
      for (const [i, f] of entries(cacheDir(repo.dir)).entries()) writeFileSync(f, i % 2 === 0 ? '' : '\x1f\x8b garbage');
      const damaged = runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir });
      expect(damaged.code, damaged.stderr).toBe(0);
      expect(damaged.stdout).toBe(first.stdout);
      // The terminal report too, the way a person reads it.
      expect(runCli(['v1', 'v2'], { cwd: repo.dir }).stdout).toBe(runCli(['v1', 'v2', '--no-cache'], { cwd: repo.dir }).stdout);
    } finally {
      repo.cleanup();
    }
  }, 60_000);

  it('two runs at once on an empty cache both give the whole answer', async () => {
    const repo = buildRepo({ commits: history() });
    try {
      const expected = runCli(['v1', 'v2', '--format', 'json', '--no-cache'], { cwd: repo.dir }).stdout;
      const runs = await Promise.all([1, 2, 3].map(() => runAsync(['v1', 'v2', '--format', 'json'], repo.dir)));
      for (const r of runs) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toBe(expected);
      }
      expect(entries(cacheDir(repo.dir)).filter(f => f.endsWith('.tmp'))).toEqual([]);
      expect((await runAsync(['v1', 'v2', '--format', 'json'], repo.dir)).stdout).toBe(expected);
    } finally {
      repo.cleanup();
    }
  }, 60_000);
});
