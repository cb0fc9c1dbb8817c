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
