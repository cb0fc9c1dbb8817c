import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoiseCNamed, NOISE_C_CHECK, NOISE_C_REGISTRY, serviceManifest } from '../helpers/bisect-deps-js.js';
import { buildRepo, git, type BuiltRepo } from '../helpers/build-repo.js';
import { lockWrittenBy, runCliAsync as runCli, startPackageRegistry } from '../helpers/fake-npm-packages.js';
import type { RegistryServer } from '../helpers/registry-server.js';

// reldiff bisect A B --deps over a yarn 2+ (berry) project, as a user runs it: a loopback registry with real tarballs,
// yarn.lock files written by the real yarn 4 (the @yarnpkg/cli-dist devDependency; node_modules/.bin/yarn may be
// either yarn, since the yarn 1 devDependency ships the same bin name, so a shim folder first on PATH runs the berry
// bin.js), trials installed by `yarn install --immutable --mode=skip-build` in worktrees of A (which refuses a lock
// that yarn would write otherwise), and a check that sees noise-c@1.1.0's marker (test/helpers/bisect-deps-js.ts has
// the project; dup's descriptors split between two blocks, and noise-b/noise-c's ranges must move in package.json).

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'reldiff-deps-yarn-berry-'));
let server: RegistryServer;
let repo: BuiltRepo;
let env: Record<string, string>;

/** A folder holding one `yarn` that runs `script` with this node: first on PATH, it is the yarn the CLI finds. */
function yarnShim(dir: string, script: string): string {
  mkdirSync(dir);
  writeFileSync(join(dir, 'yarn'), `#!/bin/sh\nexec '${process.execPath}' '${script}' "$@"\n`);
  chmodSync(join(dir, 'yarn'), 0o755);
  return dir;
}

beforeAll(async () => {
  server = await startPackageRegistry(NOISE_C_REGISTRY);
  const shim = yarnShim(join(work, 'berry-bin'), join(root, 'node_modules/@yarnpkg/cli-dist/bin/yarn.js'));
  // yarn's own settings, all through its environment (the user's would come from .yarnrc.yml the same way): the
  // loopback registry over plain http, a global cache inside the test's folder, node_modules rather than PnP.
  env = { HOME: work, PATH: `${shim}:${process.env['PATH']}`, YARN_NPM_REGISTRY_SERVER: server.url, YARN_UNSAFE_HTTP_WHITELIST: '127.0.0.1',
    YARN_ENABLE_GLOBAL_CACHE: 'true', YARN_GLOBAL_FOLDER: join(work, 'yarn-global'), YARN_ENABLE_TELEMETRY: '0', YARN_NODE_LINKER: 'node-modules',
    YARN_ENABLE_PROGRESS_BARS: 'false', YARN_ENABLE_HARDENED_MODE: '0',
    // yarn 4.10+ holds back versions younger than a day (the registry's are minutes old).
    YARN_NPM_MINIMAL_AGE_GATE: '0' };
  const lockOf = (pkg: object) => lockWrittenBy(pkg, 'yarn', ['install', '--mode=skip-build'], 'yarn.lock', env);
  const oldLock = await lockOf(serviceManifest('old'));
  const newLock = await lockOf(serviceManifest('new'));
  expect(newLock).toMatch(/^__metadata:$/m);
  expect(newLock).toMatch(/^"dup@npm:\^1\.0\.0":$/m);
  mkdirSync(join(work, 'repo'));
  repo = buildRepo({ commits: [
    { message: 'service', tag: 'v1', files: { 'package.json': JSON.stringify(serviceManifest('old'), null, 2), 'yarn.lock': oldLock, 'check.js': NOISE_C_CHECK,
      '.gitignore': 'node_modules/\n.yarn/\n.pnp.*\n' } },
    { message: 'bump everything', tag: 'v2', files: { 'package.json': JSON.stringify(serviceManifest('new'), null, 2), 'yarn.lock': newLock } },
  ] }, join(work, 'repo'));
}, 180_000);

afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('reldiff bisect --deps (yarn berry)', () => {
  it('names noise-c 1.0.0 -> 1.1.0 from trials yarn install --immutable accepts, and leaves the checkout as it was', async () => {
    const before = git(repo.dir, ['status', '--porcelain', '--ignored']);
    const result = await runCli(['bisect', 'v1', 'v2', '--deps', '--run', 'node check.js', '--format', 'json'], { cwd: repo.dir, env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expectNoiseCNamed(JSON.parse(result.stdout), 'yarn.lock');
    expect(git(repo.dir, ['status', '--porcelain', '--ignored'])).toBe(before);
    expect(git(repo.dir, ['worktree', 'list']).trim().split('\n')).toHaveLength(1);
  }, 240_000);
});
