import { dirname, join } from 'node:path';
import type { Upgrade } from './deps-plan.js';
import type { Installer, InstallResult } from './deps-run.js';
import { runTestCommand } from './oracle.js';

// npm trials: the project's own package manager moves the chosen pins in the worktree's lockfile
// (`npm install <name>@<version> ... --package-lock-only`), then `npm ci` installs exactly that lockfile. npm reads its
// own configuration and cache (.npmrc, npm_config_*), so registries, tokens and the warm cache are the user's.
// Both run through the oracle's process groups, so Ctrl-C ends them with the check.

/** Single-quoted for sh: names and versions come from the lockfile and must stay one word. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

function lastLine(text: string): string {
  const lines = text.split('\n').map(l => l.trim()).filter(Boolean);
  const error = lines.find(l => /\bERR!|ERESOLVE|error/i.test(l) && !/^npm (?:ERR! )?(?:A complete log|code)\b/.test(l));
  return (error ?? lines.at(-1) ?? '').slice(0, 200);
}

export function npmInstaller(lockfile: string, env: Record<string, string | undefined>): Installer {
  const step = async (cwd: string, command: string, what: string): Promise<string | undefined> => {
    try {
      const outcome = await runTestCommand(command, cwd, '0'.repeat(40), { env });
      return outcome.code === 0 ? undefined : `${what} exited ${outcome.code}: ${lastLine(outcome.tail)}`;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
  return {
    async apply(dir: string, _slot: number, upgrades: readonly Upgrade[]): Promise<InstallResult> {
      const cwd = join(dir, dirname(lockfile));
      const quiet = '--no-audit --no-fund --loglevel=error';
      if (upgrades.length > 0) {
        const specs = upgrades.map(u => shellQuote(`${u.name}@${u.to}`)).join(' ');
        const refused = await step(cwd, `npm install --package-lock-only --ignore-scripts ${quiet} ${specs}`, 'npm install --package-lock-only');
        if (refused) return { ok: false, reason: refused };
      }
      const failed = await step(cwd, `npm ci ${quiet}`, 'npm ci');
      return failed ? { ok: false, reason: failed } : { ok: true, env: {} };
    },
    async dispose(): Promise<void> {},
  };
}
