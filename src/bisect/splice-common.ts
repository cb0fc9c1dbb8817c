import semver from 'semver';

// What the npm and yarn splices (npm-splice.ts, yarn-splice.ts) share: their answer, npm's own test of an edge, and
// keeping a JSON file's indentation when it is written back.

export type Splice = { ok: true; lock: string; manifest: string | undefined } | { ok: false; reason: string };

// npm's and yarn 1's own test of an edge (arborist's dep-valid): loose parsing, prereleases only where the range names them.
const LOOSE = { loose: true } as const;

/** Whether `version` meets `range` as the package manager reads it; anything that is not semver does not. */
export function admits(version: unknown, range: string): boolean {
  return typeof version === 'string' && semver.valid(version, LOOSE) !== null && semver.validRange(range, LOOSE) !== null
    && semver.satisfies(version, range, LOOSE);
}

/** The indentation a JSON file was written with, so a rewritten package.json or lockfile diffs as little as it must. */
export function jsonIndentOf(text: string): string | number {
  return /^[{[]\r?\n([ \t]+)/.exec(text)?.[1] ?? 2;
}
