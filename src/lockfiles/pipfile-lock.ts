// https://pipenv.pypa.io/en/latest/pipfile.html#pipfile-lock (Pipfile.lock, pipfile-spec 6)
import type { DependencySet, LockedPackage, LockfileFormat, Parsed } from '../types.js';
import { basename, compactFacts, describeValue, failure, lineOf, lineOfJsonError, nonStringKey, sortPackages, wrongType } from './util.js';
import { normalizePythonName } from './wheel-tags.js';
import { sortPins, type InstallPin, type InstallSet } from './install-pins.js';

const HINT = 'Regenerate it with `pipenv lock`';

interface Entry { version?: unknown; git?: unknown; ref?: unknown; path?: unknown; file?: unknown; editable?: unknown; markers?: unknown; subdirectory?: unknown }

const format: LockfileFormat = {
  id: 'pipfile-lock',
  ecosystem: 'pypi',
  detect(path, text) {
    if (basename(path) === 'Pipfile.lock') return true;
    return text.length > 0 && /^\s*\{/.test(text) && /"pipfile-spec"\s*:/.test(text.slice(0, 2048));
  },
  parse: parsePipfileLock,
};
export default format;

export function parsePipfileLock(text: string, path: string): Parsed<DependencySet> {
  let lock: unknown;
  try {
    lock = JSON.parse(text);
  } catch (error) {
    return failure('pipfile-lock', path, `is not valid JSON (${(error as Error).message})`, lineOfJsonError(text, error), HINT);
  }
  if (!isRecord(lock)) return failure('pipfile-lock', path, 'is not a Pipfile.lock object', 1, HINT);
  const meta = lock['_meta'];
  if (meta !== undefined && !isRecord(meta)) return failure('pipfile-lock', path, `has "_meta" = ${describeValue(meta)}, where an object is expected`, lineOf(text, '"_meta"'), HINT);
  // pipenv has written pipfile-spec 6 since 2018; a new spec may move the packages.
  const spec = meta?.['pipfile-spec'];
  if (spec !== undefined && spec !== 6) {
    return failure('pipfile-lock', path, `has _meta.pipfile-spec ${JSON.stringify(spec)}, which reldiff does not know`, lineOf(text, '"pipfile-spec"'),
      'reldiff reads Pipfile.lock pipfile-spec 6; regenerate it with `pipenv lock` or update reldiff');
  }
  const packages = new Map<string, LockedPackage>();
  // Pipenv only records the dependency graph in Pipfile, so every locked package counts as transitive here.
  // Every key beside `_meta` is a package category (pipenv 2023.10+: `[typing-dev]` and the like in Pipfile);
  // only `default` ships. `default` is read first, so a package in several categories counts as shipped.
  const custom = Object.keys(lock).filter(k => k !== '_meta' && k !== 'default' && k !== 'develop').sort();
  for (const section of ['default', 'develop', ...custom]) {
    const entries = lock[section];
    if (entries === undefined) continue;
    if (!isRecord(entries)) return failure('pipfile-lock', path, `has a "${section}" that is not an object`, undefined, HINT);
    for (const [rawName, entry] of Object.entries(entries)) {
      if (!isRecord(entry)) return failure('pipfile-lock', path, `has an entry "${rawName}" that is not an object`, undefined, HINT);
      const e = entry as Entry;
      const bad = nonStringKey(entry, ['version', 'git', 'ref', 'path', 'file']);
      if (bad) return failure('pipfile-lock', path, `${wrongType(bad, rawName, entry[bad])} (in "${section}")`, lineOf(text, JSON.stringify(rawName)), HINT);
      const version = versionOf(e);
      if (!version) {
        return failure('pipfile-lock', path, `has "${rawName}" in "${section}" without version, git, path or file`, undefined, HINT);
      }
      const name = normalizePythonName(rawName);
      const key = `${name}\0${version}`;
      // A package in both sections ships: "default" wins.
      if (packages.has(key)) continue;
      packages.set(key, { name, version, direct: false, dev: section !== 'default',
        facts: compactFacts({ resolved: typeof e.git === 'string' ? e.git : undefined }) });
    }
  }
  return { ok: true, value: { format: 'pipfile-lock', ecosystem: 'pypi', path, packages: sortPackages([...packages.values()]) }, warnings: [] };
}

function versionOf(e: Entry): string | undefined {
  if (typeof e.version === 'string') return e.version.replace(/^===?/, '');
  if (typeof e.git === 'string') return typeof e.ref === 'string' ? `${e.git}@${e.ref}` : e.git;
  if (typeof e.path === 'string') return e.path;
  if (typeof e.file === 'string') return e.file;
  return undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What `pipenv sync --dev` puts into the environment (bisect --deps trials): "default" and "develop", each entry
 * under its own marker. Develop is in because the trial is a checkout where a check runs, as a developer's is (and
 * poetry, uv and pdm install their dev groups by default); other categories need --categories, so they stay out.
 */
export function pipfileInstallSet(text: string, path: string): Parsed<InstallSet> {
  const parsed = parsePipfileLock(text, path);
  if (!parsed.ok) return parsed;
  const lock = JSON.parse(text) as Record<string, Record<string, Entry> | undefined>;
  const pins = new Map<string, InstallPin>();
  for (const section of ['default', 'develop']) {
    for (const [name, e] of Object.entries(lock[section] ?? {})) {
      const key = normalizePythonName(name);
      // In both sections: "default" wins, as in the parse.
      if (pins.has(key)) continue;
      const marker = typeof e.markers === 'string' && e.markers.trim() ? e.markers.trim() : undefined;
      pins.set(key, { name, version: versionOf(e) as string, ...(marker ? { marker } : {}), ...pipfileSource(e) });
    }
  }
  const excluded = parsed.value.packages.map(p => p.name).filter(n => !pins.has(n));
  return { ok: true, value: { pins: sortPins([...pins.values()]), excluded: [...new Set(excluded)].sort() }, warnings: [] };
}

function pipfileSource(e: Entry): Pick<InstallPin, 'url' | 'path'> {
  const sub = typeof e.subdirectory === 'string' ? `#subdirectory=${e.subdirectory}` : '';
  if (typeof e.git === 'string') return { url: `git+${e.git.replace(/^git\+/, '')}${typeof e.ref === 'string' ? `@${e.ref}` : ''}${sub}` };
  if (typeof e.version === 'string') return {};
  const where = typeof e.path === 'string' ? e.path : typeof e.file === 'string' ? e.file : undefined;
  if (where === undefined) return {};
  return where.includes('://') ? { url: `${where}${sub}` } : { path: where };
}
