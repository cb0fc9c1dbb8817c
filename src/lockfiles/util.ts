import type { DependencySet, FormatId, LockedPackage, Parsed } from '../types.js';

// Helpers every lockfile parser shares.

export function basename(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? path : path.slice(i + 1);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorted by name, version, installPath (ARCHITECTURE.md §5). */
export function sortPackages(packages: LockedPackage[]): LockedPackage[] {
  return packages.sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.version, b.version)
    || compareStrings(a.installPath ?? '', b.installPath ?? ''));
}

/** A parse failure that names the format, the file and the line, with a hint on how to fix it. */
export function failure(format: FormatId, path: string, what: string, line: number | undefined, hint: string): Parsed<DependencySet> {
  const where = line ? `${path}:${line}` : path;
  return { ok: false, error: { code: 'bad-lockfile', message: `${where} (${format}) ${what}`, hint, ...(line ? { line } : {}) } };
}

/** Line number of a JSON.parse error, from the "position N" V8 puts in its message. */
export function lineOfJsonError(text: string, error: unknown): number | undefined {
  const m = /position (\d+)/.exec(String((error as Error)?.message ?? ''));
  if (!m) return undefined;
  const pos = Number(m[1]);
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** A short excerpt of a line for error messages. */
export function excerpt(text: string, line: number): string {
  const l = text.split('\n')[line - 1] ?? '';
  return l.length > 60 ? `${l.slice(0, 57)}...` : l;
}

/** Like failure(), with the offending line quoted so the user can find it without opening the file. */
export function failureAt(format: FormatId, path: string, text: string, line: number, what: string, hint: string): Parsed<DependencySet> {
  return failure(format, path, `${what}: \`${excerpt(text, line).trim()}\``, line, hint);
}

/** 1-based line of the first occurrence of `needle` at or after `from` (1 when absent). */
export function lineOf(text: string, needle: string, from = 0): number {
  const at = text.indexOf(needle, from);
  if (at < 0) return 1;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Drops undefined and false facts, so two parsers that know the same thing produce equal objects. */
export function compactFacts<T extends object>(facts: T): T {
  for (const k of Object.keys(facts) as (keyof T)[]) if (facts[k] === undefined || facts[k] === false) delete facts[k];
  return facts;
}

/** Text without a leading byte-order mark, which editors on Windows add and JSON.parse rejects. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** How a value that has the wrong type reads in a message: `a number (1)`, `an object`, `a list`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a table or object';
  const shown = String(value);
  return `a ${typeof value} (${shown.length > 40 ? `${shown.slice(0, 37)}...` : shown})`;
}

/** `has "version" = a number (1) in "node_modules/a", where a string is expected`. */
export function wrongType(key: string, owner: string, value: unknown, expected = 'a string'): string {
  return `has "${key}" = ${describeValue(value)}${owner ? ` in "${owner.length > 80 ? `${owner.slice(0, 77)}...` : owner}"` : ''}, where ${expected} is expected`;
}

/**
 * The first of `keys` in `record` that is present (not undefined) but not a string, for the checks every parser
 * makes on what it reads: a number or an object where a version or URL belongs must never reach a report.
 */
export function nonStringKey(record: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const v = record[key];
    if (v !== undefined && typeof v !== 'string') return key;
  }
  return undefined;
}

/**
 * The shape every parser promises (strings where strings belong), checked once where every parsed set passes:
 * a parser that misses a check still cannot hand a number or an object to the report.
 */
export function shapeProblem(set: DependencySet): string | undefined {
  for (const p of set.packages) {
    const owner = typeof p.name === 'string' ? p.name : '';
    for (const key of ['name', 'version'] as const) {
      if (typeof p[key] !== 'string') return wrongType(key, owner, p[key]);
    }
    if (p.installPath !== undefined && typeof p.installPath !== 'string') return wrongType('installPath', owner, p.installPath);
    for (const key of ['resolved', 'integrity'] as const) {
      const v = p.facts[key];
      if (v !== undefined && typeof v !== 'string') return wrongType(key, owner, v);
    }
  }
  return undefined;
}
