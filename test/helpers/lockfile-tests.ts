import type { DependencySet, Parsed } from '../../src/types.js';

// Shared by the lockfile parsers' tests: one comparable shape for reldiff's answer and each reference tool's.

export type Versions = Record<string, string[]>;

/** name -> sorted distinct versions, names sorted. */
export function versionsOf(pairs: Iterable<[string, string]>): Versions {
  const out: Record<string, Set<string>> = {};
  for (const [name, version] of pairs) (out[name] ??= new Set()).add(version);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, v]) => [n, [...v].sort()]));
}

/** reldiff's own answer in the same shape. */
export const mine = (set: DependencySet): Versions => versionsOf(set.packages.map(p => [p.name, p.version]));

/** The parsed value, or the parser's own message as a failed test. */
export function valueOrThrow<T>(result: Parsed<T>): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}
