import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// Builds a real git repository from a history written as data. Used by the demo and by the tests, so that no
// `.git` folder is ever committed. Dates, names and the branch are pinned: same history, same shas.

export interface HistoryCommit {
  message: string;
  /** Path -> new content; null deletes the file. */
  files: Record<string, string | null>;
  tag?: string;
  author?: string;
}

export interface History { commits: HistoryCommit[] }

export interface BuiltRepo {
  dir: string;
  /** Commit ids in history order. */
  shas: string[];
  tags: Record<string, string>;
  cleanup(): void;
}

const BASE_DATE = Date.UTC(2024, 0, 15, 9, 0, 0) / 1000;

export function gitEnv(index: number, author = 'Dana Developer'): Record<string, string> {
  const date = `${BASE_DATE + index * 3600} +0000`;
  return {
    GIT_AUTHOR_NAME: author, GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: author, GIT_COMMITTER_EMAIL: 'dev@example.com', GIT_COMMITTER_DATE: date,
    GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
  };
}

export function git(dir: string, args: string[], env: Record<string, string> = gitEnv(0)): string {
  const result = spawnSync('git', args, { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

export function buildRepo(history: History, dir = mkdtempSync(join(tmpdir(), 'reldiff-repo-'))): BuiltRepo {
  git(dir, ['init', '-q', '-b', 'main']);
  for (const [k, v] of [['commit.gpgsign', 'false'], ['tag.gpgsign', 'false'], ['gc.auto', '0'], ['maintenance.auto', 'false'],
    ['user.name', 'Dana Developer'], ['user.email', 'dev@example.com'], ['core.autocrlf', 'false']] as const) {
    git(dir, ['config', k, v]);
  }
  const shas: string[] = [];
  const tags: Record<string, string> = {};
  history.commits.forEach((commit, i) => {
    for (const [path, content] of Object.entries(commit.files)) {
      const full = join(dir, path);
      if (content === null) {
        try { unlinkSync(full); } catch { /* already gone */ }
      } else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
    const env = gitEnv(i, commit.author);
    git(dir, ['add', '-A'], env);
    git(dir, ['commit', '-q', '--allow-empty', '-m', commit.message], env);
    const sha = git(dir, ['rev-parse', 'HEAD'], env).trim();
    shas.push(sha);
    if (commit.tag) {
      git(dir, ['tag', commit.tag], env);
      tags[commit.tag] = sha;
    }
  });
  return { dir, shas, tags, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A `--depth` clone over the file protocol, as CI checkouts make them. */
export function shallowClone(source: string, depth: number, branch = 'main'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'reldiff-shallow-'));
  git(tmpdir(), ['clone', '-q', '--no-local', `--depth=${depth}`, '--branch', branch, `file://${source}`, dir]);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
