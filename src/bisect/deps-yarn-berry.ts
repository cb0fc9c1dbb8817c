import { execFile } from 'node:child_process';
import { ReldiffError } from '../errors.js';
import { findOnPath } from '../util/which.js';
import { yarnTrials } from './deps-yarn.js';
import type { Installer } from './deps-run.js';
import { spliceYarnBerryLock } from './yarn-berry-splice.js';

// yarn 2+ (berry) trials: the chosen upgrades are spliced from the `to` ref's yarn.lock (and package.json where a
// range must move) into the worktree's `from` files (src/bisect/yarn-berry-splice.ts), then the project's own yarn
// installs exactly that: `yarn install --immutable --mode=skip-build` (no lock change allowed, no postinstall scripts),
// one start-up, with the user's .yarnrc.yml, YARN_* variables and global cache, so registries, tokens and the warm
// cache are theirs. A lock yarn refuses is a skip with yarn's own error line (YN0028 and the like).
// nodeLinker does not matter here: with node-modules yarn writes node_modules, with pnp it writes .pnp.cjs (and
// .pnp.loader.mjs) in the worktree, and the check run there under `yarn node` or a PnP-aware tool sees the trial's
// set either way; pnpm linker the same. Only what the check itself does decides whether it sees the packages.

// --mode=skip-build: yarn's way of installing without running any package's build scripts (its --ignore-scripts).
const INSTALL = 'yarn install --immutable --mode=skip-build';

// YN codes yarn prints that are not why an install failed (info, peer warnings, fetch and link steps, build notices).
const NOT_ERRORS = new Set(['0000', '0002', '0005', '0007', '0008', '0013', '0019', '0032', '0060', '0061', '0086']);

/** yarn's own error line (`YN0028: The lockfile would have been modified by this install, ...`), when it printed one. */
export function yarnBerryError(tail: string): string | undefined {
  const lines = tail.split('\n').map(l => l.replace(/^[^A-Z]*(?=YN\d{4})/, '').replace(/\s*│\s*/, ' ').trim());
  return lines.find(l => { const m = /^YN(\d{4}):/.exec(l); return m !== null && !NOT_ERRORS.has(m[1] as string); })?.slice(0, 200);
}

/** `yarn --version` as the user's yarn answers it in `cwd` (corepack and yarnPath pick the project's release there). */
function yarnVersion(cwd: string, env: Record<string, string | undefined>): Promise<string | undefined> {
  return new Promise(done => {
    execFile('yarn', ['--version'], { cwd, env: env as NodeJS.ProcessEnv, timeout: 60_000 }, (error, stdout) => {
      done(error ? undefined : stdout.trim().split('\n').pop()?.trim());
    });
  });
}

/**
 * The installer, once yarn is known to be there and to be 2 or newer in `checkoutDir` (the folder of the lockfile in
 * the user's checkout): a berry lock under yarn 1 would be read as a v1 lock and every trial would fail.
 */
export async function yarnBerryInstaller(lockfile: string, env: Record<string, string | undefined>, atTo: (path: string) => Promise<string | undefined>,
  checkoutDir: string): Promise<Installer> {
  const fix = 'Run corepack enable (the project\'s packageManager field then picks its yarn), or yarn set version stable in the project, and run again';
  if (findOnPath('yarn', env['PATH']) === undefined) {
    throw new ReldiffError('bisect', `bisect --deps installs ${lockfile} with yarn 2 or newer, and yarn is not on the PATH`, fix);
  }
  const version = await yarnVersion(checkoutDir, env);
  if (version === undefined || !/^\d+\./.test(version)) throw new ReldiffError('bisect', `bisect --deps installs ${lockfile} with yarn, and yarn --version failed`, fix);
  if (version.startsWith('0.') || version.startsWith('1.')) {
    throw new ReldiffError('bisect', `${lockfile} is written by yarn 2 or newer (berry), and the yarn on the PATH is ${version.slice(0, 40)}`, fix);
  }
  return yarnTrials(lockfile, env, atTo, spliceYarnBerryLock, async (cwd, step) => {
    const ran = await step(cwd, INSTALL, 'yarn install --immutable');
    if (!ran.failure) return { ok: true, env: {} };
    const said = yarnBerryError(ran.tail);
    return { ok: false, reason: said ? `yarn install --immutable refused the trial: ${said}` : ran.failure };
  });
}
