import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitText } from '../git/exec.js';

// Checkouts happen only in detached worktrees under the system temp folder: the user's working tree, HEAD,
// branch, index and stash are never touched. The pool is removed and pruned on every exit path.

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
      spawnSync('git', ['worktree', 'remove', '--force', '--force', dir], { cwd: this.repoRoot, stdio: 'ignore' });
    }
    spawnSync('git', ['worktree', 'prune'], { cwd: this.repoRoot, stdio: 'ignore' });
    if (this.base) rmSync(this.base, { recursive: true, force: true });
  }
}
