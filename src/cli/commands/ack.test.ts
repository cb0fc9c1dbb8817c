import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ReldiffError } from '../../errors.js';
import type { Io } from '../io.js';
import { run } from './ack.js';

// vitest sets EDITOR, and simple-git refuses to run while it is set; the git layer reads the environment at import.
vi.hoisted(() => { delete process.env['EDITOR']; });

let repo = '';
beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), 'reldiff-ack-'));
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
});
afterAll(async () => { await rm(repo, { recursive: true, force: true }); });

function io(): Io & { err: string[] } {
  const err: string[] = [];
  return { cwd: join(repo), env: {}, stdout: () => {}, stderr: t => { err.push(t); }, isStdoutTTY: false, isStderrTTY: false, err };
}

describe('reldiff ack', () => {
  it('writes and updates the store, sorted', async () => {
    const a = io();
    expect(await run(['src:app/cache.py', '--reason', 'bounded by LRU', '--until', '2999-01-01'], a)).toBe(0);
    expect(await run(['dep:npm:package-lock.json:sharp', '--reason', 'reviewed'], a)).toBe(0);
    expect(await run(['src:app/cache.py', '--reason', 'still bounded'], a)).toBe(0);
    const stored = JSON.parse(await readFile(join(repo, '.reldiff/acknowledged.json'), 'utf8')) as { acknowledged: { id: string; reason: string; until?: string }[] };
    expect(stored.acknowledged.map(x => [x.id, x.reason, x.until])).toEqual([
      ['dep:npm:package-lock.json:sharp', 'reviewed', undefined], ['src:app/cache.py', 'still bounded', undefined],
    ]);
    expect(a.err[0]).toMatch(/acknowledged src:app\/cache.py until 2999-01-01/);
    expect(await run(['src:app/cache.py', '--remove'], a)).toBe(0);
    expect(await readFile(join(repo, '.reldiff/acknowledged.json'), 'utf8')).not.toContain('cache.py');
  });

  it('refuses bad input with user errors', async () => {
    const cases: [string[], RegExp][] = [
      [[], /needs exactly one item id/],
      [['cache.py', '--reason', 'x'], /is not an item id/],
      [['src:a.py'], /needs --reason/],
      [['src:a.py', '--reason', 'x', '--until', '31/12/2026'], /is not a date/],
      [['src:a.py', '--reason', 'x', '--until', '2000-01-01'], /is in the past/],
      [['src:a.py', '--bogus'], /Unknown option/],
      [['src:never.py', '--remove'], /is not acknowledged/],
    ];
    for (const [argv, message] of cases) {
      await expect(run(argv, io())).rejects.toThrow(message);
      await expect(run(argv, io())).rejects.toBeInstanceOf(ReldiffError);
    }
  });
});
