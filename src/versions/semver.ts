// https://semver.org/ as npm reads it (node-semver, loose).
import semver from 'semver';
import type { VersionScheme } from './scheme.js';

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Compare and classify for any ecosystem whose versions parse as semver (npm, Go modules, Cargo). */
export function semverScheme(parse: (v: string) => semver.SemVer | null): Pick<VersionScheme, 'compare' | 'classify'> {
  return {
    compare(a, b) {
      const pa = parse(a);
      const pb = parse(b);
      // Versions that compare equal (build metadata) still differ as strings; the tie-break keeps the order total.
      if (pa && pb) return semver.compare(pa, pb) || byString(a, b);
      if (pa) return 1;
      if (pb) return -1;
      return byString(a, b);
    },
    classify(from, to) {
      const a = parse(from);
      const b = parse(to);
      if (!a || !b) return 'other';
      const order = semver.compare(a, b);
      if (order > 0) return 'downgrade';
      if (order === 0) return 'other';
      if (b.prerelease.length > 0) return 'prerelease';
      if (a.major !== b.major) return 'major';
      // Below 1.0.0 a minor bump may break, as npm's caret ranges assume; keep the label the numbers give.
      if (a.minor !== b.minor) return 'minor';
      if (a.patch !== b.patch) return 'patch';
      return a.prerelease.length > 0 ? 'patch' : 'other';
    },
  };
}

function parseNpm(v: string): semver.SemVer | null {
  return semver.parse(v, { loose: true }) ?? semver.coerce(v, { loose: true, includePrerelease: true });
}

export const npmVersions: VersionScheme = { ...semverScheme(parseNpm), normalizeName: name => name };
