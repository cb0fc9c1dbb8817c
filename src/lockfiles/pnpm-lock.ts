// https://github.com/pnpm/spec/blob/master/lockfile/9.0.md (and 6.0.md, 5.2.md in the same folder)
import type { DependencySet, LockedPackage, LockfileFormat, PackageFacts, Parsed } from '../types.js';
import { basename, describeValue, failure, failureAt, lineOf, sortPackages, stripBom, wrongType } from './util.js';
import { parseYamlDocs, type YamlMap, type YamlValue } from './yaml-lite.js';

const HINT = 'Regenerate it with `pnpm install --lockfile-only`';
const DEP_GROUPS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

const format: LockfileFormat = {
  id: 'pnpm-lock',
  ecosystem: 'npm',
  detect(path, text) {
    const name = basename(path);
    if (name === 'pnpm-lock.yaml' || name === 'shrinkwrap.yaml') return true;
    return /^(---\s*\n)?lockfileVersion: ['"]?\d/m.test(text.slice(0, 4096)) && !text.trimStart().startsWith('{');
  },
  parse: parsePnpmLock,
};
export default format;

const TOP_FIELDS = new Set(['lockfileVersion', 'importers', 'packages', 'snapshots', ...DEP_GROUPS]);
const NODE_FIELDS = new Set(['resolution', 'name', 'version', 'dev', 'optional', 'requiresBuild', ...DEP_GROUPS]);
/** Only what the parser reads: engines, peers, cpu/os, settings and the like are stepped over unbuilt. */
const keepEntry = (depth: number, key: string): boolean =>
  depth === 0 ? TOP_FIELDS.has(key) : depth === 2 ? NODE_FIELDS.has(key) : true;

const isMap = (v: YamlValue | undefined): v is YamlMap => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: YamlValue | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const EMPTY: YamlMap = Object.freeze(Object.create(null) as YamlMap);
const mapOf = (v: YamlValue | undefined): YamlMap => (isMap(v) ? v : EMPTY);

export function parsePnpmLock(input: string, path: string): Parsed<DependencySet> {
  const text = stripBom(input);
  const yaml = parseYamlDocs(text, keepEntry);
  if (!yaml.ok) return failureAt('pnpm-lock', path, text, yaml.line, `is not valid YAML (${yaml.message})`, HINT);
  const lock = pickDocument(yaml.docs);
  if (!lock) return failure('pnpm-lock', path, 'has no `lockfileVersion`', 1, `${HINT}; is it a pnpm lockfile?`);
  const warnings: string[] = [];
  const version = str(lock['lockfileVersion']) ?? '';
  const major = Number.parseInt(version, 10);
  // 5.x (pnpm 3-7), 6.0 (pnpm 8), 9.0 (pnpm 9-11). A newer major may move the graph again: guessing would be a wrong answer.
  if (!/^\d+(\.\d+)?$/.test(version) || !(major >= 5 && major <= 9)) {
    return failureAt('pnpm-lock', path, text, lineOf(text, 'lockfileVersion:'), `has lockfileVersion ${version}, which reldiff does not know`,
      `reldiff reads pnpm lockfileVersion 5.x to 9.x; regenerate it with pnpm 3 to 11 (\`pnpm install --lockfile-only\`) or update reldiff`);
  }
  for (const field of ['packages', 'snapshots', 'importers'] as const) {
    const v = lock[field];
    if (v !== undefined && v !== '' && !isMap(v)) {
      return failureAt('pnpm-lock', path, text, lineOf(text, `\n${field}:`) + 1, `has a \`${field}\` that is not a map`, HINT);
    }
  }
  const packages = mapOf(lock['packages']);
  // 9.x moved the per-install graph into `snapshots` (keys with peer suffixes); before, `packages` held both.
  const nodes = isMap(lock['snapshots']) ? lock['snapshots'] : packages;
  const importers = isMap(lock['importers']) ? lock['importers'] : { '.': lock };
  const roots = rootRefs(importers, nodes);
  const prod = reachable(roots.prod, nodes);
  const isV9 = nodes !== packages;
  const out: LockedPackage[] = [];
  for (const key in nodes) {
    const node = nodes[key];
    if (!isMap(node)) return failureAt('pnpm-lock', path, text, lineOfKey(text, key), `has an entry that is not a map (${key})`, HINT);
    const meta = isV9 ? mapOf(packages[baseKey(key)]) : node;
    const bad = shapeProblem(key, node) ?? (meta !== node ? shapeProblem(baseKey(key), meta) : undefined);
    if (bad) return failureAt('pnpm-lock', path, text, lineOfKey(text, bad.key), bad.message, HINT);
    const id = splitKey(key, major);
    const name = str(meta['name']) ?? id.name;
    const ver = str(meta['version']) ?? id.version;
    if (!name || !ver) return failureAt('pnpm-lock', path, text, lineOfKey(text, key), `has a package key without name and version (${key})`, HINT);
    const devFlag = str(node['dev']);
    const resolution = mapOf(meta['resolution']);
    // Facts are built field by field (not compacted with `delete`) because 15 MB lockfiles make this loop hot.
    const facts: PackageFacts = {};
    if (meta['requiresBuild'] === 'true') facts.native = true;
    if (node['optional'] === 'true' || meta['optional'] === 'true') facts.optional = true;
    const resolved = str(resolution['tarball']) ?? gitUrl(resolution) ?? str(resolution['directory']);
    if (resolved) facts.resolved = resolved;
    const integrity = str(resolution['integrity']);
    if (integrity) facts.integrity = integrity;
    out.push({
      name, version: ver, direct: roots.direct.has(key),
      dev: devFlag === 'true' || (devFlag === undefined && !prod.has(key)),
      installPath: key.charCodeAt(0) === 47 ? key.slice(1) : key,
      facts,
    });
  }
  return { ok: true, value: { format: 'pnpm-lock', ecosystem: 'npm', path, packages: sortPackages(out) }, warnings };
}

const NODE_STRINGS = ['name', 'version', 'dev', 'optional', 'requiresBuild'] as const;
const RESOLUTION_STRINGS = ['integrity', 'tarball', 'repo', 'commit', 'directory'] as const;

/** A field of a `packages`/`snapshots` node that is a map or a list where pnpm writes a plain value, or the reverse. */
function shapeProblem(key: string, node: YamlMap): { key: string; message: string } | undefined {
  for (const field of NODE_STRINGS) {
    const v = node[field];
    if (v !== undefined && typeof v !== 'string') return { key, message: wrongType(field, key, v) };
  }
  const resolution = node['resolution'];
  if (resolution !== undefined && resolution !== '') {
    if (!isMap(resolution)) return { key, message: wrongType('resolution', key, resolution, 'a map') };
    for (const field of RESOLUTION_STRINGS) {
      const v = resolution[field];
      if (v !== undefined && typeof v !== 'string') return { key, message: wrongType(`resolution.${field}`, key, v) };
    }
  }
  for (const group of DEP_GROUPS) {
    const deps = node[group];
    if (deps === undefined || deps === '') continue;
    if (!isMap(deps)) return { key, message: wrongType(group, key, deps, 'a map') };
    for (const name in deps) {
      if (typeof deps[name] !== 'string') return { key, message: `has "${group}.${name}" = ${describeValue(deps[name])} in "${key}", where a version is expected` };
    }
  }
  return undefined;
}

/** pnpm 11 writes an "env" document (the package manager itself) before the project's: use the project's. */
export function pickDocument(docs: YamlMap[]): YamlMap | undefined {
  const locks = docs.filter(d => str(d['lockfileVersion']) !== undefined);
  const isEnv = (d: YamlMap): boolean => Object.values(mapOf(d['importers']))
    .every(imp => !DEP_GROUPS.some(g => isMap(mapOf(imp)[g])));
  const project = locks.filter(d => !isMap(d['importers']) || !isEnv(d));
  return project[project.length - 1] ?? locks[locks.length - 1];
}

function rootRefs(importers: YamlMap, nodes: YamlMap): { direct: Set<string>; prod: string[] } {
  const direct = new Set<string>();
  const prod: string[] = [];
  for (const importer of Object.values(importers)) {
    for (const group of DEP_GROUPS) {
      for (const [name, dep] of Object.entries(mapOf(mapOf(importer)[group]))) {
        // 5.x writes `name: version`; 6.x and later `name: { specifier, version }`.
        const ref = isMap(dep) ? str(dep['version']) : str(dep);
        const key = ref && resolveRef(name, ref, nodes);
        if (!key) continue;
        direct.add(key);
        if (group !== 'devDependencies') prod.push(key);
      }
    }
  }
  return { direct, prod };
}

/** Keys of every node reachable from `start` through dependencies and optionalDependencies. */
function reachable(start: string[], nodes: YamlMap): Set<string> {
  const seen = new Set(start);
  const queue = [...start];
  while (queue.length > 0) {
    const node = mapOf(nodes[queue.pop()!]);
    for (const group of ['dependencies', 'optionalDependencies']) {
      for (const [name, ref] of Object.entries(mapOf(node[group]))) {
        const key = typeof ref === 'string' ? resolveRef(name, ref, nodes) : undefined;
        if (key && !seen.has(key)) { seen.add(key); queue.push(key); }
      }
    }
  }
  return seen;
}

/** The node key a dependency reference points at; the spelling differs by lockfile version and for aliases. */
function resolveRef(name: string, ref: string, nodes: YamlMap): string | undefined {
  if (ref.startsWith('link:')) return undefined;
  for (const key of [`${name}@${ref}`, `/${name}@${ref}`, `/${name}/${ref}`, ref, `/${ref}`]) {
    if (key in nodes) return key;
  }
  return undefined;
}

/** `foo@1.0.0(react@18.0.0)(patch_hash=x)` → `foo@1.0.0`: the `packages` key of a 9.x snapshot. */
export function baseKey(key: string): string {
  const paren = key.indexOf('(', 1);
  return paren < 0 ? key : key.slice(0, paren);
}

/** Name and version from a node key: `/foo@1.0.0(peer@1)` (6.x, 9.x without the slash) or `/foo/1.0.0_peer@1` (5.x). */
export function splitKey(key: string, major: number): { name: string; version: string } {
  const bare = key.startsWith('/') ? key.slice(1) : key;
  if (major < 6) {
    const parts = bare.split('/');
    const n = parts[0]?.startsWith('@') ? 2 : 1;
    if (parts.length !== n + 1) return { name: '', version: '' };
    const last = parts[n] ?? '';
    const underscore = last.indexOf('_');
    return { name: parts.slice(0, n).join('/'), version: underscore < 0 ? last : last.slice(0, underscore) };
  }
  const base = baseKey(bare);
  const at = base.indexOf('@', 1);
  if (at < 0) return { name: '', version: '' };
  return { name: base.slice(0, at), version: base.slice(at + 1) };
}

/** The line of a `packages`/`snapshots` key, written plain or quoted at two spaces. */
function lineOfKey(text: string, key: string): number {
  for (const spelled of [`\n  ${key}:`, `\n  '${key}':`, `\n  "${key}":`]) {
    if (text.includes(spelled)) return lineOf(text, spelled) + 1;
  }
  return lineOf(text, key);
}

function gitUrl(resolution: YamlMap): string | undefined {
  const repo = str(resolution['repo']);
  return repo ? `${repo}#${str(resolution['commit']) ?? ''}` : undefined;
}
