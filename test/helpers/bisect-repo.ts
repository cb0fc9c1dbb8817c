import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// Linear test histories for bisect: commit i writes the files returned by files(i); the culprit's files
// contain BUG-MARKER, which every later commit keeps. Pinned identity and dates, no gpg, no gc.

export interface BisectRepo { dir: string; shas: string[]; base: string }

export function buildBisectRepo(count: number, files: (i: number) => Record<string, string>): BisectRepo {
  const dir = mkdtempSync(join(tmpdir(), 'reldiff-bisect-repo-'));
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: dir };
  const git = (args: string[], date = '2024-01-01T00:00:00Z'): string =>
    execFileSync('git', args, { cwd: dir, env: { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }, encoding: 'utf8' }).trim();
  git(['init', '-q', '-b', 'main']);
  git(['config', 'commit.gpgsign', 'false']);
  git(['config', 'gc.auto', '0']);
  git(['config', 'user.name', 'Test']);
  git(['config', 'user.email', 't@example.com']);
  writeFileSync(join(dir, 'README.md'), '# service\n');
  git(['add', '-A']);
  git(['commit', '-qm', 'base']);
  git(['tag', 'v1']);
  const base = git(['rev-parse', 'HEAD']);
  const shas: string[] = [];
  for (let i = 0; i < count; i++) {
    for (const [path, text] of Object.entries(files(i))) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    git(['add', '-A']);
    git(['commit', '-qm', `change ${i}`], `2024-01-${String(2 + i).padStart(2, '0')}T00:00:00Z`);
    shas.push(git(['rev-parse', 'HEAD']));
  }
  git(['tag', 'v2']);
  return { dir, shas, base };
}

/**
 * main: m0 m1 ... m2 M m3 m4, where M merges feature (f0 f1 f2, forked at m1); f1 adds BUG-MARKER.
 * The first-parent chain sees M as the first bad commit; the culprit is f1.
 */
export function buildMergeRepo(): BisectRepo & { culprit: string } {
  const repo = buildBisectRepo(2, i => ({ [`app/m${i}.py`]: `x = ${i}\n` }));
  const git = (args: string[]): string => execFileSync('git', args, { cwd: repo.dir, encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_DATE: '2024-02-01T00:00:00Z', GIT_COMMITTER_DATE: '2024-02-01T00:00:00Z' } }).trim();
  git(['tag', '-d', 'v2']);
  git(['checkout', '-q', '-b', 'feature']);
  const commit = (path: string, text: string, message: string): string => {
    mkdirSync(dirname(join(repo.dir, path)), { recursive: true });
    writeFileSync(join(repo.dir, path), text);
    git(['add', '-A']);
    git(['commit', '-qm', message]);
    return git(['rev-parse', 'HEAD']);
  };
  commit('app/f0.py', 'f = 0\n', 'feature 0');
  const culprit = commit('app/f1.py', 'f = 1  # BUG-MARKER\n', 'feature 1');
  commit('app/f2.py', 'f = 2\n', 'feature 2');
  git(['checkout', '-q', 'main']);
  commit('app/m2.py', 'x = 2\n', 'main 2');
  git(['merge', '-q', '--no-ff', '-m', 'merge feature', 'feature']);
  commit('app/m3.py', 'x = 3\n', 'main 3');
  commit('app/m4.py', 'x = 4\n', 'main 4');
  git(['tag', 'v2']);
  return { ...repo, culprit };
}
