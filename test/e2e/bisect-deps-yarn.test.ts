import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoiseCNamed, NOISE_C_CHECK, NOISE_C_REGISTRY, pathWithoutManagers, serviceManifest } from '../helpers/bisect-deps-js.js';
import { buildRepo, git, type BuiltRepo } from '../helpers/build-repo.js';
import { lockWrittenBy, npmEnv, runCliAsync as runCli, startPackageRegistry } from '../helpers/fake-npm-packages.js';
import type { RegistryServer } from '../helpers/registry-server.js';

// reldiff bisect A B --deps over a yarn 1 project, as a user runs it: a loopback registry with real tarballs, yarn.lock
// files written by the real yarn (the project's yarn 1 devDependency; node_modules/.bin/yarn may be yarn 4 from
// @yarnpkg/cli-dist, which ships the same bin name, so a folder holding yarn 1's yarn.js comes first on PATH), trials installed by
// `yarn install --frozen-lockfile` in worktrees of A, and a check that sees noise-c@1.1.0's marker
// (test/helpers/bisect-deps-js.ts has the project; dup's descriptors split between two blocks of the yarn.lock).

const work = mkdtempSync(join(tmpdir(), 'reldiff-deps-yarn-'));
const bin = join(work, 'yarn1-bin');
mkdirSync(bin);
symlinkSync(resolve(import.meta.dirname, '../../node_modules/yarn/bin/yarn.js'), join(bin, 'yarn'));
let server: RegistryServer;
let repo: BuiltRepo;
let env: Record<string, string>;

/** The yarn.lock the real yarn writes for `pkg`. */
function yarnLockFor(pkg: object): Promise<string> {
  return lockWrittenBy(pkg, 'yarn', ['install', '--ignore-scripts', '--non-interactive', '--no-progress'], 'yarn.lock', { ...env, PATH: `${bin}:${process.env['PATH']}` });
}

beforeAll(async () => {
  server = await startPackageRegistry(NOISE_C_REGISTRY);
  const registry = server.url;
  env = { ...npmEnv(registry, join(work, 'npm-cache')), HOME: work, YARN_REGISTRY: registry, YARN_CACHE_FOLDER: join(work, 'yarn-cache'),
    YARN_DISABLE_SELF_UPDATE_CHECK: 'true' };
  const oldLock = await yarnLockFor(serviceManifest('old'));
  const newLock = await yarnLockFor(serviceManifest('new'));
  expect(newLock).toMatch(/^dup@\^1\.0\.0:$/m);
  expect(newLock).toMatch(/^fresh@\^3\.0\.0:$/m);
  mkdirSync(join(work, 'repo'));
  repo = buildRepo({ commits: [
    { message: 'service', tag: 'v1', files: { 'package.json': JSON.stringify(serviceManifest('old'), null, 2), 'yarn.lock': oldLock, 'check.js': NOISE_C_CHECK, '.gitignore': 'node_modules/\n' } },
    { message: 'bump everything', tag: 'v2', files: { 'package.json': JSON.stringify(serviceManifest('new'), null, 2), 'yarn.lock': newLock } },
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
    expectNoiseCNamed(JSON.parse(result.stdout), 'yarn.lock');
    expect(git(repo.dir, ['status', '--porcelain', '--ignored'])).toBe(before);
    expect(git(repo.dir, ['worktree', 'list']).trim().split('\n')).toHaveLength(1);
  }, 240_000);

  it('exits 2 with one line naming yarn when the machine lacks it', async () => {
    const only = await pathWithoutManagers(join(work, 'only-bin'));
    const result = await runCli(['bisect', 'v1', 'v2', '--deps', '--run', 'node check.js'], { cwd: repo.dir, env: { ...env, PATH: only } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('reldiff: bisect --deps installs yarn.lock with yarn, and yarn is not on the PATH. Install yarn 1 (npm i -g yarn@1.22.22) and run again\n');
  }, 60_000);
});

describe('reldiff bisect --deps on a yarn 2+ (berry) lock under yarn 1', () => {
  // Berry locks are installed by deps-yarn-berry.ts (test/e2e/bisect-deps-yarn-berry.test.ts); what stays refused is
  // a machine whose yarn is 1.x, which would read the lock as a v1 one and fail every trial.
  it('plans it with --dry-run, and refuses to run trials up front (exit 2, one line) saying how to get yarn 2+', async () => {
    const lock = (version: string) => `__metadata:\n  version: 6\n  cacheKey: 8\n\n"left-pad@npm:^1.0.0":\n  version: ${version}\n`
      + `  resolution: "left-pad@npm:${version}"\n  checksum: ${'ab'.repeat(32)}\n  languageName: node\n  linkType: hard\n\n`
      + `"service@workspace:.":\n  version: 0.0.0-use.local\n  resolution: "service@workspace:."\n  dependencies:\n    left-pad: ^1.0.0\n  languageName: unknown\n  linkType: soft\n`;
    const manifest = JSON.stringify({ name: 'service', dependencies: { 'left-pad': '^1.0.0' } }, null, 2);
    mkdirSync(join(work, 'berry-repo'));
    const built = buildRepo({ commits: [
      { message: 'service', tag: 'v1', files: { 'package.json': manifest, 'yarn.lock': lock('1.1.0') } },
      { message: 'bump left-pad', tag: 'v2', files: { 'yarn.lock': lock('1.3.0') } },
    ] }, join(work, 'berry-repo'));
    const yarn1 = { HOME: work, PATH: `${bin}:${process.env['PATH']}` };
    const plan = await runCli(['bisect', 'v1', 'v2', '--deps', '--dry-run'], { cwd: built.dir, env: yarn1 });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('left-pad 1.1.0 -> 1.3.0');
    const result = await runCli(['bisect', 'v1', 'v2', '--deps', '--run', 'true'], { cwd: built.dir, env: yarn1 });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('reldiff: yarn.lock is written by yarn 2 or newer (berry), and the yarn on the PATH is 1.22.22. '
      + 'Run corepack enable (the project\'s packageManager field then picks its yarn), or yarn set version stable in the project, and run again\n');
  }, 60_000);
});
