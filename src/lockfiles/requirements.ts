// https://pip.pypa.io/en/stable/reference/requirements-file-format/ (also `pip freeze` and pip-compile output)
import type { DependencySet, LockedPackage, LockfileFormat, Parsed } from '../types.js';
import { parseRequirementLine } from './requirements-line.js';
import { basename, excerpt, failure, sortPackages } from './util.js';

/** An `-r`/`-c` line, with its target resolved against the including file's folder. */
export interface RequirementInclude { constraint: boolean; path: string; line: number }
/** Returns the text of a file the requirements include (a repository path), or undefined when missing. */
export type ReadInclude = (path: string) => string | undefined;

const NAME = /^(?:.*requirements.*|constraints.*)\.txt$|^requirements\.lock$/i;
// The pip-tools layout: pins in requirements/base.txt, requirements/prod.txt, reqs/default.txt ... (the `.in`
// sources beside them are ranges, not pins, and are not read).
const LOCATION = /(^|\/)(requirements|reqs|requirements\.d|constraints)\/(?:[^/]+\/)*[^/]+\.txt$/i;
// What `pip freeze` and pip-compile write: pins (with extras, markers, hashes), `name @ url`, editable and VCS or
// archive URLs, options and comments.
const FREEZE_LINE = /^(?:[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?\s*===?\s*[^\s;]+(?:\s*;.*)?(?:\s+--hash=\S+)*\s*\\?|[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?\s*@\s*\S+(?:\s*;.*)?|-e\s+\S+|(?:git|hg|svn|bzr)\+\S+|https?:\/\/\S+|--hash=\S+\s*\\?|--?[a-z][\w-]*(?:[ =]\S+)?|#.*)$/;
const HINT = 'Fix the line, or regenerate the file with `pip freeze` or `pip-compile`';

const format: LockfileFormat = {
  id: 'requirements',
  ecosystem: 'pypi',
  detect(path, text) {
    if (NAME.test(basename(path)) || LOCATION.test(path)) return true;
    if (!text || text.trimStart().startsWith('{') || text.trimStart().startsWith('[')) return false;
    const lines = text.split('\n', 200).map(l => l.trim()).filter(Boolean);
    return lines.some(l => l.includes('==')) && lines.every(l => FREEZE_LINE.test(l));
  },
  parse: (text, path) => parseRequirements(text, path),
};
export default format;

interface Logical { text: string; line: number; via: string[] }

/** Joins `\` continuations and attaches pip-compile's `# via` comments to the requirement above them. */
function logicalLines(text: string): Logical[] {
  const out: Logical[] = [];
  const lines = text.split(/\r?\n/);
  let inVia = false;
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i] ?? '';
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + ' ' + (lines[++i] ?? '');
    const comment = /(?:^|\s)#(.*)$/.exec(line);
    const body = comment ? line.slice(0, comment.index) : line;
    const note = (comment?.[1] ?? '').trim();
    const via = /^via\b(.*)$/.exec(note);
    if (body.trim()) {
      inVia = via !== null;
      out.push({ text: body, line: start + 1, via: splitVia(via?.[1]) });
      continue;
    }
    const last = out[out.length - 1];
    if (!comment || !last) { inVia = false; continue; }
    if (via) { inVia = true; for (const v of splitVia(via[1])) last.via.push(v); } else if (inVia && note) last.via.push(note);
  }
  return out;
}

const splitVia = (s: string | undefined): string[] => (s ?? '').split(',').map(v => v.trim()).filter(Boolean);

/** The `-r` and `-c` files a requirements file includes, resolved against its folder. */
export function listRequirementIncludes(text: string, path: string): RequirementInclude[] {
  const out: RequirementInclude[] = [];
  for (const l of logicalLines(text)) {
    const parsed = parseRequirementLine(l.text);
    if (parsed.kind === 'include' && !/^[a-z]+:\/\//i.test(parsed.target)) {
      out.push({ constraint: parsed.constraint, path: joinPath(dirname(path), parsed.target), line: l.line });
    }
  }
  return out;
}

/**
 * Fetches a requirements file and everything it includes, through the caller's reader (for example
 * `path => reader.readFile(sha, path)`), so that `parseRequirements(text, path, p => files.get(p))` can resolve them.
 */
export async function fetchRequirementFiles(path: string, read: (path: string) => Promise<string | undefined>,
  limit = 50): Promise<Map<string, string | undefined>> {
  const files = new Map<string, string | undefined>();
  const queue = [path];
  while (queue.length > 0 && files.size < limit) {
    const next = queue.shift() as string;
    if (files.has(next)) continue;
    const text = await read(next);
    files.set(next, text);
    // One by one, never push(...list): a spread of 100,000+ items overflows the call stack.
    if (text !== undefined) for (const include of listRequirementIncludes(text, next)) queue.push(include.path);
  }
  return files;
}

/** Parses a requirements file; `readInclude` supplies `-r`/`-c` files from the same ref (none read without it). */
export function parseRequirements(text: string, path: string, readInclude?: ReadInclude): Parsed<DependencySet> {
  const warnings: string[] = [];
  const constraints = new Map<string, string>();
  const packages: LockedPackage[] = [];
  const error = collect(text, path, readInclude, new Set([path]), packages, constraints, warnings);
  if (error) return error;
  for (const p of packages) {
    const pin = constraints.get(p.name);
    if (p.version.startsWith('http') || !pin || !/^[<>=!~(*]/.test(p.version)) continue;
    p.version = pin;
  }
  for (const p of packages) {
    if (/^(?:[<>=!~(]|\*$)/.test(p.version)) warnings.push(`${path}: ${p.name} is not pinned (${p.version}); its version is compared as written`);
  }
  return { ok: true, value: { format: 'requirements', ecosystem: 'pypi', path, packages: dedupe(packages) }, warnings };
}

function collect(text: string, path: string, readInclude: ReadInclude | undefined, seen: Set<string>,
  packages: LockedPackage[], constraints: Map<string, string>, warnings: string[]): Parsed<DependencySet> | undefined {
  const lines = logicalLines(text);
  const hasVia = lines.some(l => l.via.length > 0);
  const dev = isDevFile(path);
  for (const l of lines) {
    const r = parseRequirementLine(l.text);
    if (r.kind === 'error') {
      return failure('requirements', path, `${r.what}: "${excerpt(text, l.line)}"`, l.line, `${r.hint}. ${HINT}`);
    }
    if (r.kind === 'include') {
      const target = joinPath(dirname(path), r.target);
      if (/^[a-z]+:\/\//i.test(r.target)) { warnings.push(`${path}:${l.line}: remote include ${r.target} is not read`); continue; }
      if (!readInclude) { warnings.push(`${path}:${l.line}: included file ${target} is not read here; its requirements are left out`); continue; }
      if (seen.has(target)) continue;
      const included = readInclude(target);
      if (included === undefined) { warnings.push(`${path}:${l.line}: included file ${target} is missing`); continue; }
      seen.add(target);
      const sub: LockedPackage[] = [];
      const error = collect(included, target, readInclude, seen, sub, constraints, warnings);
      if (error) return error;
      if (r.constraint) for (const p of sub) { if (p.version !== '*' && !/^[<>!~(]/.test(p.version)) constraints.set(p.name, p.version); }
      else for (const p of sub) packages.push(p);
      continue;
    }
    if (r.kind !== 'requirement') continue;
    // pip-compile marks what the .in file asked for with "via -r"; "via -c" only constrains what others pulled in.
    const direct = !hasVia || l.via.some(v => v.startsWith('-r '));
    packages.push({ name: r.name, version: r.version, direct, dev,
      facts: { ...(r.url ? { resolved: r.url } : {}) } });
  }
  return undefined;
}

/** One entry per name and version: direct and runtime win over transitive and dev. */
function dedupe(packages: LockedPackage[]): LockedPackage[] {
  const byKey = new Map<string, LockedPackage>();
  for (const p of packages) {
    const key = `${p.name}\0${p.version}`;
    const had = byKey.get(key);
    if (!had) byKey.set(key, p);
    else { had.direct ||= p.direct; had.dev &&= p.dev; }
  }
  return sortPackages([...byKey.values()]);
}

/** File names such as dev-requirements.txt or requirements-test.txt hold tooling, not what ships. */
function isDevFile(path: string): boolean {
  return /(?:^|[-_.])(?:dev|develop|development|test|tests|testing|lint|docs|ci)(?:[-_.]|$)/i.test(basename(path).replace(/\.txt$/i, ''));
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function joinPath(dir: string, rel: string): string {
  if (rel.startsWith('/')) return rel;
  const parts = dir ? dir.split('/') : [];
  for (const seg of rel.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}
