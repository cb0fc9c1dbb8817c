// https://go.dev/ref/mod#versions (semantic versions with a "v", pseudo-versions, +incompatible)
import semver from 'semver';
import type { VersionScheme } from './index.js';

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Go module versions are strict semver with a leading "v"; build metadata (+incompatible) does not order. */
export function parseGoVersion(v: string): semver.SemVer | null {
  if (!v.startsWith('v')) return null;
  return semver.parse(v.slice(1));
}

/** vX.0.0-yyyymmddhhmmss-abcdefabcdef, vX.Y.Z-pre.0.yyyymmddhhmmss-abc..., vX.Y.(Z+1)-0.yyyymmddhhmmss-abc... */
export function isPseudoVersion(v: string): boolean {
  return /^v\d+\.\d+\.\d+-(?:(?:0|[^+]*\.0)\.)?\d{14}-[0-9a-f]{12}(?:\+incompatible)?$/.test(v);
}

export const goVersions: VersionScheme = {
  compare(a, b) {
    const pa = parseGoVersion(a);
    const pb = parseGoVersion(b);
    if (pa && pb) return semver.compare(pa, pb) || byString(a, b);
    if (pa) return 1;
    if (pb) return -1;
    return byString(a, b);
  },
  classify(from, to) {
    const a = parseGoVersion(from);
    const b = parseGoVersion(to);
    if (!a || !b) return 'other';
    const order = semver.compare(a, b);
    if (order > 0) return 'downgrade';
    if (order === 0) return 'other';
    // A pseudo-version names an untagged commit: treat it as a pre-release of the next version, as Go does.
    if (b.prerelease.length > 0) return 'prerelease';
    if (a.major !== b.major) return 'major';
    if (a.minor !== b.minor) return 'minor';
    return 'patch';
  },
  // Module paths are case-sensitive and compared as written.
  normalizeName: name => name,
};
