import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runAsync, type FakePackage } from './fake-npm-packages.js';

// The project that the yarn and pnpm bisect --deps e2e tests share: noise-c@1.1.0 sets a marker the check sees.
// Around it: dup moves to 2.0.0 while old-user keeps asking for dup ^1 (the lock holds dup twice), noise-a's new
// version pulls in a package the from lock never had, and noise-b/noise-c are exact pins at A and ranges at B, so the
// project's range must move in package.json.

const plain = (version: string): FakePackage => ({ version });

export const NOISE_C_REGISTRY: Record<string, FakePackage[]> = {
  dup: [plain('1.0.0'), plain('2.0.0')],
  'old-user': [{ version: '1.0.0', dependencies: { dup: '^1.0.0' } }],
  'noise-a': [plain('1.0.0'), { version: '1.1.0', dependencies: { fresh: '^3.0.0' } }],
  fresh: [plain('3.0.0')],
  'noise-b': [plain('1.0.0'), plain('1.1.0')],
  'noise-c': [plain('1.0.0'), { version: '1.1.0', index: 'module.exports = { leaks: true };\n' }],
};

const NOISE = ['noise-b', 'noise-c'];

/** package.json at A ('old') and at B ('new'). */
export const serviceManifest = (v: 'old' | 'new') => ({
  name: 'service', version: '1.0.0', private: true,
  dependencies: {
    dup: v === 'old' ? '1.0.0' : '2.0.0', 'old-user': '^1.0.0', 'noise-a': v === 'old' ? '1.0.0' : '1.1.0',
    // Exact pins at A (the registry's newest would win a range), ranges at B: the project's range must move in package.json.
    ...Object.fromEntries(NOISE.map(n => [n, v === 'old' ? '1.0.0' : '^1.1.0'])),
  },
});

/** check.js: bad when noise-c leaks; old-user must still find a dup 1.x, so a tree that broke it would fail every trial. */
export const NOISE_C_CHECK = 'const seen = require(require.resolve("dup/package.json", { paths: [require("path").dirname(require.resolve("old-user"))] })).version;\n'
  + 'process.exit(require("noise-c").leaks || !seen.startsWith("1.") ? 1 : 0);\n';

/** The bisect's JSON names noise-c, and each verdict agrees with whether its set held the leaking version: no trial was refused or broken. */
export function expectNoiseCNamed(out: { culprit: unknown; isGroup: boolean; trials: { verdict: string; set: string[] }[] }, lockfile: string): void {
  expect(out.culprit).toMatchObject({ name: 'noise-c', from: '1.0.0', to: '1.1.0', lockfile });
  expect(out.isGroup).toBe(false);
  for (const t of out.trials) expect(t.verdict).toBe(t.set.includes('noise-c@1.1.0') ? 'bad' : 'good');
  const good = out.trials.filter(t => t.verdict === 'good').flatMap(t => t.set);
  expect(good).toContain('dup@2.0.0');
  expect(good).toContain('noise-a@1.1.0');
}

/** A folder for PATH with git, sh and node only: a machine without the package manager. */
export async function pathWithoutManagers(dir: string): Promise<string> {
  mkdirSync(dir);
  for (const tool of ['git', 'sh']) {
    const found = await runAsync('sh', ['-c', `command -v ${tool}`], { cwd: dir, env: { PATH: process.env['PATH'] ?? '' } });
    symlinkSync(found.stdout.trim(), join(dir, tool));
  }
  symlinkSync(process.execPath, join(dir, 'node'));
  return dir;
}
