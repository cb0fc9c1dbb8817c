import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Upgrade } from './deps-plan.js';
import type { Installer, InstallResult } from './deps-run.js';
import { spliceNpmLock } from './npm-splice.js';
import { runTestCommand } from './oracle.js';

// npm trials. The common case is one npm start-up: the `to` lockfile's entries for the chosen upgrades are spliced
// into the worktree's `from` package-lock.json (src/bisect/npm-splice.ts) and `npm ci` installs exactly that. Where
// the splice cannot decide, the project's own package manager moves the pins (`npm install <name>@<version> ...
// --package-lock-only`) before `npm ci`, as npm would for the user. npm reads its own configuration and cache
// (.npmrc, npm_config_*), so registries, tokens and the warm cache are the user's. Every run goes through the
// oracle's process groups, so Ctrl-C ends them with the check.

/** Single-quoted for sh: names and versions come from the lockfile and must stay one word. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

function lastLine(text: string): string {
  const lines = text.split('\n').map(l => l.trim()).filter(Boolean);
  const error = lines.find(l => /\bERR!|ERESOLVE|error/i.test(l) && !/^npm (?:ERR! )?(?:A complete log|code)\b/.test(l));
  return (error ?? lines.at(-1) ?? '').slice(0, 200);
}

export async function readIfThere(path: string): Promise<string | undefined> {
  try { return await readFile(path, 'utf8'); } catch { return undefined; }
}

/** npm ci's refusal of a lockfile out of step with package.json: after a splice, that is the splice's doubt, not npm's verdict. */
const OUT_OF_SYNC = /can only install packages when your package\.json and package-lock\.json(?: or npm-shrinkwrap\.json)? are in sync/;

/**
 * `toLock` reads the `to` ref's lockfile (once, on the first trial that needs it); without it every trial asks npm
 * to move the pins.
 */
/** One package-manager run in `cwd`: its failure in one line (`<what> exited <code>: <its error line>`), and its output's tail. */
export function installStep(env: Record<string, string | undefined>): (cwd: string, command: string, what: string) => Promise<{ failure?: string; tail: string }> {
  return async (cwd, command, what) => {
    try {
      const outcome = await runTestCommand(command, cwd, '0'.repeat(40), { env });
      return outcome.code === 0 ? { tail: outcome.tail } : { failure: `${what} exited ${outcome.code}: ${lastLine(outcome.tail)}`, tail: outcome.tail };
    } catch (error) {
      return { failure: error instanceof Error ? error.message : String(error), tail: '' };
    }
  };
}

export function npmInstaller(lockfile: string, env: Record<string, string | undefined>, toLock?: () => Promise<string | undefined>): Installer {
  let toText: Promise<string | undefined> | undefined;
  const step = installStep(env);
  const quiet = '--no-audit --no-fund --loglevel=error';
  const ci = (cwd: string) => step(cwd, `npm ci ${quiet}`, 'npm ci');
  /** Today's two start-ups: npm moves the pins, then installs. */
  const throughNpm = async (cwd: string, upgrades: readonly Upgrade[]): Promise<InstallResult> => {
    if (upgrades.length > 0) {
      const specs = upgrades.map(u => shellQuote(`${u.name}@${u.to}`)).join(' ');
      const refused = await step(cwd, `npm install --package-lock-only --ignore-scripts ${quiet} ${specs}`, 'npm install --package-lock-only');
      if (refused.failure) return { ok: false, reason: refused.failure };
    }
    const failed = await ci(cwd);
    return failed.failure ? { ok: false, reason: failed.failure } : { ok: true, env: {} };
  };
  return {
    async apply(dir: string, _slot: number, upgrades: readonly Upgrade[]): Promise<InstallResult> {
      const cwd = join(dir, dirname(lockfile));
      if (upgrades.length === 0 || toLock === undefined) return throughNpm(cwd, upgrades);
      toText ??= toLock();
      const target = await toText;
      const lockPath = join(dir, lockfile);
      const manifestPath = join(cwd, 'package.json');
      const [fromLock, fromManifest] = await Promise.all([readIfThere(lockPath), readIfThere(manifestPath)]);
      const spliced = target !== undefined && fromLock !== undefined ? spliceNpmLock(fromLock, fromManifest, target, upgrades) : undefined;
      if (!spliced?.ok || fromLock === undefined) return throughNpm(cwd, upgrades);
      await writeFile(lockPath, spliced.lock);
      if (spliced.manifest !== undefined) await writeFile(manifestPath, spliced.manifest);
      const installed = await ci(cwd);
      if (!installed.failure) return { ok: true, env: {} };
      if (!OUT_OF_SYNC.test(installed.tail)) return { ok: false, reason: installed.failure };
      // npm saw the spliced tree differently from the splice: put `from` back and let npm move the pins itself.
      await writeFile(lockPath, fromLock);
      if (fromManifest !== undefined) await writeFile(manifestPath, fromManifest);
      return throughNpm(cwd, upgrades);
    },
    async dispose(): Promise<void> {},
  };
}
