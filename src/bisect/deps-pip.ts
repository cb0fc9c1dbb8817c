import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { ReldiffError } from '../errors.js';
import { Redactor } from '../redact.js';
import { requirementIndexes } from '../registry/pip-config.js';
import { cleanLine } from '../util/control-chars.js';
import { findOnPath } from '../util/which.js';
import type { Upgrade } from './deps-plan.js';
import { checkIndexUrls, isPypi, urlSecrets } from './deps-indexes.js';
import { projectDirs } from './deps-project.js';
import type { Installer, InstallResult } from './deps-run.js';
import { shellQuote } from './deps-npm.js';
import { runTestCommand } from './oracle.js';

// Python trials: a fresh virtual environment per trial, made with the user's interpreter, and the trial's pins
// installed with `pip install --no-deps -r`: the pins are the whole resolved set already, so pip resolves nothing and
// the mix is exactly the one chosen. pip reads its own configuration (pip.conf, PIP_INDEX_URL, find-links) and cache.
// The check then runs with the environment's bin first on PATH and VIRTUAL_ENV set.

/** PEP 503 normalised name. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const PIN = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*===?\s*([^\s;\\#]+)\s*(;[^\\#]*)?/;

/**
 * The trial's pins: every `name==version` line of the from file (markers kept) with the chosen upgrades applied.
 * Options, includes and hashes are left out: hashes name the old files, and a pin file without them installs the same versions.
 */
export function trialPins(fromText: string, upgrades: readonly Upgrade[]): string {
  const to = new Map(upgrades.map(u => [normalizeName(u.name), u.to]));
  const pins = new Map<string, string>();
  for (const line of fromText.split('\n')) {
    const m = PIN.exec(line);
    if (!m?.[1] || !m[3]) continue;
    const key = normalizeName(m[1]);
    // Markers stay: a pin for another platform or Python must stay out of this venv as it did before.
    const marker = m[4]?.trim() ? ` ${m[4].trim()}` : '';
    pins.set(key, `${m[1]}${m[2] ?? ''}==${to.get(key) ?? m[3]}${marker}`);
  }
  // An upgrade of a package the from file did not pin (it came in through an include) is still applied.
  for (const u of upgrades) if (!pins.has(normalizeName(u.name))) pins.set(normalizeName(u.name), `${u.name}==${u.to}`);
  return `${[...pins.values()].sort().join('\n')}\n`;
}

/**
 * How a trial's pins come out of the from lockfile in its worktree: its text, the trial's upgrades, and the folder it
 * sits in (path sources resolve against it). A refusal makes the trial a skip with that reason.
 */
export type PinSource = (fromText: string, upgrades: readonly Upgrade[], lockDir: string) =>
  Promise<{ ok: true; text: string; /** Package indexes the lock names besides PyPI. */ indexes?: string[] } | { ok: false; reason: string }>;

/**
 * requirements/constraints .txt pins, rewritten line by line, and the indexes the file names (`--index-url`,
 * `-i`, `--extra-index-url`): pip install -r of the file would ask them. They are passed as extra indexes beside pip's
 * configured one, as a lock's are.
 */
export const requirementsPins: PinSource = async (fromText, upgrades) => {
  const indexes = requirementsIndexUrls(fromText);
  return { ok: true, text: trialPins(fromText, upgrades), ...(indexes.length > 0 ? { indexes } : {}) };
};

/** Every index a requirements file names (pip-config's reader of the same options), PyPI's own left out. */
export function requirementsIndexUrls(text: string): string[] {
  const { index, extra } = requirementIndexes(text);
  return [...new Set([...(index !== undefined ? [index] : []), ...extra])].filter(u => !isPypi(u)).sort();
}

export interface PipOptions {
  /** The interpreter that makes the venvs (python3). */
  python?: string;
  /** false (--no-project): the project's own packages are not installed after the pins. */
  installProject?: boolean;
  /** A warning line for the user (an index URL refused). */
  warn?: (line: string) => void;
}

export function pipInstaller(lockfile: string, env: Record<string, string | undefined>, pinSource: PinSource = requirementsPins,
  options: PipOptions = {}): Installer {
  const python = options.python ?? 'python3';
  let base: string | undefined;
  let counter = 0;
  const previous = new Map<number, string>();
  let interpreter: Promise<{ exe: string; isLean: boolean }> | undefined;
  /** uv on the user's PATH ('' when it is not there), looked up once. */
  let uv: string | undefined;
  // pip's messages may quote a lock's index URL: its credentials are taken out of every reason, which the JSON
  // checkpoint writes as it is.
  const redactor = new Redactor();
  const warned = new Set<string>();
  const wheels = new Map<string, Promise<{ ok: true; path: string } | { ok: false; reason: string }>>();
  const step = async (command: string, what: string): Promise<string | undefined> => {
    try {
      const outcome = await runTestCommand(command, base ?? '/', '0'.repeat(40), { env });
      if (outcome.code === 0) return undefined;
      const said = outcome.tail.split('\n').map(l => l.trim()).filter(l => /error/i.test(l)).at(0) ?? outcome.tail.trim().split('\n').at(-1) ?? '';
      return redactor.apply(`${what} exited ${outcome.code}: ${said.slice(0, 200)}`);
    } catch (error) {
      return redactor.apply(error instanceof Error ? error.message : String(error));
    }
  };
  return {
    async apply(dir: string, slot: number, upgrades: readonly Upgrade[]): Promise<InstallResult> {
      // Beside the trial worktrees, in the pool's own temp folder: the Ctrl-C handler that removes the worktrees
      // removes the venvs with them.
      base ??= mkdtempSync(join(dirname(dir), 'venvs-'));
      const venv = join(base, `venv-${slot}-${counter++}`);
      // One environment per trial, and only the slot's latest kept: a 70-package venv per trial adds up.
      const old = previous.get(slot);
      if (old) rmSync(old, { recursive: true, force: true });
      previous.set(slot, venv);
      const pins = join(base, `pins-${slot}.txt`);
      const fromText = await readFile(join(dir, lockfile), 'utf8').catch(() => '');
      const pinned = await pinSource(fromText, upgrades, dirname(join(dir, lockfile)));
      if (!pinned.ok) return pinned;
      const indexes = checkIndexUrls(pinned.indexes ?? []);
      redactor.add(urlSecrets(pinned.indexes ?? []));
      for (const w of indexes.warnings) if (!warned.has(w)) { warned.add(w); options.warn?.(w); }
      // In the pins file, not on the command line: pip adds them to its configured indexes, and no process list shows them.
      await writeFile(pins, `${indexes.urls.map(u => `--extra-index-url ${u}\n`).join('')}${pinned.text}`, { mode: 0o600 });
      interpreter ??= findInterpreter(python, env);
      // Seeding pip into every venv (ensurepip) costs more than the install itself; pip 22.3+ installs into another
      // interpreter's environment with --python, so the trial's venv is made without pip when the user's pip can.
      const { exe, isLean } = await interpreter;
      uv ??= findOnPath('uv', env['PATH']) ?? '';
      const venvStep = venvCommand(exe, venv, isLean, uv || undefined);
      const made = await step(venvStep.command, venvStep.what.replace('python3', python));
      if (made) return { ok: false, reason: made };
      const target = isLean ? `${shellQuote(exe)} -m pip --python ${shellQuote(join(venv, 'bin', 'python'))}` : `${shellQuote(join(venv, 'bin', 'python'))} -m pip`;
      const install = `${target} install --no-deps --disable-pip-version-check --no-input --quiet`;
      const failed = await step(`${install} -r ${shellQuote(pins)}`, 'pip install --no-deps');
      if (failed) return { ok: false, reason: failed };
      if (options.installProject !== false) {
        // Every trial builds the same source (from's), so each project folder is built into a wheel once, by the
        // first trial that needs it, and later trials install that wheel: pip's isolated build (a fresh environment
        // with the backend) costs more than the install.
        await installProject(dir, lockfile, fromText, async (folder, key) => {
          let wheel = wheels.get(key);
          if (!wheel) {
            const out = join(base as string, `project-${wheels.size}`);
            wheel = step(`${target} wheel --no-deps --disable-pip-version-check --no-input --quiet -w ${shellQuote(out)} ${shellQuote(folder)}`, 'pip wheel --no-deps')
              .then(failed => {
                const file = failed ? undefined : readdirSync(out).find(f => f.endsWith('.whl'));
                return file ? { ok: true as const, path: join(out, file) } : { ok: false as const, reason: failed ?? 'pip wheel --no-deps made no wheel' };
              });
            wheels.set(key, wheel);
          }
          const built = await wheel;
          return built.ok ? step(`${install} ${shellQuote(built.path)}`, 'pip install --no-deps') : built.reason;
        });
      }
      return { ok: true, env: { VIRTUAL_ENV: venv, PATH: `${join(venv, 'bin')}:${env['PATH'] ?? '/usr/bin:/bin'}` } };
    },
    async dispose(): Promise<void> {
      if (base) rmSync(base, { recursive: true, force: true });
    },
  };
}

/**
 * The project's own packages, built from the trial worktree (the source of from) by pip with the backend their
 * [build-system] names, from the index the pins came from. The same source fails the same way in every trial, so a
 * failure stops the run instead of turning every trial into a skip.
 */
async function installProject(dir: string, lockfile: string, fromText: string,
  pipInstall: (folder: string, key: string) => Promise<string | undefined>): Promise<void> {
  const lockDir = dirname(join(dir, lockfile));
  const pyproject = await readFile(join(lockDir, 'pyproject.toml'), 'utf8').catch(() => undefined);
  for (const folder of projectDirs(lockfile, fromText, pyproject)) {
    const where = resolve(lockDir, folder);
    const inside = relative(dir, where);
    const shown = cleanLine(join(dirname(lockfile), folder)).slice(0, 120);
    const skip = 'or add --no-project to install the pins alone (a check that imports the project then fails)';
    if (inside.startsWith('..') || isAbsolute(inside)) {
      throw new ReldiffError('bisect', `${cleanLine(lockfile)} names a workspace package at ${shown}, outside the repository`, `Fix the lock, ${skip}`);
    }
    const failed = await pipInstall(where, inside);
    if (failed) {
      throw new ReldiffError('bisect', `the project at ${shown} does not install into the trial venv (${cleanLine(failed).slice(0, 240)})`,
        `Check that its [build-system] backend is on your package index, ${skip}`);
    }
  }
}

/** pip 22.3 and later take --python (install into another environment). */
/**
 * How a trial's venv is made: `uv venv` when uv is on the user's PATH (it makes one in milliseconds, where
 * `python -m venv` takes about a second), else the interpreter's own venv module. Either way for the same interpreter,
 * and without pip when the user's pip installs into it with --python (uv's --seed puts pip in otherwise). The pins
 * are installed by pip in both cases, so pip's configuration (indexes, find-links, credentials) is what applies.
 */
export function venvCommand(exe: string, venv: string, isLean: boolean, uv?: string): { command: string; what: string } {
  if (uv) return { command: `${shellQuote(uv)} venv --quiet --python ${shellQuote(exe)} ${isLean ? '' : '--seed '}${shellQuote(venv)}`, what: 'uv venv' };
  return { command: `${shellQuote(exe)} -m venv ${isLean ? '--without-pip ' : ''}${shellQuote(venv)}`, what: 'python3 -m venv' };
}

export function isPipWithPythonOption(versionLine: string): boolean {
  const m = /^pip (\d+)\.(\d+)/.exec(versionLine.trim());
  if (!m) return false;
  const major = Number(m[1]);
  return major > 22 || (major === 22 && Number(m[2]) >= 3);
}

/**
 * The interpreter behind `python` (a pyenv or asdf shim is a shell script that costs a process per call, twice a
 * trial), and whether its pip can install into a venv made without pip.
 */
async function findInterpreter(python: string, env: Record<string, string | undefined>): Promise<{ exe: string; isLean: boolean }> {
  try {
    const found = await runTestCommand(`${shellQuote(python)} -c 'import sys; print(sys.executable)'`, '/', '0'.repeat(40), { env });
    const exe = found.code === 0 ? found.tail.trim().split('\n').at(-1)?.trim() || python : python;
    const pip = await runTestCommand(`${shellQuote(exe)} -m pip --version`, '/', '0'.repeat(40), { env });
    return { exe, isLean: pip.code === 0 && isPipWithPythonOption(pip.tail) };
  } catch {
    return { exe: python, isLean: false };
  }
}
