import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Compiles src/ once per test file into <temp>/dist beside a copy of package.json (tsc emits even when files others edit have type errors)
// and runs a command from it in a real child process.

const root = resolve(import.meta.dirname, '../..');

export function compileSources(): string {
  if (process.env.RELDIFF_TEST_DIST) return process.env.RELDIFF_TEST_DIST;
  const top = mkdtempSync(join(tmpdir(), 'reldiff-dist-'));
  const out = join(top, 'dist');
  spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', out],
    { cwd: root, stdio: 'ignore' });
  copyFileSync(join(root, 'package.json'), join(top, 'package.json'));
  symlinkSync(join(root, 'node_modules'), join(top, 'node_modules'), 'dir');
  return out;
}

export function commandArgs(dist: string, command: string, args: readonly string[]): string[] {
  return [join(root, 'test/helpers/run-command.mjs'), dist, command, ...args];
}

export function git(cwd: string, args: readonly string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
}
