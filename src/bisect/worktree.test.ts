import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { worktreeBase } from './worktree.js';

const top = mkdtempSync(join(tmpdir(), 'reldiff-wtbase-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));

describe('worktreeBase', () => {
  const repo = join(top, 'repo');
  const inside = join(repo, 'tmp');
  const outside = join(top, 'elsewhere');
  mkdirSync(inside, { recursive: true });
  mkdirSync(outside);

  it('skips a temp folder inside the repository for the next one outside it', () => {
    expect(worktreeBase(repo, [inside, outside])).toBe(outside);
  });
  it('accepts a temp folder that holds the repository (worktrees sit beside it, not in it)', () => {
    expect(worktreeBase(repo, [top])).toBe(top);
  });
  it('refuses when every candidate is inside the repository, saying how to fix it', () => {
    expect(() => worktreeBase(repo, [inside, repo])).toThrow(/inside the repository.*|Set TMPDIR/);
  });
});
