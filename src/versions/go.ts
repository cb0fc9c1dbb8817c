// https://go.dev/ref/mod#versions (semantic versions with a "v", pseudo-versions, +incompatible)
import semver from 'semver';
import type { VersionScheme } from './scheme.js';
import { semverScheme } from './semver.js';

/** Go module versions are strict semver with a leading "v"; build metadata (+incompatible) does not order. */
export function parseGoVersion(v: string): semver.SemVer | null {
  if (!v.startsWith('v')) return null;
  return semver.parse(v.slice(1));
}

/** vX.0.0-yyyymmddhhmmss-abcdefabcdef, vX.Y.Z-pre.0.yyyymmddhhmmss-abc..., vX.Y.(Z+1)-0.yyyymmddhhmmss-abc... */
export function isPseudoVersion(v: string): boolean {
  return /^v\d+\.\d+\.\d+-(?:(?:0|[^+]*\.0)\.)?\d{14}-[0-9a-f]{12}(?:\+incompatible)?$/.test(v);
}

// A pseudo-version names an untagged commit: semver reads it as a pre-release of the next version, as Go does.
export const goVersions: VersionScheme = {
  ...semverScheme(parseGoVersion),
  // Module paths are case-sensitive and compared as written.
  normalizeName: name => name,
};
