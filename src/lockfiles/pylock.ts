// https://packaging.python.org/en/latest/specifications/pylock-toml/ (PEP 751: pylock.toml and pylock.<name>.toml,
// written by `pip lock`, `uv export --format pylock.toml` and PDM). lock-version 1.x.
import type { DependencySet, LockedPackage, LockfileFormat, Parsed } from '../types.js';
import { isTable, readToml, str, strings, tables, type Table } from './toml.js';
import { basename, compactFacts, failure, lineOf, nonStringKey, sortPackages, wrongType } from './util.js';
import { nativeFromFiles, normalizePythonName } from './wheel-tags.js';

const HINT = 'Regenerate it with `pip lock`, `uv export --format pylock.toml` or `pdm export --format pylock`';
const NAME = /^pylock(\.[^./]+)?\.toml$/i;

const format: LockfileFormat = {
  id: 'pylock',
  ecosystem: 'pypi',
  detect(path, text) {
    if (NAME.test(basename(path))) return true;
    return text.length > 0 && /^lock-version\s*=\s*"1\./m.test(text.slice(0, 400)) && text.includes('[[packages]]');
  },
  parse: parsePylock,
};
export default format;

/** Group names a marker asks for: `"dev" in dependency_groups` (PEP 751 markers over the lock's groups). */
function groupsIn(marker: string): string[] {
  return [...marker.matchAll(/["']([^"']+)["']\s+in\s+dependency_groups/g)].map(m => m[1] ?? '');
}

/** A version for packages the spec lets go without one: a VCS commit, a local folder, an archive. */
function versionOf(entry: Table): string | undefined {
  const version = str(entry.version);
  if (version !== undefined) return version;
  const vcs = isTable(entry.vcs) ? entry.vcs : undefined;
  if (vcs) return `${str(vcs.type) ?? 'vcs'}:${str(vcs.url) ?? str(vcs.path) ?? ''}@${str(vcs['commit-id']) ?? str(vcs['requested-revision']) ?? ''}`;
  const directory = isTable(entry.directory) ? entry.directory : undefined;
  if (directory) return `directory:${str(directory.path) ?? ''}`;
  const archive = isTable(entry.archive) ? entry.archive : undefined;
  if (archive) return `archive:${str(archive.url) ?? str(archive.path) ?? ''}`;
  return undefined;
}

export function parsePylock(text: string, path: string): Parsed<DependencySet> {
  const doc = readToml(text, path, 'pylock', HINT);
  if (!doc.ok) return doc;
  const lockVersion = doc.table['lock-version'];
  if (typeof lockVersion !== 'string' || !/^1(\.\d+)?$/.test(lockVersion)) {
    return failure('pylock', path, `has lock-version ${JSON.stringify(lockVersion ?? null)}, which reldiff does not know`, 1, 'reldiff reads pylock.toml lock-version 1.x');
  }
  const value = doc.table.packages;
  const entries = tables(value);
  if (value !== undefined && (!Array.isArray(value) || entries.length !== value.length)) {
    return failure('pylock', path, 'has a "packages" key that is not a list of [[packages]] tables', undefined, HINT);
  }
  // Without default-groups the spec's default is the group named "default" (a lock with no groups has none).
  const defaults = new Set(doc.table['default-groups'] === undefined ? ['default'] : strings(doc.table['default-groups']));
  const packages: LockedPackage[] = [];
  for (const [i, entry] of entries.entries()) {
    const name = str(entry.name);
    const bad = nonStringKey(entry, ['name', 'version', 'index', 'marker']);
    if (bad) {
      return failure('pylock', path, `${wrongType(bad, name ?? '', entry[bad])} ([[packages]] number ${i + 1})`,
        name ? lineOf(text, `name = ${JSON.stringify(name)}`) : undefined, HINT);
    }
    if (!name) return failure('pylock', path, `has a [[packages]] entry (number ${i + 1}) without a name`, undefined, HINT);
    const version = versionOf(entry);
    if (version === undefined) return failure('pylock', path, `has no version, vcs, directory or archive for ${name}`, undefined, HINT);
    const groups = groupsIn(str(entry.marker) ?? '');
    const files = tables(entry.wheels).map(w => str(w.name) ?? str(w.url) ?? str(w.path) ?? '');
    const sdist = isTable(entry.sdist) ? entry.sdist : undefined;
    const hashes = isTable(sdist?.hashes) ? sdist.hashes : undefined;
    const sha256 = str(hashes?.sha256);
    packages.push({
      name: normalizePythonName(name),
      version,
      // The lock records no roots: which packages the project names itself is in pyproject.toml, not here.
      direct: false,
      // Installed only for groups that are not default ones: there for development.
      dev: groups.length > 0 && !groups.some(g => defaults.has(g)),
      facts: compactFacts({ native: nativeFromFiles(files), resolved: str(entry.index), integrity: sha256 ? `sha256:${sha256}` : undefined }),
    });
  }
  return { ok: true, value: { format: 'pylock', ecosystem: 'pypi', path, packages: sortPackages(packages) }, warnings: [] };
}
