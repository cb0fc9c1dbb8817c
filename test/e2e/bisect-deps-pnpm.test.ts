import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pnpmInstaller } from '../../src/bisect/deps-pnpm.js';
import { expectNoiseCNamed, NOISE_C_CHECK, NOISE_C_REGISTRY, pathWithoutManagers, serviceManifest } from '../helpers/bisect-deps-js.js';
import { buildRepo, git, type BuiltRepo } from '../helpers/build-repo.js';
import { lockWrittenBy, loggingTool, npmEnv, runCliAsync as runCli, startPackageRegistry } from '../helpers/fake-npm-packages.js';
import type { RegistryServer } from '../helpers/registry-server.js';

// reldiff bisect A B --deps over a pnpm project, as a user runs it: a loopback registry with real tarballs,
// pnpm-lock.yaml files written by the real pnpm (the project's devDependency, from node_modules/.bin, put first on
// PATH here so no global pnpm is needed), trials installed by `pnpm install --frozen-lockfile` in worktrees of A (which
// refuses a lock whose importer does not match package.json), and a check that sees noise-c@1.1.0's marker
// (test/helpers/bisect-deps-js.ts has the project). pnpm's own case beside it: plugin peers on host, so its entry is keyed
// by its peer (plugin@1.0.0(host@1.0.0)). With both moved (host 1.1.0, plugin 2.0.0) the splice renames it; with host
// alone, plugin 1 would keep the old host as its peer, which no lock has, so pnpm add --lockfile-only moves host's pin
// instead; the check fails a trial where plugin sees another host than the project does.

const require = createRequire(import.meta.url);
const bin = resolve(import.meta.dirname, '../../node_modules/.bin');
const work = mkdtempSync(join(tmpdir(), 'reldiff-deps-pnpm-'));
let server: RegistryServer;
let repo: BuiltRepo;
let env: Record<string, string>;

const manifest = (v: 'old' | 'new') => {
  const base = serviceManifest(v);
  return { ...base, dependencies: { ...base.dependencies, host: v === 'old' ? '1.0.0' : '1.1.0', plugin: v === 'old' ? '1.0.0' : '2.0.0' } };
};
const CHECK = 'const hostSeen = require(require.resolve("host/package.json", { paths: [require("path").dirname(require.resolve("plugin"))] })).version;\n'
  + 'if (hostSeen !== require("host/package.json").version) process.exit(1);\n' + NOISE_C_CHECK;

const withPnpm = (): Record<string, string> => ({ ...env, PATH: `${bin}:${process.env['PATH']}` });

beforeAll(async () => {
  server = await startPackageRegistry({ ...NOISE_C_REGISTRY, host: [{ version: '1.0.0' }, { version: '1.1.0' }],
    plugin: [{ version: '1.0.0', peerDependencies: { host: '^1.0.0' } }, { version: '2.0.0', peerDependencies: { host: '^1.1.0' } }] });
  // pnpm reads npm's environment settings; its store and its own folders are the test's.
  env = { ...npmEnv(server.url, join(work, 'npm-cache')), HOME: work, npm_config_store_dir: join(work, 'pnpm-store'),
    XDG_DATA_HOME: join(work, 'data'), XDG_CONFIG_HOME: join(work, 'config'), XDG_CACHE_HOME: join(work, 'cache') };
  const lockOf = (pkg: object) => lockWrittenBy(pkg, 'pnpm', ['install', '--lockfile-only', '--ignore-scripts'], 'pnpm-lock.yaml', withPnpm());
  const oldLock = await lockOf(manifest('old'));
  const newLock = await lockOf(manifest('new'));
  expect(newLock).toMatch(/^lockfileVersion: '9\.0'$/m);
  expect(newLock).toMatch(/^ {2}dup@1\.0\.0:$/m);
  expect(newLock).toMatch(/^ {2}fresh@3\.0\.0:$/m);
  expect(oldLock).toMatch(/^ {2}plugin@1\.0\.0\(host@1\.0\.0\):$/m);
  mkdirSync(join(work, 'repo'));
  repo = buildRepo({ commits: [
    { message: 'service', tag: 'v1', files: { 'package.json': JSON.stringify(manifest('old'), null, 2), 'pnpm-lock.yaml': oldLock,
      'check.js': CHECK, '.gitignore': 'node_modules/\n' } },
    { message: 'bump everything', tag: 'v2', files: { 'package.json': JSON.stringify(manifest('new'), null, 2), 'pnpm-lock.yaml': newLock } },
  ] }, join(work, 'repo'));
}, 180_000);

afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('reldiff bisect --deps (pnpm)', () => {
  it('names noise-c 1.0.0 -> 1.1.0 with every trial installed by pnpm --frozen-lockfile, and leaves the checkout as it was', async () => {
    const before = git(repo.dir, ['status', '--porcelain', '--ignored']);
    const pnpm = loggingTool('pnpm', join(work, 'pnpm-shim'), withPnpm());
    const result = await runCli(['bisect', 'v1', 'v2', '--deps', '--run', 'node check.js', '--format', 'json'], { cwd: repo.dir, env: pnpm.env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expectNoiseCNamed(out, 'pnpm-lock.yaml');
    const trials: { verdict: string; set: string[] }[] = out.trials;
    const good = trials.filter(t => t.verdict === 'good').map(t => t.set);
    expect(good.flat()).toContain('host@1.1.0');
    // Each trial is one frozen install; pnpm add ran only for the sets that move host without plugin.
    const calls = pnpm.calls();
    const hostAlone = trials.filter(t => t.set.includes('host@1.1.0') && !t.set.includes('plugin@2.0.0')).length;
    const pluginAlone = trials.filter(t => t.set.includes('plugin@2.0.0') && !t.set.includes('host@1.1.0')).length;
    expect(calls.filter(c => c.startsWith('install --frozen-lockfile'))).toHaveLength(trials.length);
    expect(calls.filter(c => c.startsWith('add --lockfile-only'))).toHaveLength(hostAlone + pluginAlone);
    expect(git(repo.dir, ['status', '--porcelain', '--ignored'])).toBe(before);
    expect(git(repo.dir, ['worktree', 'list']).trim().split('\n')).toHaveLength(1);
  }, 240_000);

  it('moves host alone through pnpm add --lockfile-only, where the splice would leave plugin 1 with the old host as its peer', async () => {
    const dir = join(work, 'host-alone');
    mkdirSync(dir);
    git(repo.dir, ['worktree', 'add', '--detach', dir, 'v1']);
    try {
      const pnpm = loggingTool('pnpm', join(work, 'pnpm-shim-host'), withPnpm());
      const installer = pnpmInstaller('pnpm-lock.yaml', pnpm.env, async path => git(repo.dir, ['show', `v2:${path}`]));
      const result = await installer.apply(dir, 0, [{ name: 'host', from: '1.0.0', to: '1.1.0' }]);
      expect(result).toEqual({ ok: true, env: {} });
      expect(pnpm.calls().map(c => c.split(' ').slice(0, 2).join(' '))).toEqual(['add --lockfile-only', 'install --frozen-lockfile']);
      const seen = (from: string) => JSON.parse(readFileSync(require.resolve('host/package.json', { paths: [from] }), 'utf8')).version;
      const plugin = dirname(realpathSync(join(dir, 'node_modules', 'plugin', 'package.json')));
      expect([seen(dir), seen(plugin)]).toEqual(['1.1.0', '1.1.0']);
    } finally {
      git(repo.dir, ['worktree', 'remove', '--force', dir]);
    }
  }, 120_000);

  it('exits 2 with one line naming pnpm when the machine lacks it', async () => {
    const only = await pathWithoutManagers(join(work, 'only-bin'));
    const result = await runCli(['bisect', 'v1', 'v2', '--deps', '--run', 'node check.js'], { cwd: repo.dir, env: { ...env, PATH: only } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('reldiff: bisect --deps installs pnpm-lock.yaml with pnpm, and pnpm is not on the PATH. Install pnpm (npm i -g pnpm; on Node 20, pnpm@10) and run again\n');
  }, 60_000);
});
