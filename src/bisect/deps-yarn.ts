import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ReldiffError } from '../errors.js';
import { findOnPath } from '../util/which.js';
import type { Upgrade } from './deps-plan.js';
import { installStep, readIfThere } from './deps-npm.js';
import type { Installer, InstallResult } from './deps-run.js';
import { spliceYarnLock } from './yarn-splice.js';

// yarn (classic) trials: the chosen upgrades are spliced from the `to` ref's yarn.lock (and package.json where a range
// must move) into the worktree's `from` files (src/bisect/yarn-splice.ts), then the project's own manager installs
// exactly that: `yarn install --frozen-lockfile --ignore-scripts`, one start-up, with yarn's own configuration and
// cache (.yarnrc, .npmrc, YARN_*). A lockfile yarn refuses, or a splice `to` cannot supply, is a skip.

export function yarnInstaller(lockfile: string, env: Record<string, string | undefined>, atTo: (path: string) => Promise<string | undefined>): Installer {
  if (findOnPath('yarn', env['PATH']) === undefined) {
    throw new ReldiffError('bisect', `bisect --deps installs ${lockfile} with yarn, and yarn is not on the PATH`, 'Install yarn 1 (npm i -g yarn@1.22.22) and run again');
  }
  const step = installStep(env);
  const manifestPath = join(dirname(lockfile), 'package.json');
  let toFiles: Promise<[string | undefined, string | undefined]> | undefined;
  return {
    async apply(dir: string, _slot: number, upgrades: readonly Upgrade[]): Promise<InstallResult> {
      const cwd = join(dir, dirname(lockfile));
      if (upgrades.length > 0) {
        toFiles ??= Promise.all([atTo(lockfile), atTo(manifestPath)]);
        const [toLock, toManifest] = await toFiles;
        const [fromLock, fromManifest] = await Promise.all([readIfThere(join(dir, lockfile)), readIfThere(join(dir, manifestPath))]);
        if (fromLock === undefined || toLock === undefined) return { ok: false, reason: `${lockfile} is missing at one of the refs` };
        const spliced = spliceYarnLock(fromLock, fromManifest, toLock, toManifest, upgrades);
        if (!spliced.ok) return { ok: false, reason: spliced.reason };
        await writeFile(join(dir, lockfile), spliced.lock);
        if (spliced.manifest !== undefined) await writeFile(join(dir, manifestPath), spliced.manifest);
      }
      const ran = await step(cwd, 'yarn install --frozen-lockfile --ignore-scripts --non-interactive --no-progress', 'yarn install --frozen-lockfile');
      if (ran.failure) return { ok: false, reason: ran.failure };
      // yarn 1 does not refuse an entry whose version misses its range, even frozen: it says so and resolves it again
      // from the registry, which is not the chosen mix. That trial cannot be judged.
      const wrong = /Lockfile has incorrect entry for "([^"]{1,200})"/.exec(ran.tail);
      return wrong ? { ok: false, reason: `yarn found the trial's yarn.lock entry for ${wrong[1]} wrong and resolved it again` } : { ok: true, env: {} };
    },
    async dispose(): Promise<void> {},
  };
}
