import { parse } from 'smol-toml';
import { isTable, str, tables, type Table } from '../lockfiles/toml.js';
import { normalizePythonName } from '../lockfiles/wheel-tags.js';

// The project's own packages in a Python trial: a check that imports the project needs it installed next to the
// pins, as `poetry install`, `uv sync` and `pdm install` do. Which folders (relative to the lockfile's) hold an
// installable package is read here, from the worktree's pyproject.toml and, for uv, the lock's workspace members.

function readTable(text: string | undefined): Table | undefined {
  if (text === undefined) return undefined;
  try {
    return parse(text) as Table;
  } catch {
    return undefined;
  }
}

const at = (table: Table | undefined, ...keys: string[]): unknown =>
  keys.reduce<unknown>((v, k) => (isTable(v) ? v[k] : undefined), table);

/**
 * Whether the pyproject.toml beside the lock is a package its tool installs: it names a build backend, and none of
 * poetry's `package-mode = false`, pdm's `distribution = false` or uv's `package = false` turns that off. No
 * [build-system] means no backend pip could build it with (a legacy setup.py project is not guessed at).
 */
export function isInstallableProject(pyprojectText: string | undefined): boolean {
  const doc = readTable(pyprojectText);
  if (!doc || !isTable(doc['build-system'])) return false;
  return at(doc, 'tool', 'poetry', 'package-mode') !== false && at(doc, 'tool', 'pdm', 'distribution') !== false
    && at(doc, 'tool', 'uv', 'package') !== false;
}

/**
 * uv.lock: the folders of the workspace's packages uv sync installs, those with an `editable` source that are the
 * root or a member (a `virtual` one has nothing to build). A path dependency outside the workspace is a pin already.
 */
export function uvProjectDirs(lockText: string | undefined): string[] {
  const doc = readTable(lockText);
  if (!doc) return [];
  const members = new Set((Array.isArray(at(doc, 'manifest', 'members')) ? at(doc, 'manifest', 'members') as unknown[] : [])
    .filter((m): m is string => typeof m === 'string').map(normalizePythonName));
  const dirs = new Set<string>();
  for (const entry of tables(doc.package)) {
    const editable = str(at(entry, 'source', 'editable'));
    if (editable !== undefined && (editable === '.' || members.has(normalizePythonName(str(entry.name) ?? '')))) dirs.add(editable);
  }
  return [...dirs].sort();
}

/** The folders to `pip install --no-deps` after the pins, relative to the lockfile's folder. */
export function projectDirs(lockfile: string, lockText: string | undefined, pyprojectText: string | undefined): string[] {
  if (/(?:^|\/)uv\.lock$/.test(lockfile)) return uvProjectDirs(lockText);
  return isInstallableProject(pyprojectText) ? ['.'] : [];
}
