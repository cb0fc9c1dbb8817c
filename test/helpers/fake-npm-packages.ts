import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTarball, packument, startRegistry, type RegistryServer, type VersionSpec } from './registry-server.js';

// A loopback npm registry that serves real, installable packages (packuments + tarballs with their integrity), and
// package-lock.json files written by the real npm against it: what `npm install --package-lock-only` and `npm ci` need.
// The server lives in the test's own process, so everything that talks to it is spawned asynchronously: a spawnSync
// would block the event loop that has to answer.

export interface Ran { code: number; stdout: string; stderr: string }

/** Runs a command without blocking this process's event loop. */
export function runAsync(command: string, args: readonly string[], options: { cwd: string; env: Record<string, string> }): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
    child.on('error', fail);
    child.on('close', code => done({ code: code ?? -1, stdout, stderr }));
  });
}

const bin = resolve(import.meta.dirname, '../../bin/reldiff.js');

/** The built CLI as runCli runs it (clean environment, NO_COLOR, --offline), but asynchronously. */
export function runCliAsync(args: readonly string[], options: { cwd: string; env: Record<string, string> }): Promise<Ran> {
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NO_COLOR: '1', XDG_CACHE_HOME: join(options.env['HOME'] ?? tmpdir(), '.cache'), ...options.env };
  return runAsync(process.execPath, [bin, args[0] ?? '', '--offline', ...args.slice(1)], { cwd: options.cwd, env });
}

export interface FakePackage { version: string; dependencies?: Record<string, string>; peerDependencies?: Record<string, string>; index?: string }

export async function startPackageRegistry(packages: Record<string, FakePackage[]>): Promise<RegistryServer> {
  const server = await startRegistry();
  for (const [name, versions] of Object.entries(packages)) {
    const specs: Record<string, VersionSpec> = {};
    for (const v of versions) {
      const manifest = { name, version: v.version, main: 'index.js', dependencies: v.dependencies ?? {}, peerDependencies: v.peerDependencies ?? {} };
      const tgz = await buildTarball({ 'package/package.json': JSON.stringify(manifest), 'package/index.js': v.index ?? 'module.exports = {};\n' });
      const path = `/tarballs/${name}-${v.version}.tgz`;
      server.route(path, { body: tgz, headers: { 'content-type': 'application/octet-stream' } });
      specs[v.version] = { ...(v.dependencies ? { dependencies: v.dependencies } : {}), tarball: `${server.url.replace(/\/$/, '')}${path}`,
        integrity: `sha512-${createHash('sha512').update(tgz).digest('base64')}` };
    }
    const doc = packument(name, specs) as { versions: Record<string, Record<string, unknown>> };
    for (const v of versions) {
      const entry = doc.versions[v.version];
      if (v.peerDependencies && entry) entry['peerDependencies'] = v.peerDependencies;
    }
    server.route(`/${name}`, { body: doc, headers: { 'content-type': 'application/json' } });
  }
  return server;
}

/** npm's own environment for tests: the loopback registry, a cache folder of its own, no update check or audit. */
export function npmEnv(registry: string, cache: string): Record<string, string> {
  return { npm_config_registry: registry, npm_config_cache: cache, npm_config_update_notifier: 'false', npm_config_audit: 'false',
    npm_config_fund: 'false', npm_config_userconfig: join(cache, 'npmrc-none') };
}

/** The package-lock.json that the real npm writes for `manifest` against the registry in `env`. */
export function lockFor(manifest: object, env: Record<string, string>): Promise<string> {
  return lockWrittenBy(manifest, 'npm', ['install', '--package-lock-only', '--ignore-scripts'], 'package-lock.json', { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env });
}

/** The lockfile a package manager writes for `manifest`: `command args` run in a fresh folder, with `env` as it is (PATH included). */
export async function lockWrittenBy(manifest: object, command: string, args: readonly string[], lockName: string, env: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'reldiff-lockgen-'));
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
    const result = await runAsync(command, args, { cwd: dir, env });
    if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
    return readFileSync(join(dir, lockName), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A `tool` first on PATH (in a new folder `dir`) that logs its arguments and runs the one `env`'s PATH finds: which
 * start-ups a trial made. Returns the environment to run the CLI with and a reader of the log.
 */
export function loggingTool(tool: string, dir: string, env: Record<string, string>): { env: Record<string, string>; calls: () => string[] } {
  const real = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8', env }).stdout.trim();
  const log = join(dir, 'calls.log');
  mkdirSync(dir);
  writeFileSync(log, '');
  writeFileSync(join(dir, tool), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(join(dir, tool), 0o755);
  return { env: { ...env, PATH: `${dir}:${env['PATH'] ?? '/usr/bin:/bin'}` }, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}
