// https://docs.npmjs.com/cli/v10/commands/npm-ls (`npm ls --json [--all] [--long]`, npm 6 to 11)
import type { DependencySet, LockedPackage, LockfileFormat, Parsed } from '../types.js';
import { basename, compactFacts, failure, lineOf, lineOfJsonError, nonStringKey, sortPackages, stripBom, wrongType } from './util.js';

const HINT = 'Capture it again with `npm ls --all --json --long > npm-ls.json`';

interface Node {
  name?: unknown; version?: unknown; path?: unknown; resolved?: unknown; _resolved?: unknown;
  integrity?: unknown; _integrity?: unknown; dev?: unknown; optional?: unknown; peer?: unknown;
  missing?: unknown; extraneous?: unknown; dependencies?: unknown;
}

const format: LockfileFormat = {
  id: 'npm-ls',
  ecosystem: 'npm',
  detect(path, text) {
    if (/^npm-ls.*\.json$/.test(basename(path))) return true;
    const head = text.slice(0, 65536);
    // package.json maps names to range strings; npm ls maps them to objects.
    return /^\s*\{/.test(head) && !head.includes('"lockfileVersion"')
      && /"dependencies"\s*:\s*\{\s*"[^"]+"\s*:\s*\{/.test(head);
  },
  parse: parseNpmLs,
};
export default format;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function parseNpmLs(input: string, path: string): Parsed<DependencySet> {
  const text = stripBom(input);
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    return failure('npm-ls', path, `is not valid JSON (${(error as Error).message})`, lineOfJsonError(text, error), HINT);
  }
  if (!isObject(root)) return failure('npm-ls', path, 'is not an `npm ls --json` object', 1, HINT);
  if (root['dependencies'] !== undefined && !isObject(root['dependencies'])) {
    return failure('npm-ls', path, 'has `dependencies` that is not an object', 1, HINT);
  }
  const rootPath = str(root['path']);
  const missing: string[] = [];
  // Without --long the tree says where a package is required, not where it is installed: the same copy shows
  // under every parent. Keep one per name@version then; with --long, one per real `path`.
  const seen = new Map<string, LockedPackage>();
  const children = new Map<string, Set<string>>();
  const prodRoots: string[] = [];
  const devNames = isObject(root['devDependencies']) ? new Set(Object.keys(root['devDependencies'])) : undefined;
  const queue: { deps: Record<string, unknown>; logical: string; parent?: string; isTop: boolean }[] =
    [{ deps: isObject(root['dependencies']) ? root['dependencies'] : {}, logical: '', isTop: true }];
  // Breadth first, so a package keeps its shallowest (most direct) occurrence.
  for (let i = 0; i < queue.length; i++) {
    const { deps, logical, parent, isTop } = queue[i]!;
    for (const [key, value] of Object.entries(deps)) {
      if (!isObject(value)) return failure('npm-ls', path, wrongType(key, logical, value, 'an object'), lineOf(text, JSON.stringify(key)), HINT);
      const node = value as Node;
      const bad = nonStringKey(value, ['name', 'version', 'path', 'resolved', '_resolved', 'integrity', '_integrity']);
      if (bad) return failure('npm-ls', path, wrongType(bad, `${logical}${key}`, value[bad]), lineOf(text, JSON.stringify(key)), HINT);
      const version = str(node.version);
      if (!version) {
        // `{}` is an optional peer that is not installed; `missing: true` a dependency that should be.
        if (node.missing === true) missing.push(key);
        continue;
      }
      const resolved = str(node.resolved) ?? str(node._resolved);
      const installPath = relative(str(node.path), rootPath) ?? `${logical}node_modules/${key}`;
      const name = str(node.name) ?? key;
      // A workspace shows as a `file:` link at the top; its own dependencies are the project's direct ones.
      const isWorkspace = isTop && resolved?.startsWith('file:') === true;
      const id = str(node.path) ? installPath : `${name}@${version}`;
      if (isObject(node.dependencies)) queue.push({ deps: node.dependencies, logical: `${installPath}/`, parent: isWorkspace ? undefined : id, isTop: isWorkspace });
      if (isWorkspace) continue;
      if (parent) (children.get(parent) ?? children.set(parent, new Set()).get(parent)!).add(id);
      else if (!devNames?.has(key) || !isTop) prodRoots.push(id);
      const known = seen.get(id);
      if (known) { if (isTop) known.direct = true; continue; }
      seen.set(id, {
        name, version, direct: isTop, dev: node.dev === true, installPath,
        facts: compactFacts({ resolved, integrity: str(node.integrity) ?? str(node._integrity),
          optional: node.optional === true || undefined, peer: node.peer === true || undefined }),
      });
    }
  }
  // --long prints the root's devDependencies: anything only they reach is dev. Older npm also flags `dev`.
  if (devNames) {
    const prod = new Set(prodRoots);
    for (const id of prod) for (const child of children.get(id) ?? []) prod.add(child);
    for (const [id, p] of seen) if (!prod.has(id)) p.dev = true;
  }
  const warnings: string[] = [];
  if (missing.length > 0) {
    warnings.push(`${path}: ${missing.length} missing package(s) in the installed tree, e.g. ${[...new Set(missing)].sort().slice(0, 3).join(', ')}`);
  }
  // npm ls lists what it found wrong (invalid, extraneous, missing) and still prints the tree.
  const problems = Array.isArray(root['problems']) ? root['problems'].filter((p): p is string => typeof p === 'string') : [];
  if (problems.length > 0) warnings.push(`${path}: npm ls reported ${problems.length} problem(s), first: ${problems[0]!.slice(0, 120)}`);
  return { ok: true, value: { format: 'npm-ls', ecosystem: 'npm', path, packages: sortPackages([...seen.values()]) }, warnings };
}

function relative(path: string | undefined, root: string | undefined): string | undefined {
  if (!path || !root) return undefined;
  const p = path.replace(/\\/g, '/');
  const r = root.replace(/\\/g, '/').replace(/\/$/, '');
  return p.startsWith(`${r}/`) ? p.slice(r.length + 1) : p;
}
