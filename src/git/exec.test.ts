import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitError } from '../errors.js';
import { gitText, gitTextOrUndefined } from './exec.js';

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'reldiff-exec-'));
  await gitText(dir, ['init', '-q']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gitText', () => {
  it('resolves with what git printed, with the stable settings applied', async () => {
    expect((await gitText(dir, ['rev-parse', '--is-bare-repository'])).trim()).toBe('false');
    expect((await gitText(dir, ['config', '--get', 'core.quotepath'])).trim()).toBe('false');
  });

  it('rejects a failure with git\'s first line and its whole stderr', async () => {
    const error = await gitText(dir, ['rev-parse', '--verify', 'no-such-ref']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).code).toBe('git-failed');
    expect((error as GitError).message).toMatch(/^git rev-parse failed: Needed a single revision/);
    // A failure that prints nothing is a failure too (config --get of an unset key exits 1, silently).
    await expect(gitText(dir, ['config', '--get', 'reldiff.unset'])).rejects.toThrow(/git config failed: exit code 1/);
    expect(await gitTextOrUndefined(dir, ['config', '--get', 'reldiff.unset'])).toBeUndefined();
  });

  it('runs many at once, a few at a time, and answers each its own', async () => {
    const keys = Array.from({ length: 12 }, (_, i) => `core.k${i}`);
    const answers = await Promise.all(keys.map(k => gitText(dir, ['-c', `${k}=v-${k}`, 'config', '--get', k]).catch(() => 'failed')));
    expect(answers.map(a => a.trim())).toEqual(keys.map(k => `v-${k}`));
  });
});
