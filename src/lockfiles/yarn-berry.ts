// https://yarnpkg.com/advanced/lockfile (format written by @yarnpkg/core Project.generateLockfile)
import type { DependencySet, LockedPackage, LockfileFormat, Parsed } from '../types.js';
import { basename, compactFacts, describeValue, failure, failureAt, lineOf, sortPackages, stripBom, wrongType } from './util.js';
import { isBerry } from './yarn-detect.js';
import { parseYamlDocs, type YamlMap, type YamlValue } from './yaml-lite.js';

const HINT = 'Regenerate it with `yarn install --mode=update-lockfile`';

const format: LockfileFormat = {
  id: 'yarn-berry',
  ecosystem: 'npm',
  detect(path, text) {
    // Both yarn generations write `yarn.lock`; only berry's has the __metadata block.
    if (basename(path) === 'yarn.lock') return text === '' || isBerry(text);
    return isBerry(text);
  },
  parse: parseYarnBerry,
};
export default format;

const ENTRY_FIELDS = new Set(['version', 'resolution', 'dependencies', 'dependenciesMeta', 'checksum', 'conditions', 'built']);
/** Only what the parser reads: bin, peerDependencies, languageName and the like are stepped over unbuilt. */
const keepEntry = (depth: number, key: string): boolean => depth !== 1 || ENTRY_FIELDS.has(key);

const isMap = (v: YamlValue | undefined): v is YamlMap => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: YamlValue | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const EMPTY: YamlMap = Object.freeze(Object.create(null) as YamlMap);
const mapOf = (v: YamlValue | undefined): YamlMap => (isMap(v) ? v : EMPTY);

/** `@scope/name@npm:^1.0.0` → name `@scope/name`, range `npm:^1.0.0` (the first `@` after a scope's). */
export function splitDescriptor(descriptor: string): { name: string; range: string } {
  const at = descriptor.indexOf('@', 1);
  return at < 0 ? { name: descriptor, range: '' } : { name: descriptor.slice(0, at), range: descriptor.slice(at + 1) };
}

const nameOf = (descriptor: string): string => splitDescriptor(descriptor).name;

const ENTRY_STRINGS = ['version', 'resolution', 'checksum', 'conditions', 'built'] as const;

/** A field yarn writes as a plain value that is a map or a list here, or a dependency map that is not one. */
function shapeProblem(key: string, entry: YamlMap): string | undefined {
  for (const field of ENTRY_STRINGS) {
    const v = entry[field];
    if (v !== undefined && typeof v !== 'string') return wrongType(field, key, v);
  }
  for (const field of ['dependencies', 'dependenciesMeta'] as const) {
    const v = entry[field];
    if (v === undefined || v === '') continue;
    if (!isMap(v)) return wrongType(field, key, v, 'a map');
    if (field === 'dependencies') {
      for (const name in v) if (typeof v[name] !== 'string') return `has "dependencies.${name}" = ${describeValue(v[name])} in "${key}", where a range is expected`;
    }
  }
  return undefined;
}

export function parseYarnBerry(input: string, path: string): Parsed<DependencySet> {
  const text = stripBom(input);
  const yaml = parseYamlDocs(text, keepEntry);
  if (!yaml.ok) return failureAt('yarn-berry', path, text, yaml.line, `is not valid YAML (${yaml.message})`, HINT);
  const lock = yaml.docs[0];
  const meta = lock && mapOf(lock['__metadata']);
  if (!lock || !meta || !str(meta['version'])) {
    return failure('yarn-berry', path, 'has no `__metadata.version`', 1, `${HINT}; is it a yarn 2+ lockfile?`);
  }
  const warnings: string[] = [];
  // 4 (yarn 2), 6 (yarn 3), 8 to 10 (yarn 4; 4.18 writes 10, entries as in 8): a newer one may change what entries
  // hold; guessing would be a wrong answer.
  const version = str(meta['version']) ?? '';
  if (!/^(?:[4-9]|10)$/.test(version)) {
    return failureAt('yarn-berry', path, text, lineOf(text, '\n  version:') + 1, `has __metadata.version ${version}, which reldiff does not know`,
      'reldiff reads yarn.lock __metadata.version 4 to 10 (yarn 2 to 4); regenerate it with yarn 2 to 4 (`yarn install --mode=update-lockfile`) or update reldiff');
  }

  const byDescriptor = new Map<string, YamlMap>();
  const entries: YamlMap[] = [];
  const workspaces = new Set<YamlMap>();
  for (const [key, entry] of Object.entries(lock)) {
    if (key === '__metadata') continue;
    const bad = isMap(entry) ? shapeProblem(key, entry) : undefined;
    if (!isMap(entry) || bad || !str(entry['resolution']) || !str(entry['version'])) {
      const first = key.split(', ')[0] ?? key;
      const at = text.includes(`\n"${first}`) ? `\n"${first}` : `\n${first}`;
      return failureAt('yarn-berry', path, text, lineOf(text, at) + 1,
        bad ?? 'has an entry without `version` and `resolution`', HINT);
    }
    for (const d of key.split(', ')) byDescriptor.set(d, entry);
    entries.push(entry);
    if (str(entry['resolution'])!.includes('@workspace:')) workspaces.add(entry);
  }
  const resolve = (name: string, range: string): YamlMap | undefined =>
    byDescriptor.get(`${name}@${range}`) ?? byDescriptor.get(`${name}@npm:${range}`);

  const direct = new Set<YamlMap>();
  const native = new Set<YamlMap>();
  const optional = new Set<YamlMap>();
  for (const entry of entries) {
    const deps = mapOf(entry['dependencies']);
    if (workspaces.has(entry)) {
      for (const [name, range] of Object.entries(deps)) {
        const target = typeof range === 'string' ? resolve(name, range) : undefined;
        if (target && !workspaces.has(target)) direct.add(target);
      }
    }
    // dependenciesMeta keys are `name` or `name@version`; `built` and `optional` describe the dependency.
    for (const [key, flags] of Object.entries(mapOf(entry['dependenciesMeta']))) {
      const name = nameOf(key);
      const range = deps[name];
      const target = typeof range === 'string' ? resolve(name, range) : undefined;
      if (!target) continue;
      if (str(mapOf(flags)['built']) === 'true') native.add(target);
      if (str(mapOf(flags)['optional']) === 'true') optional.add(target);
    }
  }

  const out: LockedPackage[] = [];
  for (const entry of entries) {
    if (workspaces.has(entry)) continue; // the project's own packages, not dependencies
    const resolution = str(entry['resolution']) ?? '';
    out.push({
      name: nameOf(resolution), version: str(entry['version']) ?? '', direct: direct.has(entry), dev: false,
      installPath: resolution,
      facts: compactFacts({
        native: native.has(entry) || str(entry['built']) === 'true' || undefined,
        // `conditions` (os/cpu/libc) marks a platform package that yarn skips elsewhere.
        optional: optional.has(entry) || str(entry['conditions']) !== undefined || undefined,
        resolved: resolution,
        integrity: str(entry['checksum']),
      }),
    });
  }
  return { ok: true, value: { format: 'yarn-berry', ecosystem: 'npm', path, packages: sortPackages(out) }, warnings };
}
