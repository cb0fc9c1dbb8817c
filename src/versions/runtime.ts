// Runtime versions as they are written in version files, ranges and image tags: 20.11.1, 3.12, >=18, 3.12-slim,
// 20-alpine3.19, lts/iron. Only the leading numbers count (semver.coerce): a tag's suffix is a variant, not a
// prerelease, so 3.12-slim -> 3.12-alpine is "other" and lts/iron -> lts/jod a change the numbers cannot size.
import semver from 'semver';
import { rpmvercmp } from './rpm.js';
import { semverScheme } from './semver.js';
import type { VersionScheme } from './scheme.js';

const base = semverScheme(v => semver.coerce(v));
// A distribution's build of one upstream version (glibc 2.34-100.el9 -> 2.34-125.el9_5, libc6 2.36-9+deb12u4 ->
// 2.36-9+deb12u7, musl 1.2.4-r4 -> 1.2.4-r5, as images name their C library by its package): a fix, not a variant.
const DISTRIBUTION_RELEASE = /^[^-]+-r?\d/;
const upstreamOf = (v: string): string => v.slice(0, v.indexOf('-'));
const isRebuildPair = (a: string, b: string): boolean =>
  a !== b && DISTRIBUTION_RELEASE.test(a) && DISTRIBUTION_RELEASE.test(b) && upstreamOf(a) === upstreamOf(b);

/** The leading numbers first; two builds of one upstream version by their release, as rpmvercmp orders it (9 < 10, deb12u4 < deb12u7, r4 < r5). */
function compareRuntime(a: string, b: string): number {
  return (isRebuildPair(a, b) ? rpmvercmp(a, b) : 0) || base.compare(a, b);
}

export const runtimeVersions: VersionScheme = {
  ...base,
  compare: compareRuntime,
  classify(from, to) {
    const kind = base.classify(from, to);
    if (kind !== 'other' || !isRebuildPair(from, to)) return kind;
    const order = rpmvercmp(from, to);
    return order < 0 ? 'patch' : order > 0 ? 'downgrade' : 'other';
  },
  normalizeName: name => name,
};
