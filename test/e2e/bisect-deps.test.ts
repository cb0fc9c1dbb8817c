import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepo, git, type BuiltRepo } from '../helpers/build-repo.js';
import { lockFor, loggingTool, npmEnv, runCliAsync as runCli, startPackageRegistry } from '../helpers/fake-npm-packages.js';
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

/** An `npm` first on PATH that logs its arguments and runs the real one: which npm start-ups a trial made. */
function loggingNpm(base: Record<string, string>, name: string): { env: Record<string, string>; calls: () => string[] } {
  return loggingTool('npm', join(work, `npm-shim-${name}`), { ...base, PATH: process.env['PATH'] ?? '/usr/bin:/bin' });
}

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
    expect(group.group).toEqual(['core-x@2.0.0 requires core-y ^2.0.0 (package-lock.json dependencies), which core-y@1.0.0 does not satisfy']);
    expect(plan.runs.bound).toBe(5);
    expect(plan.runs.worst).toBeLessThanOrEqual(5);
    const text = await runCli(['bisect', 'v1', 'v2', '--deps', '--dry-run'], { cwd: repo.dir, env });
    expect(text.stdout).toContain('7 upgraded packages in 6 units (1 group that must move together)');
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

  it('installs each trial with one npm start-up (npm ci of from\'s lock with to\'s entries spliced in), a tree npm ls finds whole', async () => {
    const npm = loggingNpm(env, 'splice');
    const result = await runCli(['bisect', 'v1', 'v2', '--deps', '--run', 'npm ls --all --loglevel=error > /dev/null && node check.js', '--format', 'json'],
      { cwd: repo.dir, env: npm.env });
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout);
    expect(out.culprit).toMatchObject({ name: 'leak-lib', from: '1.0.0', to: '1.1.0' });
    // npm ls exits 1 on a missing or invalid dependency, which would turn a good trial bad: every verdict follows leak-lib.
    for (const t of out.trials) expect(t.verdict).toBe(t.set.includes('leak-lib@1.1.0') ? 'bad' : 'good');
    const installs = npm.calls().filter(c => !c.startsWith('ls '));
    expect(installs).toHaveLength(out.trials.length);
    expect(installs.every(c => c.startsWith('ci '))).toBe(true);
  }, 180_000);

  it('resumes from the JSON it wrote, reusing every verdict, and refuses a file that is not one (exit 2)', async () => {
    const first = join(work, 'first.json');
    const done = await runCli(['bisect', 'v1', 'v2', '--deps', '--run', 'node check.js', '--format', 'json', '--output', first], { cwd: repo.dir, env });
    expect(done.code).toBe(0);
    const again = await runCli(['bisect', 'v1', 'v2', '--deps', '--run', 'false', '--format', 'json', '--resume', first], { cwd: repo.dir, env });
    expect(again.stderr).toBe('');
    const out = JSON.parse(again.stdout);
    // The check given now would fail everything: the verdicts can only have come from the file.
    expect(out.culprit).toMatchObject({ name: 'leak-lib', to: '1.1.0' });
    expect(out.trials.every((t: { resumed?: boolean }) => t.resumed === true)).toBe(true);
    const page = await runCli(['bisect', 'v1', 'v2', '--deps', '--run', 'false', '--format', 'html', '--resume', first], { cwd: repo.dir, env });
    expect(page.code).toBe(0);
    expect(page.stdout).toMatch(/^<!DOCTYPE html>/);
    expect(page.stdout).toContain('<li><code>leak-lib</code> 1.0.0 → 1.1.0</li>');
    const broken = await runCli(['bisect', 'v1', 'v2', '--deps', '--run', 'true', '--resume', join(repo.dir, 'check.js')], { cwd: repo.dir, env });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^reldiff: --resume .*check\.js: not JSON\. Give the JSON/);
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

describe('reldiff bisect --deps (npm refuses a mix)', () => {
  // b-plugin@1.0.0 peers on a-host ^1, so npm refuses a-host@2 without b-plugin@1.1.0 (which accepts ^1 || ^2).
  // The to lockfile's edges cannot see that (b-plugin@1.1.0 accepts the old a-host), so the trial is a skip and the
  // group grows to the two packages npm would not split.
  let refusing: RegistryServer;
  let two: BuiltRepo;
  let twoEnv: Record<string, string>;
  const deps = (v: 'old' | 'new') => ({ name: 'svc', version: '1.0.0', private: true,
    dependencies: { 'a-host': v === 'old' ? '1.0.0' : '2.0.0', 'b-plugin': v === 'old' ? '1.0.0' : '1.1.0', 'noise-a': v === 'old' ? '1.0.0' : '1.1.0' } });
  beforeAll(async () => {
    refusing = await startPackageRegistry({
      'a-host': [{ version: '1.0.0' }, { version: '2.0.0', index: 'module.exports = { leaks: true };\n' }],
      'b-plugin': [{ version: '1.0.0', peerDependencies: { 'a-host': '^1.0.0' } }, { version: '1.1.0', peerDependencies: { 'a-host': '^1.0.0 || ^2.0.0' } }],
      'noise-a': [{ version: '1.0.0' }, { version: '1.1.0' }],
    });
    twoEnv = { ...npmEnv(refusing.url, join(work, 'npm-cache-2')), HOME: work };
    const oldLock = await lockFor(deps('old'), twoEnv);
    const newLock = await lockFor(deps('new'), twoEnv);
    mkdirSync(join(work, 'repo-2'));
    two = buildRepo({ commits: [
      { message: 'svc', tag: 'v1', files: { 'package.json': JSON.stringify(deps('old'), null, 2), 'package-lock.json': oldLock, '.gitignore': 'node_modules/\n',
        'check.js': 'process.exit(require("a-host").leaks ? 1 : 0);\n' } },
      { message: 'bump', tag: 'v2', files: { 'package.json': JSON.stringify(deps('new'), null, 2), 'package-lock.json': newLock } },
    ] }, join(work, 'repo-2'));
  }, 120_000);
  afterAll(async () => { await refusing?.close(); });

  it('counts the refused install as a skip and names a-host with b-plugin as the group, saying why', async () => {
    const result = await runCli(['bisect', 'v1', 'v2', '--deps', '--run', 'node check.js', '--format', 'json'], { cwd: two.dir, env: twoEnv });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.isGroup).toBe(true);
    expect(out.culprit.members.map((m: { name: string }) => m.name)).toEqual(['a-host', 'b-plugin']);
    expect(out.culprit.why.at(-1)).toMatch(/refused every mix that would split a-host, b-plugin/);
    const refused = out.trials.find((t: { verdict: string }) => t.verdict === 'skip');
    // npm 11 writes the lockfile and refuses the tree at npm ci; older npm refuses at install --package-lock-only.
    expect(refused.reason).toMatch(/^npm (?:install --package-lock-only|ci) exited 1: .*ERESOLVE/);
  }, 180_000);
});

describe('reldiff bisect --deps (npm moves the pins where the splice cannot decide)', () => {
  // dup@2.0.0 leaks; old-user stays and still asks for dup ^1, so the to lockfile nests a copy of dup@1 under it: a
  // nested copy that moves, which the splice leaves to npm install --package-lock-only. noise-a's trials splice.
  let nesting: RegistryServer;
  let three: BuiltRepo;
  let threeEnv: Record<string, string>;
  const deps = (v: 'old' | 'new') => ({ name: 'svc', version: '1.0.0', private: true,
    dependencies: { dup: v === 'old' ? '1.0.0' : '2.0.0', 'old-user': '1.0.0', 'noise-a': v === 'old' ? '1.0.0' : '1.1.0' } });
  beforeAll(async () => {
    nesting = await startPackageRegistry({
      dup: [{ version: '1.0.0' }, { version: '2.0.0', index: 'module.exports = { leaks: true };\n' }],
      'old-user': [{ version: '1.0.0', dependencies: { dup: '^1.0.0' } }],
      'noise-a': [{ version: '1.0.0' }, { version: '1.1.0' }],
    });
    threeEnv = { ...npmEnv(nesting.url, join(work, 'npm-cache-3')), HOME: work };
    const oldLock = await lockFor(deps('old'), threeEnv);
    const newLock = await lockFor(deps('new'), threeEnv);
    expect(Object.keys(JSON.parse(newLock).packages)).toContain('node_modules/old-user/node_modules/dup');
    mkdirSync(join(work, 'repo-3'));
    three = buildRepo({ commits: [
      { message: 'svc', tag: 'v1', files: { 'package.json': JSON.stringify(deps('old'), null, 2), 'package-lock.json': oldLock, '.gitignore': 'node_modules/\n',
        // old-user must still find a dup 1.x wherever npm put it: a tree that broke it would fail every trial with dup@2.
        'check.js': 'const seen = require(require.resolve("dup/package.json", { paths: [require("path").dirname(require.resolve("old-user"))] })).version;\n'
          + 'process.exit(require("dup").leaks || !seen.startsWith("1.") ? 1 : 0);\n' } },
      { message: 'bump', tag: 'v2', files: { 'package.json': JSON.stringify(deps('new'), null, 2), 'package-lock.json': newLock } },
    ] }, join(work, 'repo-3'));
  }, 120_000);
  afterAll(async () => { await nesting?.close(); });

  it('names dup, installing its trials through npm install --package-lock-only and the others through npm ci alone', async () => {
    const npm = loggingNpm(threeEnv, 'fallback');
    const result = await runCli(['bisect', 'v1', 'v2', '--deps', '--run', 'node check.js', '--format', 'json'], { cwd: three.dir, env: npm.env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.culprit).toMatchObject({ name: 'dup', from: '1.0.0', to: '2.0.0' });
    const withDup = out.trials.filter((t: { set: string[] }) => t.set.includes('dup@2.0.0')).length;
    expect(withDup).toBeGreaterThan(0);
    const calls = npm.calls();
    expect(calls.filter(c => c.startsWith('install --package-lock-only ')).length).toBe(withDup);
    expect(calls.filter(c => c.startsWith('ci ')).length).toBe(out.trials.length);
  }, 180_000);
});
