import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepo, git, type BuiltRepo } from '../helpers/build-repo.js';
import { npmEnv, runAsync, runCliAsync as runCli, startPackageRegistry } from '../helpers/fake-npm-packages.js';
import type { RegistryServer } from '../helpers/registry-server.js';

// reldiff bisect A B --deps over a yarn 1 project, as a user runs it: a loopback registry with real tarballs, yarn.lock
// files written by the real yarn (the project's devDependency, from node_modules/.bin), trials installed by
// `yarn install --frozen-lockfile` in worktrees of A, and a check that sees noise-c@1.1.0's marker. Around it: dup moves
// to 2.0.0 while old-user keeps asking for dup ^1, so the lock holds dup twice (descriptors split between two blocks),
// and noise-a's new version pulls in a package the from lock never had.

const bin = resolve(import.meta.dirname, '../../node_modules/.bin');
const work = mkdtempSync(join(tmpdir(), 'reldiff-deps-yarn-'));
let server: RegistryServer;
let repo: BuiltRepo;
let env: Record<string, string>;

const NOISE = ['noise-b', 'noise-c'];
const manifest = (v: 'old' | 'new') => ({
  name: 'service', version: '1.0.0', private: true,
  dependencies: {
    dup: v === 'old' ? '1.0.0' : '2.0.0', 'old-user': '^1.0.0', 'noise-a': v === 'old' ? '1.0.0' : '1.1.0',
    // Exact pins at A (the registry's newest would win a range), ranges at B: the project's range must move in package.json.
    ...Object.fromEntries(NOISE.map(n => [n, v === 'old' ? '1.0.0' : '^1.1.0'])),
  },
});

/** The yarn.lock the real yarn writes for `pkg`. */
async function yarnLockFor(pkg: object, name: string): Promise<string> {
  const dir = join(work, `lockgen-${name}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  const result = await runAsync('yarn', ['install', '--ignore-scripts', '--non-interactive', '--no-progress'], { cwd: dir, env: { ...env, PATH: `${bin}:${process.env['PATH']}` } });
  if (result.code !== 0) throw new Error(`yarn install failed: ${result.stderr}`);
  return readFileSync(join(dir, 'yarn.lock'), 'utf8');
}

beforeAll(async () => {
  const plain = (version: string) => ({ version });
  server = await startPackageRegistry({
    dup: [plain('1.0.0'), plain('2.0.0')],
    'old-user': [{ version: '1.0.0', dependencies: { dup: '^1.0.0' } }],
    'noise-a': [plain('1.0.0'), { version: '1.1.0', dependencies: { fresh: '^3.0.0' } }],
    fresh: [plain('3.0.0')],
    'noise-b': [plain('1.0.0'), plain('1.1.0')],
    'noise-c': [plain('1.0.0'), { version: '1.1.0', index: 'module.exports = { leaks: true };\n' }],
  });
  const registry = server.url;
  env = { ...npmEnv(registry, join(work, 'npm-cache')), HOME: work, YARN_REGISTRY: registry, YARN_CACHE_FOLDER: join(work, 'yarn-cache'),
    YARN_DISABLE_SELF_UPDATE_CHECK: 'true' };
  const oldLock = await yarnLockFor(manifest('old'), 'old');
  const newLock = await yarnLockFor(manifest('new'), 'new');
  expect(newLock).toMatch(/^dup@\^1\.0\.0:$/m);
  expect(newLock).toMatch(/^fresh@\^3\.0\.0:$/m);
  mkdirSync(join(work, 'repo'));
  // old-user must still find a dup 1.x: a tree that broke it would fail every trial.
  const check = 'const seen = require(require.resolve("dup/package.json", { paths: [require("path").dirname(require.resolve("old-user"))] })).version;\n'
    + 'process.exit(require("noise-c").leaks || !seen.startsWith("1.") ? 1 : 0);\n';
  repo = buildRepo({ commits: [
    { message: 'service', tag: 'v1', files: { 'package.json': JSON.stringify(manifest('old'), null, 2), 'yarn.lock': oldLock, 'check.js': check, '.gitignore': 'node_modules/\n' } },
    { message: 'bump everything', tag: 'v2', files: { 'package.json': JSON.stringify(manifest('new'), null, 2), 'yarn.lock': newLock } },
  ] }, join(work, 'repo'));
}, 180_000);

afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('reldiff bisect --deps (yarn 1)', () => {
  it('names noise-c 1.0.0 -> 1.1.0, each trial a tree yarn check --verify-tree accepts, and leaves the checkout as it was', async () => {
    const before = git(repo.dir, ['status', '--porcelain', '--ignored']);
    const result = await runCli(['bisect', 'v1', 'v2', '--deps', '--run', 'yarn check --verify-tree --silent && node check.js', '--format', 'json'],
      { cwd: repo.dir, env: { ...env, PATH: `${bin}:${process.env['PATH']}` } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.culprit).toMatchObject({ name: 'noise-c', from: '1.0.0', to: '1.1.0', lockfile: 'yarn.lock' });
    expect(out.isGroup).toBe(false);
    // Each verdict agrees with whether the trial's set held the leaking version: no trial was refused or broken.
    for (const t of out.trials) expect(t.verdict).toBe(t.set.includes('noise-c@1.1.0') ? 'bad' : 'good');
    const good = out.trials.filter((t: { verdict: string }) => t.verdict === 'good').flatMap((t: { set: string[] }) => t.set);
    expect(good).toContain('dup@2.0.0');
    expect(good).toContain('noise-a@1.1.0');
    expect(git(repo.dir, ['status', '--porcelain', '--ignored'])).toBe(before);
    expect(git(repo.dir, ['worktree', 'list']).trim().split('\n')).toHaveLength(1);
  }, 240_000);

  it('exits 2 with one line naming yarn when the machine lacks it', async () => {
    // A PATH with git, node and sh only.
    const only = join(work, 'only-bin');
    mkdirSync(only);
    for (const tool of ['git', 'sh']) {
      const found = await runAsync('sh', ['-c', `command -v ${tool}`], { cwd: work, env: { PATH: process.env['PATH'] ?? '' } });
      symlinkSync(found.stdout.trim(), join(only, tool));
    }
    symlinkSync(process.execPath, join(only, 'node'));
    const result = await runCli(['bisect', 'v1', 'v2', '--deps', '--run', 'node check.js'], { cwd: repo.dir, env: { ...env, PATH: only } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('reldiff: bisect --deps installs yarn.lock with yarn, and yarn is not on the PATH. Install yarn 1 (npm i -g yarn@1.22.22) and run again\n');
  }, 60_000);
});
