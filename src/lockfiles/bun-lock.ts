// https://bun.sh/docs/install/lockfile: Bun's text lockfile `bun.lock` (Bun 1.2+), JSON with trailing commas, read
// with jsonc-parser. lockfileVersion 0 and 1. (The binary `bun.lockb` of older Bun is not read.)
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { DependencySet, LockedPackage, LockfileFormat, Parsed } from '../types.js';
import { basename, compactFacts, failure, failureAt, sortPackages, stripBom } from './util.js';

const HINT = 'Regenerate it with `bun install --save-text-lockfile`';
const KNOWN_VERSIONS = new Set([0, 1]);

const format: LockfileFormat = {
  id: 'bun-lock',
  ecosystem: 'npm',
  detect(path, text) {
    if (basename(path) === 'bun.lock') return true;
    return text.length > 0 && /^\s*\{\s*"lockfileVersion"\s*:\s*\d+\s*,\s*(?:"configVersion"\s*:\s*\d+\s*,\s*)?"workspaces"\s*:/.test(text.slice(0, 200));
  },
  parse: parseBunLock,
};
export default format;

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const names = (v: unknown): string[] => (isRecord(v) ? Object.keys(v) : []);
const RUNTIME_GROUPS = ['dependencies', 'optionalDependencies', 'peerDependencies'];

/** `@scope/name@1.2.3` -> [`@scope/name`, `1.2.3`]: the version starts after the last `@` that is not the first character. */
function splitSpec(spec: string): [string, string] | undefined {
  const at = spec.indexOf('@', 1);
  if (at <= 0) return undefined;
  return [spec.slice(0, at), spec.slice(at + 1)];
}

/** Where a dependency of the package at `key` is installed: bun's nested keys (`parent/child`) searched upward. */
function resolveKey(key: string, dep: string, keys: ReadonlySet<string>): string | undefined {
  let base = key;
  for (;;) {
    const candidate = base === '' ? dep : `${base}/${dep}`;
    if (keys.has(candidate)) return candidate;
    if (base === '') return undefined;
    // Drop the last package name of the path (a scoped name is two segments).
    const parts = base.split('/');
    const last = parts.length >= 2 && parts[parts.length - 2]?.startsWith('@') ? 2 : 1;
    base = parts.slice(0, -last).join('/');
  }
}

/** `send/ms` -> `node_modules/send/node_modules/ms`; a scope and its name are one package. */
function installPathOf(key: string): string {
  const packages: string[] = [];
  for (const part of key.split('/')) {
    const last = packages.at(-1);
    if (last !== undefined && last.startsWith('@') && !last.includes('/')) packages[packages.length - 1] = `${last}/${part}`;
    else packages.push(part);
  }
  return `node_modules/${packages.join('/node_modules/')}`;
}

export function parseBunLock(input: string, path: string): Parsed<DependencySet> {
  const text = stripBom(input);
  const errors: ParseError[] = [];
  const doc: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    const line = text.slice(0, first.offset).split('\n').length;
    return failureAt('bun-lock', path, text, line, `is not valid JSON (${printParseErrorCode(first.error)})`, HINT);
  }
  if (!isRecord(doc)) return failure('bun-lock', path, 'is not a JSON object', 1, HINT);
  const version = doc['lockfileVersion'];
  if (typeof version !== 'number' || !KNOWN_VERSIONS.has(version)) {
    return failure('bun-lock', path, `has lockfileVersion ${JSON.stringify(version ?? null)}, which reldiff does not know`, 1, 'reldiff reads bun.lock lockfileVersion 0 and 1');
  }
  const workspaces = isRecord(doc['workspaces']) ? doc['workspaces'] : {};
  const entries = doc['packages'];
  if (entries !== undefined && !isRecord(entries)) return failure('bun-lock', path, 'has a "packages" key that is not an object', undefined, HINT);
  const table = entries ?? {};
  const keys = new Set(Object.keys(table));

  const parsed = new Map<string, { name: string; version: string; meta: Json; integrity?: string }>();
  for (const [key, value] of Object.entries(table)) {
    if (!Array.isArray(value) || typeof value[0] !== 'string') {
      return failure('bun-lock', path, `has an entry "${key.slice(0, 80)}" that is not ["name@version", ...]`, undefined, HINT);
    }
    const spec = splitSpec(value[0]);
    if (!spec) return failure('bun-lock', path, `has an entry "${key.slice(0, 80)}" whose first item is not name@version`, undefined, HINT);
    const meta = value.find((v, i) => i > 0 && isRecord(v));
    const integrity = typeof value[3] === 'string' ? value[3] : undefined;
    parsed.set(key, { name: spec[0], version: spec[1], meta: isRecord(meta) ? meta : {}, ...(integrity ? { integrity } : {}) });
  }

  const direct = new Set<string>();
  const runtimeRoots: string[] = [];
  const devRoots: string[] = [];
  for (const ws of Object.values(workspaces)) {
    if (!isRecord(ws)) continue;
    for (const group of RUNTIME_GROUPS) for (const dep of names(ws[group])) { direct.add(dep); runtimeRoots.push(dep); }
    for (const dep of names(ws['devDependencies'])) { direct.add(dep); devRoots.push(dep); }
  }
  const reach = (roots: string[]): Set<string> => {
    const seen = new Set<string>();
    const queue = roots.map(r => resolveKey('', r, keys)).filter((k): k is string => k !== undefined);
    while (queue.length > 0) {
      const key = queue.pop() as string;
      if (seen.has(key)) continue;
      seen.add(key);
      const meta = parsed.get(key)?.meta ?? {};
      for (const group of RUNTIME_GROUPS) {
        for (const dep of names(meta[group])) {
          const target = resolveKey(key, dep, keys);
          if (target !== undefined && !seen.has(target)) queue.push(target);
        }
      }
    }
    return seen;
  };
  const runtime = reach(runtimeRoots);
  const everything = reach([...runtimeRoots, ...devRoots]);

  const packages: LockedPackage[] = [];
  for (const [key, entry] of parsed) {
    if (entry.version.startsWith('workspace:')) continue; // the project's own packages
    packages.push({
      name: entry.name,
      version: entry.version,
      // Only the copy at the top of node_modules is the one the project's own imports reach.
      direct: direct.has(entry.name) && key === entry.name,
      dev: !runtime.has(key) && everything.has(key),
      installPath: installPathOf(key),
      // A package that declares os or cpu ships a binary for one platform.
      facts: compactFacts({ integrity: entry.integrity, native: entry.meta['os'] !== undefined || entry.meta['cpu'] !== undefined ? true : undefined }),
    });
  }
  return { ok: true, value: { format: 'bun-lock', ecosystem: 'npm', path, packages: sortPackages(packages) }, warnings: [] };
}
