// https://semver.org/ as npm reads it (node-semver, loose).
import semver from 'semver';
import type { VersionScheme } from './index.js';

function parse(v: string): semver.SemVer | null {
  return semver.parse(v, { loose: true }) ?? semver.coerce(v, { loose: true, includePrerelease: true });
}

export const npmVersions: VersionScheme = {
  compare(a, b) {
    const pa = parse(a);
    const pb = parse(b);
    if (pa && pb) return semver.compare(pa, pb) || (a < b ? -1 : a > b ? 1 : 0);
    if (pa) return 1;
    if (pb) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
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
  normalizeName: name => name,
};
