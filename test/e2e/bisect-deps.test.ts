import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepo, git, type BuiltRepo } from '../helpers/build-repo.js';
import { lockFor, npmEnv, runCliAsync as runCli, startPackageRegistry } from '../helpers/fake-npm-packages.js';
import type { RegistryServer } from '../helpers/registry-server.js';

// reldiff bisect A B --deps over npm, as a user runs it: a loopback registry with real tarballs, lockfiles written by
// the real npm, trials installed by npm ci in worktrees of A, and a check that sees leak-lib@1.1.0's marker.

const NOISE = ['noise-a', 'noise-b', 'noise-c', 'noise-d'];
const work = mkdtempSync(join(tmpdir(), 'reldiff-deps-e2e-'));
let server: RegistryServer;
let repo: BuiltRepo;
let env: Record<string, string>;

const manifest = (v: 'old' | 'new') => ({
  name: 'service', version: '1.0.0', private: true,
  dependencies: {
    'leak-lib': v === 'old' ? '1.0.0' : '1.1.0', 'core-x': v === 'old' ? '1.0.0' : '2.0.0',
    ...Object.fromEntries(NOISE.map(n => [n, v === 'old' ? '1.0.0' : '1.1.0'])),
  },
});

beforeAll(async () => {
  const plain = (version: string) => ({ version });
  server = await startPackageRegistry({
    'leak-lib': [plain('1.0.0'), { version: '1.1.0', index: 'module.exports = { leaks: true };\n' }],
    'core-x': [{ version: '1.0.0', dependencies: { 'core-y': '^1.0.0' } }, { version: '2.0.0', dependencies: { 'core-y': '^2.0.0' } }],
    'core-y': [plain('1.0.0'), plain('2.0.0')],
    ...Object.fromEntries(NOISE.map(n => [n, [plain('1.0.0'), plain('1.1.0')]])),
  });
  env = { ...npmEnv(server.url, join(work, 'npm-cache')), HOME: work };
  const check = 'process.exit(require("leak-lib").leaks ? 1 : 0);\n';
  const oldLock = await lockFor(manifest('old'), env);
  const newLock = await lockFor(manifest('new'), env);
  mkdirSync(join(work, 'repo'));
  repo = buildRepo({ commits: [
    { message: 'service', tag: 'v1', files: { 'package.json': JSON.stringify(manifest('old'), null, 2), 'package-lock.json': oldLock,
      'check.js': check, '.gitignore': 'node_modules/\n' } },
    { message: 'bump everything', tag: 'v2', files: { 'package.json': JSON.stringify(manifest('new'), null, 2), 'package-lock.json': newLock } },
  ] }, join(work, 'repo'));
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('reldiff bisect --deps (npm)', () => {
  it('--dry-run shows the units, the group the lockfile forces and why, and the expected runs', async () => {
    const result = await runCli(['bisect', 'v1', 'v2', '--deps', '--dry-run', '--format', 'json'], { cwd: repo.dir, env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(plan.lockfile).toBe('package-lock.json');
    expect(plan.units).toHaveLength(6);
    const group = plan.units.find((u: { members: unknown[] }) => u.members.length > 1);
    expect(group.members.map((m: { name: string }) => m.name)).toEqual(['core-x', 'core-y']);
    expect(group.group).toEqual(['core-x@2.0.0 requires core-y@^2.0.0, which core-y@1.0.0 does not satisfy']);
    expect(plan.runs.bound).toBe(5);
    expect(plan.runs.worst).toBeLessThanOrEqual(5);
    const text = await runCli(['bisect', 'v1', 'v2', '--deps', '--dry-run'], { cwd: repo.dir, env });
    expect(text.stdout).toContain('7 upgraded packages in 6 units (1 groups that move together)');
    expect(text.stdout).toMatch(/target ceil\(log2 n\) \+ 2 = 5/);
  });

  it('names leak-lib 1.0.0 -> 1.1.0 within the target, trial by trial, and leaves the checkout as it was', async () => {
    const before = git(repo.dir, ['status', '--porcelain', '--ignored']);
    const result = await runCli(['bisect', 'v1', 'v2', '--deps', '--run', 'node check.js', '--format', 'json'], { cwd: repo.dir, env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.culprit).toMatchObject({ name: 'leak-lib', from: '1.0.0', to: '1.1.0', lockfile: 'package-lock.json' });
    expect(out.isGroup).toBe(false);
    expect(out.runs).toBeLessThanOrEqual(5);
    expect(out.trials.length).toBe(out.runs);
    // Each verdict agrees with whether the trial's set held the leaking version.
    for (const t of out.trials) expect(t.verdict).toBe(t.set.includes('leak-lib@1.1.0') ? 'bad' : 'good');
    expect(git(repo.dir, ['status', '--porcelain', '--ignored'])).toBe(before);
    expect(git(repo.dir, ['worktree', 'list']).trim().split('\n')).toHaveLength(1);
    expect(git(repo.dir, ['stash', 'list'])).toBe('');
  }, 180_000);

  it('says when the check passes with every upgrade applied: the leak is not in this lockfile (exit 2, one line)', async () => {
    const result = await runCli(['bisect', 'v1', 'v2', '--deps', '--run', 'true', '--format', 'markdown'], { cwd: repo.dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^reldiff: the check passes with every upgrade of package-lock.json applied .*\n$/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  }, 180_000);

  it('refuses a --lockfile that did not change, naming the ones that did', async () => {
    const result = await runCli(['bisect', 'v1', 'v2', '--deps', '--dry-run', '--lockfile', 'web/package-lock.json'], { cwd: repo.dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Pick one of: package-lock.json');
  });
});
