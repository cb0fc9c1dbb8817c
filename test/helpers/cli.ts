import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Runs the built CLI (bin/reldiff.js -> dist/) as a user would, with a clean environment and NO_COLOR.

export const projectRoot = resolve(import.meta.dirname, '../..');
const bin = resolve(projectRoot, 'bin/reldiff.js');

export interface CliResult { code: number; stdout: string; stderr: string }

const cacheHome = mkdtempSync(join(tmpdir(), 'reldiff-test-cache-'));

/**
 * A clean environment as a CI job has, with registries pointed at a closed loopback port and a cache of its own:
 * no test reaches the internet, and a command that tries only adds an "unreachable" warning.
 */
export function isolatedEnv(home: string): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, NO_COLOR: '1', npm_config_registry: 'http://127.0.0.1:9/',
    PIP_INDEX_URL: 'http://127.0.0.1:9/simple', XDG_CACHE_HOME: join(home, '.cache-reldiff-test') };
}

/** Tests never reach the internet: every run is --offline with an empty cache of its own, unless `online` says so. */
export function runCli(args: readonly string[], options: { cwd: string; env?: Record<string, string>; online?: boolean }): CliResult {
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', NO_COLOR: '1',
    XDG_CACHE_HOME: cacheHome, ...options.env };
  const isInfo = args.some(a => ['--help', '-h', '--version', '-v'].includes(a)) || args[0] === 'ack';
  const hasCommand = ['deps', 'bisect', 'comment', 'ack', 'probe', 'diff'].includes(args[0] ?? '');
  const argv = options.online || isInfo ? [...args]
    : hasCommand ? [args[0] as string, '--offline', ...args.slice(1)] : ['--offline', ...args];
  const result = spawnSync(process.execPath, [bin, ...argv], { cwd: options.cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Replaces commit ids (full and abbreviated) with stable names, so that golden files survive new dates. */
export function normalizeShas(text: string, shas: Record<string, string>): string {
  let out = text;
  for (const [name, sha] of Object.entries(shas)) {
    out = out.replaceAll(sha, `<${name}>`).replaceAll(sha.slice(0, 12), `<${name}:12>`).replaceAll(sha.slice(0, 10), `<${name}:10>`);
  }
  return out.replace(/reldiff \d+\.\d+\.\d+/g, 'reldiff 0.0.0').replace(/"version": "\d+\.\d+\.\d+"/g, '"version": "0.0.0"');
}
