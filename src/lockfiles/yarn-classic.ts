// https://classic.yarnpkg.com/en/docs/yarn-lock (grammar: yarnpkg/yarn src/lockfile/parse.js)
import type { DependencySet, LockedPackage, LockfileFormat, Parsed } from '../types.js';
import { basename, compactFacts, failureAt, sortPackages, stripBom } from './util.js';
import { isBerry } from './yarn-detect.js';

const HINT = 'Regenerate it with `yarn install --force`, or fix the merge conflict it may contain';

const format: LockfileFormat = {
  id: 'yarn-classic',
  ecosystem: 'npm',
  detect(path, text) {
    if (basename(path) === 'yarn.lock') return text === '' || !isBerry(text);
    return /^# yarn lockfile v1/m.test(text.slice(0, 512));
  },
  parse: parseYarnClassic,
};
export default format;

export interface Entry {
  descriptors: string[];
  fields: Map<string, string>;
  dependencies: Map<string, string>;
  optionalDependencies: Map<string, string>;
}

/** One unquoted or double-quoted token at `i`; returns the token and the index after it. */
function readToken(s: string, i: number): [string, number] | undefined {
  if (s.charCodeAt(i) === 34) {
    const end = s.indexOf('"', i + 1);
    if (end < 0) return undefined;
    const raw = s.slice(i, end + 1);
    try {
      return [raw.includes('\\') ? JSON.parse(raw) as string : raw.slice(1, -1), end + 1];
    } catch {
      return undefined;
    }
  }
  let end = i;
  while (end < s.length && s.charCodeAt(end) !== 32 && s.charCodeAt(end) !== 44 && !(s.charCodeAt(end) === 58 && end === s.length - 1)) end++;
  return end > i ? [s.slice(i, end), end] : undefined;
}

/** `"a@^1", b@~2:` → ['a@^1', 'b@~2'] */
export function readHeader(line: string): string[] | undefined {
  if (!line.endsWith(':')) return undefined;
  const body = line.slice(0, -1);
  const out: string[] = [];
  let i = 0;
  while (i < body.length) {
    const token = readToken(body, i);
    if (!token) return undefined;
    out.push(token[0]);
    i = token[1];
    if (i < body.length) {
      if (!body.startsWith(', ', i)) return undefined;
      i += 2;
    }
  }
  return out.length > 0 ? out : undefined;
}

/** `key value` → [key, value]; `key:` → [key, undefined] (a section). */
function readPair(content: string): [string, string | undefined] | undefined {
  const key = readToken(content, 0);
  if (!key) return undefined;
  const rest = content.slice(key[1]);
  if (rest === ':') return [key[0], undefined];
  if (!rest.startsWith(' ')) return undefined;
  if (rest.charCodeAt(1) !== 34) return rest.length > 1 ? [key[0], rest.slice(1)] : undefined;
  const value = readToken(rest, 1);
  if (!value || value[1] !== rest.length) return undefined;
  return [key[0], value[0]];
}

/** The entries of a yarn 1 lock, or the line and the problem that stops the read (bisect --deps reads their dependency ranges). */
export function readEntries(text: string): Entry[] | { line: number; what: string } {
  const entries: Entry[] = [];
  let entry: Entry | undefined;
  let section: Map<string, string> | undefined;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const indent = line.length - trimmed.length;
    if (/^(<<<<<<<|=======|>>>>>>>)/.test(line)) return { line: n + 1, what: 'contains a git merge conflict marker' };
    if (indent === 0) {
      const descriptors = readHeader(line);
      if (!descriptors) return { line: n + 1, what: 'has an entry header that is not `name@range[, ...]:`' };
      entry = { descriptors, fields: new Map(), dependencies: new Map(), optionalDependencies: new Map() };
      entries.push(entry);
      section = undefined;
      continue;
    }
    const pair = readPair(trimmed);
    if (!entry || !pair || (indent !== 2 && indent !== 4) || (indent === 4 && !section)) {
      return { line: n + 1, what: 'has a line yarn v1 does not write here' };
    }
    const [key, value] = pair;
    if (indent === 4) { if (value !== undefined) section!.set(key, value); continue; }
    if (value !== undefined) { entry.fields.set(key, value); section = undefined; continue; }
    section = key === 'dependencies' ? entry.dependencies : key === 'optionalDependencies' ? entry.optionalDependencies : new Map();
  }
  return entries;
}

/** The real package of a descriptor: `alias@npm:real@^1` installs `real`. */
export function packageName(descriptor: string): string {
  const at = descriptor.indexOf('@', 1);
  const name = at < 0 ? descriptor : descriptor.slice(0, at);
  const range = at < 0 ? '' : descriptor.slice(at + 1);
  if (!range.startsWith('npm:')) return name;
  const target = range.slice(4);
  const targetAt = target.indexOf('@', 1);
  return targetAt < 0 ? target : target.slice(0, targetAt);
}

export function parseYarnClassic(input: string, path: string): Parsed<DependencySet> {
  const text = stripBom(input);
  const entries = readEntries(text);
  if (!Array.isArray(entries)) return failureAt('yarn-classic', path, text, entries.line, entries.what, HINT);
  // yarn.lock does not record the project's own dependency list. A descriptor that no entry requires can only
  // come from a package.json, so its entry is direct; one that is also required transitively is missed.
  const required = new Set<string>();
  const requiredOptional = new Set<string>();
  for (const e of entries) {
    for (const [name, range] of e.dependencies) required.add(`${name}@${range}`);
    for (const [name, range] of e.optionalDependencies) requiredOptional.add(`${name}@${range}`);
  }
  const out: LockedPackage[] = [];
  for (const e of entries) {
    const version = e.fields.get('version');
    const first = e.descriptors[0]!;
    if (!version) {
      const line = text.split('\n').findIndex(l => l.includes(first)) + 1;
      return failureAt('yarn-classic', path, text, line || 1, 'has an entry without a version', HINT);
    }
    const direct = e.descriptors.some(d => !required.has(d) && !requiredOptional.has(d));
    const optional = !direct && e.descriptors.every(d => !required.has(d));
    out.push({
      name: packageName(first), version, direct, dev: false,
      facts: compactFacts({ optional: optional || undefined, resolved: e.fields.get('resolved'), integrity: e.fields.get('integrity') }),
    });
  }
  return { ok: true, value: { format: 'yarn-classic', ecosystem: 'npm', path, packages: sortPackages(out) }, warnings: [] };
}
