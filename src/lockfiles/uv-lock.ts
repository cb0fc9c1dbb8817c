// https://docs.astral.sh/uv/concepts/projects/layout/#the-lockfile (uv.lock, version 1, any revision)
import type { DependencySet, LockedPackage, LockfileFormat, Parsed } from '../types.js';
import { anyMarker, sortPins, type InstallPin, type InstallSet } from './install-pins.js';
import { packageTables, readToml, readTomlLifting, isTable, str, strings, tables, type Table } from './toml.js';
import { basename, compactFacts, failure, lineOf, nonStringKey, sortPackages, wrongType } from './util.js';
import { nativeFromFiles, normalizePythonName } from './wheel-tags.js';
import { addTo } from '../util/arrays.js';

const HINT = 'Regenerate it with `uv lock`';
// One wheel per line, as uv writes it; other shapes are left to smol-toml.
const WHEEL = /^ {4}\{ url = "([^"\\\x00-\x1f\x7f]*)", hash = "[^"\\\x00-\x1f\x7f]*", size = \d+(?:, upload-time = "[^"\\\x00-\x1f\x7f]*")? \},$/;

const format: LockfileFormat = {
  id: 'uv-lock',
  ecosystem: 'pypi',
  detect(path, text) {
    if (basename(path) === 'uv.lock') return true;
    return text.length > 0 && /^version = 1\s*\n(?:revision = \d+\s*\n)?requires-python = /.test(text.slice(0, 200));
  },
  parse: parseUvLock,
};
export default format;

/** Runtime edges and dev edges of one [[package]], as normalised names. */
interface Node { entry: Table; wheels: string[]; name: string; runtime: string[]; dev: string[] }

export function parseUvLock(text: string, path: string): Parsed<DependencySet> {
  const doc = readTomlLifting(text, path, 'uv-lock', HINT, 'wheels = [', WHEEL);
  if (!doc.ok) return doc;
  const version = doc.table.version;
  const revision = doc.table.revision;
  if ((version !== undefined && version !== 1) || (revision !== undefined && !Number.isInteger(revision))) {
    const what = version !== 1 ? `version ${JSON.stringify(version)}` : `revision ${JSON.stringify(revision)}`;
    return failure('uv-lock', path, `has ${what}, which reldiff does not know`, lineOf(text, version !== 1 ? 'version' : 'revision'),
      'reldiff reads uv.lock version 1 (revisions 1 to 3); regenerate it with `uv lock` or update reldiff');
  }
  // Revisions add fields that older readers may skip (uv itself reads a newer revision of version 1).
  const warnings = typeof revision === 'number' && revision > 3
    ? [`${path}: uv.lock revision ${revision} is newer than reldiff knows (1 to 3); read with the revision 3 rules`] : [];
  const entries = packageTables(doc.table, path, 'uv-lock', HINT);
  if (!Array.isArray(entries)) return entries;
  const nodes: Node[] = [];
  for (const [i, entry] of entries.entries()) {
    const name = str(entry.name);
    if (!name) return failure('uv-lock', path, `has a [[package]] (number ${i + 1}) without a name`, undefined, HINT);
    const problem = shapeProblem(entry, name);
    if (problem) return failure('uv-lock', path, `${problem} ([[package]] number ${i + 1})`, lineOf(text, `name = ${JSON.stringify(name)}`), HINT);
    nodes.push({ entry, wheels: doc.lifted[i] ?? [], name: normalizePythonName(name), runtime: edges(entry.dependencies, entry['optional-dependencies']),
      dev: edges(undefined, entry['dev-dependencies']) });
  }
  const roots = rootNames(doc.table, nodes);
  const byName = new Map<string, Node[]>();
  for (const n of nodes) addTo(byName, n.name, n);
  const direct = new Set(nodes.filter(n => roots.has(n.name)).flatMap(n => [...n.runtime, ...n.dev]));
  // Runtime: reachable from a root through runtime edges only. Anything else reachable is there for development.
  const runtime = reach([...roots], n => byName.get(n)?.flatMap(x => x.runtime) ?? []);
  const rootDev = nodes.filter(n => roots.has(n.name)).flatMap(n => n.dev);
  const all = reach([...roots, ...rootDev], n => byName.get(n)?.flatMap(x => [...x.runtime, ...(roots.has(n) ? x.dev : [])]) ?? []);
  const packages: LockedPackage[] = [];
  for (const n of nodes) {
    if (roots.has(n.name)) continue;
    const source = isTable(n.entry.source) ? n.entry.source : {};
    const files = [...n.wheels, ...tables(n.entry.wheels).map(w => str(w.url) ?? str(w.filename) ?? str(w.path) ?? '')];
    const sdist = isTable(n.entry.sdist) ? n.entry.sdist : undefined;
    packages.push({
      name: n.name,
      version: str(n.entry.version) ?? sourceText(source),
      direct: direct.has(n.name),
      dev: !runtime.has(n.name) && all.has(n.name),
      facts: compactFacts({ native: nativeFromFiles(files), resolved: resolvedOf(source), integrity: str(sdist?.hash) }),
    });
  }
  return { ok: true, value: { format: 'uv-lock', ecosystem: 'pypi', path, packages: sortPackages(packages) }, warnings };
}

/** Workspace members (or the one project at "."), which uv records as editable or virtual packages. */
function rootNames(doc: Table, nodes: readonly Pick<Node, 'entry' | 'name'>[]): Set<string> {
  const manifest = isTable(doc.manifest) ? doc.manifest : {};
  const members = new Set(strings(manifest.members).map(normalizePythonName));
  const roots = new Set<string>();
  for (const n of nodes) {
    const source = isTable(n.entry.source) ? n.entry.source : {};
    const local = str(source.editable) ?? str(source.virtual);
    if (local === undefined) continue;
    if (local === '.' || members.has(n.name)) roots.add(n.name);
  }
  return roots;
}

/** A version that is not a string (`version = 2`), or a source whose value is not one (`source = { registry = 1 }`). */
function shapeProblem(entry: Table, name: string): string | undefined {
  if (entry.version !== undefined && typeof entry.version !== 'string') return wrongType('version', name, entry.version);
  const source = entry.source;
  if (source === undefined) return undefined;
  if (!isTable(source)) return wrongType('source', name, source, 'a table');
  const key = nonStringKey(source, Object.keys(source));
  return key ? wrongType(`source.${key}`, name, source[key]) : undefined;
}

function edges(deps: unknown, groups: unknown): string[] {
  const out: string[] = [];
  const add = (list: unknown): void => {
    for (const d of tables(list)) {
      const name = str(d.name);
      if (name) out.push(normalizePythonName(name));
    }
  };
  add(deps);
  if (isTable(groups)) for (const list of Object.values(groups)) add(list);
  return out;
}

/** Names reachable from `start`. Edges are pushed one by one: `stack.push(...next(n))` overflows on a package with 100,000+ of them. */
function reach(start: string[], next: (name: string) => string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const n = stack.pop() as string;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const m of next(n)) if (!seen.has(m)) stack.push(m);
  }
  return seen;
}

function sourceText(source: Table): string {
  const [kind, value] = Object.entries(source)[0] ?? ['', ''];
  return kind ? `${kind}:${String(value)}` : '';
}

/** Registry packages resolve to the index; only git, URL and path sources say where the code came from. */
function resolvedOf(source: Table): string | undefined {
  if (source.registry !== undefined) return undefined;
  return str(source.git) ?? str(source.url) ?? str(source.path) ?? str(source.directory) ?? str(source.editable);
}

/**
 * What `uv sync` puts into the environment (bisect --deps trials): what the project needs at run time and its `dev`
 * group (uv's default-groups), each package with the extras asked of it on the edges that reach it; not the
 * project's own extras nor its other groups (uv sync installs those only when asked), and not the workspace members
 * themselves (the trial runs their source in the worktree). A package is installed where any edge to it holds.
 */
export function uvInstallSet(text: string, path: string): Parsed<InstallSet> {
  const parsed = parseUvLock(text, path);
  if (!parsed.ok) return parsed;
  const doc = readToml(text, path, 'uv-lock', HINT);
  if (!doc.ok) return doc;
  const nodes = tables(doc.table.package).map(entry => ({ entry, name: normalizePythonName(str(entry.name) ?? ''), version: str(entry.version) }));
  const roots = rootNames(doc.table, nodes);
  const byName = new Map<string, number[]>();
  nodes.forEach((n, i) => addTo(byName, n.name, i));
  const incoming = new Map<number, (string | undefined)[]>();
  const extrasOf = new Map<number, Set<string>>();
  const queue: number[] = [];
  const follow = (list: unknown): void => {
    for (const edge of tables(list)) {
      const name = normalizePythonName(str(edge.name) ?? '');
      const version = str(edge.version);
      for (const i of byName.get(name) ?? []) {
        // Members too: the extras asked of one (`pydantic-ai-slim[openai]`) bring in its optional dependencies.
        if (version !== undefined && nodes[i]?.version !== version) continue;
        addTo(incoming, i, str(edge.marker));
        const extras = extrasOf.get(i) ?? new Set<string>();
        const before = extrasOf.has(i) ? extras.size : -1;
        for (const x of strings(edge.extra)) extras.add(x);
        extrasOf.set(i, extras);
        if (extras.size !== before) queue.push(i);
      }
    }
  };
  // uv sync at the workspace root syncs the project there, and a member only when something depends on it; a root
  // without a project of its own (a virtual workspace) is synced with --all-packages, so then every member starts.
  const isAtRoot = (n: (typeof nodes)[number]): boolean => {
    const source = isTable(n.entry.source) ? n.entry.source : {};
    return (str(source.editable) ?? str(source.virtual)) === '.';
  };
  const starts = nodes.some(isAtRoot) ? nodes.filter(isAtRoot) : nodes.filter(n => roots.has(n.name));
  for (const n of starts) {
    follow(n.entry.dependencies);
    follow(isTable(n.entry['dev-dependencies']) ? n.entry['dev-dependencies'].dev : undefined);
  }
  for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
    const entry = (nodes[i] as (typeof nodes)[number]).entry;
    follow(entry.dependencies);
    const optional = isTable(entry['optional-dependencies']) ? entry['optional-dependencies'] : {};
    for (const x of extrasOf.get(i) ?? []) follow(optional[x]);
  }
  const pins: InstallPin[] = [];
  const excluded: string[] = [];
  nodes.forEach((n, i) => {
    if (roots.has(n.name)) return;
    const source = isTable(n.entry.source) ? n.entry.source : {};
    // A virtual package has nothing to build or install.
    if (!incoming.has(i) || source.virtual !== undefined) { excluded.push(n.name); return; }
    const marker = anyMarker(incoming.get(i) ?? []);
    pins.push({ name: str(n.entry.name) as string, version: n.version ?? sourceText(source), ...(marker ? { marker } : {}), ...uvSource(source) });
  });
  return { ok: true, value: { pins: sortPins(pins), excluded: [...new Set(excluded)].sort() }, warnings: [] };
}

/** uv writes git sources as `https://host/repo?rev=main#<commit>` (subdirectory in the query too). */
function uvSource(source: Table): Pick<InstallPin, 'url' | 'path'> {
  const git = str(source.git);
  if (git) {
    const [base = '', commit] = git.split('#');
    const [repo = '', query = ''] = base.split('?');
    const sub = new URLSearchParams(query).get('subdirectory');
    const rev = commit ?? new URLSearchParams(query).get('rev') ?? new URLSearchParams(query).get('tag') ?? 'HEAD';
    return { url: `git+${repo}@${rev}${sub ? `#subdirectory=${sub}` : ''}` };
  }
  const url = str(source.url);
  if (url) return { url: str(source.subdirectory) ? `${url}#subdirectory=${str(source.subdirectory) ?? ''}` : url };
  const local = str(source.path) ?? str(source.directory) ?? str(source.editable);
  return local ? { path: local } : {};
}
