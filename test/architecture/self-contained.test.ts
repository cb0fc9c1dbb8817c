import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// A user's clone has nothing beside it: no file of the project may name the team's reference shelf, the
// folder beside our own checkout. Its lockfiles live in test/fixtures/lockfiles now (README there).

const root = resolve(import.meta.dirname, '../..');
// Built from parts so that this file does not name the folder itself.
const SHELF = 'sha' + 'red';
const NAMES_SHELF = new RegExp(`(\\.\\./)+${SHELF}\\b|\\b${SHELF}/(fixtures|docs)\\b`);

/** Every file git would put in a clone: tracked plus new, not ignored. */
function projectFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  return out.split('\0').filter(f => f && !f.endsWith('.gz'));
}

describe('the project is self-contained', () => {
  const files = projectFiles();
  it('lists the project files', () => {
    expect(files.length).toBeGreaterThan(200);
    expect(files).toContain('src/cli/main.ts');
  });
  it('the pattern catches what it must', () => {
    expect(NAMES_SHELF.test(`readFileSync('../${SHELF}/fixtures/lockfiles/x')`)).toBe(true);
    expect(NAMES_SHELF.test(`new URL('../../${SHELF}/x', import.meta.url)`)).toBe(true);
    expect(NAMES_SHELF.test(`see ${SHELF}/docs/ORIGIN.md`)).toBe(true);
    expect(NAMES_SHELF.test('a shared helper, shared_task')).toBe(false);
  });
  it('no file of the project names the folder beside the checkout', () => {
    const naming = files.filter(f => {
      try { return NAMES_SHELF.test(readFileSync(join(root, f), 'utf8')); } catch { return false; }
    });
    expect(naming).toEqual([]);
  });
});
