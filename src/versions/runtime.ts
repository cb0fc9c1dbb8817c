// Runtime versions as they are written in version files, ranges and image tags: 20.11.1, 3.12, >=18, 3.12-slim,
// 20-alpine3.19, lts/iron. Only the leading numbers count (semver.coerce): a tag's suffix is a variant, not a
// prerelease, so 3.12-slim -> 3.12-alpine is "other" and lts/iron -> lts/jod a change the numbers cannot size.
import semver from 'semver';
import { semverScheme } from './semver.js';
import type { VersionScheme } from './scheme.js';

export const runtimeVersions: VersionScheme = { ...semverScheme(v => semver.coerce(v)), normalizeName: name => name };
