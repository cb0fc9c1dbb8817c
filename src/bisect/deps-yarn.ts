import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ReldiffError } from '../errors.js';
import { findOnPath } from '../util/which.js';
import type { Upgrade } from './deps-plan.js';
import { installStep, readIfThere } from './deps-npm.js';
import type { Installer, InstallResult } from './deps-run.js';
import type { Splice } from './splice-common.js';
import { spliceYarnLock } from './yarn-splice.js';

// yarn (classic) trials: the chosen upgrades are spliced from the `to` ref's yarn.lock (and package.json where a range
// must move) into the worktree's `from` files (src/bisect/yarn-splice.ts), then the project's own manager installs
// exactly that: `yarn install --frozen-lockfile --ignore-scripts`, one start-up, with yarn's own configuration and
// cache (.yarnrc, .npmrc, YARN_*). A lockfile yarn refuses, or a splice `to` cannot supply, is a skip.

type Splicer = (fromLock: string, fromManifest: string | undefined, toLock: string, toManifest: string | undefined, upgrades: readonly Upgrade[]) => Splice;

/** How a yarn release installs the spliced files in the lockfile's folder: the trial's result, its reason when a skip. */
export type YarnInstall = (cwd: string, step: ReturnType<typeof installStep>) => Promise<InstallResult>;

/**
 * Both yarn installers: each trial splices `to`'s lock (and package.json) into the worktree's `from` files, writes
 * them back, then installs; a splice that cannot decide is the trial's skip. `to`'s files are read once a run.
 */
export function yarnTrials(lockfile: string, env: Record<string, string | undefined>, atTo: (path: string) => Promise<string | undefined>,
  splice: Splicer, install: YarnInstall): Installer {
  const step = installStep(env);
  const manifestPath = join(dirname(lockfile), 'package.json');
  let toFiles: Promise<[string | undefined, string | undefined]> | undefined;
  return {
    async apply(dir: string, _slot: number, upgrades: readonly Upgrade[]): Promise<InstallResult> {
      if (upgrades.length > 0) {
        const [toLock, toManifest] = await (toFiles ??= Promise.all([atTo(lockfile), atTo(manifestPath)]));
        const [fromLock, fromManifest] = await Promise.all([readIfThere(join(dir, lockfile)), readIfThere(join(dir, manifestPath))]);
        if (fromLock === undefined || toLock === undefined) return { ok: false, reason: `${lockfile} is missing at one of the refs` };
        const spliced = splice(fromLock, fromManifest, toLock, toManifest, upgrades);
        if (!spliced.ok) return { ok: false, reason: spliced.reason };
        await writeFile(join(dir, lockfile), spliced.lock);
        if (spliced.manifest !== undefined) await writeFile(join(dir, manifestPath), spliced.manifest);
      }
      return install(join(dir, dirname(lockfile)), step);
    },
    async dispose(): Promise<void> {},
  };
}

export function yarnInstaller(lockfile: string, env: Record<string, string | undefined>, atTo: (path: string) => Promise<string | undefined>): Installer {
  if (findOnPath('yarn', env['PATH']) === undefined) {
    throw new ReldiffError('bisect', `bisect --deps installs ${lockfile} with yarn, and yarn is not on the PATH`, 'Install yarn 1 (npm i -g yarn@1.22.22) and run again');
  }
  return yarnTrials(lockfile, env, atTo, spliceYarnLock, async (cwd, step) => {
    const ran = await step(cwd, 'yarn install --frozen-lockfile --ignore-scripts --non-interactive --no-progress', 'yarn install --frozen-lockfile');
    if (ran.failure) return { ok: false, reason: ran.failure };
    // yarn 1 does not refuse an entry whose version misses its range, even frozen: it says so and resolves it again
    // from the registry, which is not the chosen mix. That trial cannot be judged.
    const wrong = /Lockfile has incorrect entry for "([^"]{1,200})"/.exec(ran.tail);
    return wrong ? { ok: false, reason: `yarn found the trial's yarn.lock entry for ${wrong[1]} wrong and resolved it again` } : { ok: true, env: {} };
  });
}
