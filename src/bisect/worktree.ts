import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GitError } from '../errors.js';

// Checkouts happen only in detached worktrees under the system temp folder: the user's working tree, HEAD,
// branch, index and stash are never touched. The pool is removed and pruned on every exit path.

// These commands run git directly rather than through git/exec.ts: the user's hooks (post-checkout...) must not
// run for temporary checkouts, and simple-git refuses `-c core.hooksPath`.
const NO_HOOKS = ['-c', 'core.hooksPath=/dev/null', '-c', 'advice.detachedHead=false'];
const run = promisify(execFile);

/** The environment without variables that would point git at another repository than the one asked. */
export function gitFreeEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const clean: Record<string, string | undefined> = { ...env, GIT_TERMINAL_PROMPT: '0' };
  for (const key of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_COMMON_DIR', 'GIT_PREFIX']) delete clean[key];
  return clean;
}

async function gitText(cwd: string, args: readonly string[]): Promise<string> {
  try {
    return (await run('git', [...NO_HOOKS, ...args], { cwd, env: gitFreeEnv(process.env), maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new GitError('git-failed', `git ${args[0] ?? ''} failed in a bisect worktree: ${stderr.trim().split('\n')[0] ?? ''}`,
      'Run `git worktree prune` and try again', stderr);
  }
}

export class WorktreePool {
  readonly dirs: string[] = [];
  private base: string | undefined;
  private isDisposed = false;

  constructor(readonly repoRoot: string) {}

  async create(count: number, at: string): Promise<void> {
    this.base = mkdtempSync(join(tmpdir(), 'reldiff-bisect-'));
    for (let i = 0; i < count; i++) {
      const dir = join(this.base, `wt-${i}`);
      this.dirs.push(dir);
      await gitText(this.repoRoot, ['worktree', 'add', '--detach', '--force', dir, at]);
    }
  }

  /** Moves worktree `slot` to `sha`, dropping what the previous test left behind (ignored files stay, like caches). */
  async checkout(slot: number, sha: string): Promise<string> {
    const dir = this.dirs[slot];
    if (dir === undefined) throw new Error(`no worktree ${slot}`);
    await gitText(dir, ['checkout', '--detach', '--force', '--quiet', sha]);
    await gitText(dir, ['clean', '-fdq']);
    return dir;
  }

  async dispose(): Promise<void> {
    if (this.isDisposed) return;
    this.isDisposed = true;
    for (const dir of this.dirs) {
      await gitText(this.repoRoot, ['worktree', 'remove', '--force', '--force', dir]).catch(() => undefined);
    }
    await gitText(this.repoRoot, ['worktree', 'prune']).catch(() => undefined);
    if (this.base) rmSync(this.base, { recursive: true, force: true });
  }

  /** For signal handlers, where the event loop may not get another turn. */
  disposeSync(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    for (const dir of this.dirs) {
      spawnSync('git', [...NO_HOOKS, 'worktree', 'remove', '--force', '--force', dir], { cwd: this.repoRoot, stdio: 'ignore', env: gitFreeEnv(process.env) });
    }
    spawnSync('git', [...NO_HOOKS, 'worktree', 'prune'], { cwd: this.repoRoot, stdio: 'ignore', env: gitFreeEnv(process.env) });
    if (this.base) rmSync(this.base, { recursive: true, force: true });
  }
}
