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

export const runtimeVersions: VersionScheme = {
  ...base,
  classify(from, to) {
    const kind = base.classify(from, to);
    const isRebuild = kind === 'other' && from !== to && DISTRIBUTION_RELEASE.test(from) && DISTRIBUTION_RELEASE.test(to) && upstreamOf(from) === upstreamOf(to);
    // rpmvercmp orders release strings of every distribution sensibly (9 < 10, deb12u4 < deb12u7, r4 < r5).
    return isRebuild ? (rpmvercmp(from, to) < 0 ? 'patch' : rpmvercmp(from, to) > 0 ? 'downgrade' : 'other') : kind;
  },
  normalizeName: name => name,
};
