import semver from 'semver';
import type { Ecosystem } from '../types.js';
import { versionScheme } from '../versions/index.js';

// The scheme's compare re-parses both strings on every call; counting skipped releases over a thousand
// packuments calls it a hundred thousand times. Same order, each npm version parsed once per run.

export function fastCompare(ecosystem: Ecosystem): (a: string, b: string) => number {
  const scheme = versionScheme(ecosystem).compare;
  if (ecosystem !== 'npm') return scheme;
  const parsed = new Map<string, semver.SemVer | null>();
  const parse = (v: string) => {
    let hit = parsed.get(v);
    if (hit === undefined) {
      hit = semver.parse(v, { loose: true });
      parsed.set(v, hit);
    }
    return hit;
  };
  return (a, b) => {
    const pa = parse(a);
    const pb = parse(b);
    if (pa && pb) return pa.compare(pb) || (a < b ? -1 : a > b ? 1 : 0);
    return scheme(a, b);
  };
}
