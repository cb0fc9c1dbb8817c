import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ReldiffError } from '../errors.js';
import { findOnPath } from '../util/which.js';
import type { Upgrade } from './deps-plan.js';
import { installStep, readIfThere, shellQuote } from './deps-npm.js';
import type { Installer, InstallResult } from './deps-run.js';
import { rootGroupsOf, splicePnpmLock } from './pnpm-splice.js';

// pnpm trials: the chosen upgrades are spliced from the `to` ref's pnpm-lock.yaml (and package.json where a range must
// move) into the worktree's `from` files (src/bisect/pnpm-splice.ts), then the project's own manager installs exactly
// that: `pnpm install --frozen-lockfile`, one start-up, with pnpm's own configuration and store (.npmrc, pnpm's
// config file, npm_config_*/PNPM_*), so registries, tokens and the warm store are the user's. Where the splice cannot
// decide and every upgrade is a direct dependency of the root, pnpm moves the pins itself (`pnpm add --lockfile-only
// --save-exact name@version ...`, which resolves peers and the rest as pnpm would) before the frozen install; otherwise,
// and when pnpm refuses the lock, the trial is a skip with the reason.

// --prefer-offline: the store answers for every version it holds, without asking the registry for metadata first.
// confirmModulesPurge=false: a slot's node_modules stays between trials; if pnpm wants it gone, it must not ask.
const SAVE_FLAG: Record<string, string> = { dependencies: '--save-prod', devDependencies: '--save-dev', optionalDependencies: '--save-optional' };
const INSTALL = 'pnpm install --frozen-lockfile --ignore-scripts --prefer-offline --reporter=append-only --config.confirmModulesPurge=false';

/** pnpm's own error line (`ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with "frozen-lockfile" ...`), when it printed one. */
function pnpmError(tail: string): string | undefined {
  return tail.split('\n').map(l => l.trim()).find(l => /\bERR_PNPM_[A-Z_]+/.test(l))?.slice(0, 200);
}

export function pnpmInstaller(lockfile: string, env: Record<string, string | undefined>, atTo: (path: string) => Promise<string | undefined>): Installer {
  if (findOnPath('pnpm', env['PATH']) === undefined) {
    throw new ReldiffError('bisect', `bisect --deps installs ${lockfile} with pnpm, and pnpm is not on the PATH`, 'Install pnpm (npm i -g pnpm; on Node 20, pnpm@10) and run again');
  }
  const step = installStep(env);
  const manifestPath = join(dirname(lockfile), 'package.json');
  let toLock: Promise<string | undefined> | undefined;
  return {
    async apply(dir: string, _slot: number, upgrades: readonly Upgrade[]): Promise<InstallResult> {
      const cwd = join(dir, dirname(lockfile));
      if (upgrades.length > 0) {
        toLock ??= atTo(lockfile);
        const [target, fromLock, fromManifest] = await Promise.all([toLock, readIfThere(join(dir, lockfile)), readIfThere(join(dir, manifestPath))]);
        if (fromLock === undefined || target === undefined) return { ok: false, reason: `${lockfile} is missing at one of the refs` };
        const spliced = splicePnpmLock(fromLock, fromManifest, target, upgrades);
        if (spliced.ok) {
          await writeFile(join(dir, lockfile), spliced.lock);
          if (spliced.manifest !== undefined) await writeFile(join(dir, manifestPath), spliced.manifest);
        } else {
          const groups = rootGroupsOf(fromLock, upgrades);
          if (groups === undefined) return { ok: false, reason: spliced.reason };
          for (const [group, members] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
            const specs = members.map(u => shellQuote(`${u.name}@${u.to}`)).join(' ');
            const moved = await step(cwd, `pnpm add --lockfile-only --ignore-scripts --save-exact ${SAVE_FLAG[group] ?? ''} --reporter=append-only ${specs}`, 'pnpm add --lockfile-only');
            if (moved.failure) return { ok: false, reason: `${spliced.reason}; ${pnpmError(moved.tail) ?? moved.failure}` };
          }
        }
      }
      const ran = await step(cwd, INSTALL, 'pnpm install --frozen-lockfile');
      if (!ran.failure) return { ok: true, env: {} };
      const said = pnpmError(ran.tail);
      return { ok: false, reason: said ? `pnpm install --frozen-lockfile refused the trial: ${said}` : ran.failure };
    },
    async dispose(): Promise<void> {},
  };
}
