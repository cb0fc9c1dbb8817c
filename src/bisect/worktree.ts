import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative, isAbsolute } from 'node:path';
import { promisify } from 'node:util';
import { GitError, ReldiffError } from '../errors.js';

// Checkouts happen only in detached worktrees under a temp folder outside the user's repository: the user's
// working tree, HEAD, branch, index and stash are never touched. The pool is removed and pruned on every exit path.
// A worktree is addressed explicitly (`-C` plus a ceiling that stops git's upward search, and a check that its
// top level is the worktree): if a test command deleted the worktree's `.git`, a bare `cwd` would let git find
// the enclosing repository, and `checkout --force` / `clean -fd` would run on the user's own work.

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

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function real(path: string): string {
  try { return realpathSync(path); } catch { return path; }
}

/** The first temp folder outside the repository: TMPDIR may point inside it (a project-local tmp/). */
export function worktreeBase(repoRoot: string, candidates: readonly string[] = [tmpdir(), '/tmp', homedir()]): string {
  const root = real(repoRoot);
  const outside = candidates.map(real).find(dir => existsSync(dir) && !isInside(dir, root));
  if (outside === undefined) {
    throw new ReldiffError('bisect', `every temporary folder (${candidates.join(', ')}) is inside the repository, where a worktree would sit in your checkout`,
      'Set TMPDIR to a folder outside the repository');
  }
  return outside;
}

async function gitText(cwd: string, args: readonly string[], ceiling?: string): Promise<string> {
  const env = ceiling === undefined ? gitFreeEnv(process.env) : { ...gitFreeEnv(process.env), GIT_CEILING_DIRECTORIES: ceiling };
  const where = ceiling === undefined ? [] : ['-C', cwd];
  try {
    return (await run('git', [...NO_HOOKS, ...where, ...args], { cwd, env, maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    // A folder removed under git's feet fails the spawn itself, with nothing on stderr: that is a vanished worktree.
    if (ceiling !== undefined && !existsSync(cwd)) throw lostWorktree(cwd, 'the folder is gone');
    if (ceiling !== undefined && /not a git repository/.test(stderr)) throw lostWorktree(cwd, 'its entry under .git/worktrees is gone');
    const reason = stderr.split('\n').map(l => l.trim()).find(Boolean) ?? (error instanceof Error ? error.message : String(error));
    throw new GitError('git-failed', `git ${args[0] ?? ''} failed in a bisect worktree: ${reason}`,
      'Run `git worktree prune` and try again', stderr);
  }
}

function lostWorktree(dir: string, what: string): ReldiffError {
  return new ReldiffError('bisect', `the bisect worktree ${dir} vanished (${what}; did the test command delete it?), so the bisect stopped without a verdict`,
    'Make the check leave the folder and its .git file in place (for example `git clean -fdx -e .git`), then run reldiff bisect again');
}

export class WorktreePool {
  readonly dirs: string[] = [];
  private base: string | undefined;
  private isDisposed = false;

  constructor(readonly repoRoot: string) {}

  async create(count: number, at: string): Promise<void> {
    this.base = mkdtempSync(join(worktreeBase(this.repoRoot), 'reldiff-bisect-'));
    for (let i = 0; i < count; i++) {
      const dir = join(this.base, `wt-${i}`);
      this.dirs.push(dir);
      await gitText(this.repoRoot, ['worktree', 'add', '--detach', '--force', dir, at]);
    }
  }

  /** Moves worktree `slot` to `sha`, dropping what the previous test left behind (ignored files stay, like caches). */
  async checkout(slot: number, sha: string): Promise<string> {
    const dir = this.intact(slot);
    const top = (await gitText(dir, ['rev-parse', '--show-toplevel'], real(dirname(dir)))).trim();
    if (real(top) !== real(dir)) throw lostWorktree(dir, `git sees ${top} there`);
    await gitText(dir, ['checkout', '--detach', '--force', '--quiet', sha], real(dirname(dir)));
    await gitText(dir, ['clean', '-fdq'], real(dirname(dir)));
    return dir;
  }

  /** The worktree's folder, after checking that its `.git` is still there: a run that removed it gives no verdict. */
  intact(slot: number): string {
    const dir = this.dirs[slot];
    if (dir === undefined) throw new Error(`no worktree ${slot}`);
    if (!existsSync(join(dir, '.git'))) throw lostWorktree(dir, existsSync(dir) ? 'its .git file is gone' : 'the folder is gone');
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
