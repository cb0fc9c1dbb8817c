import type { Ecosystem } from '../types.js';
import type { VersionScheme } from './scheme.js';
import { npmVersions } from './semver.js';
import { pep440Versions } from './pep440.js';
import { goVersions } from './go.js';
import { rubygemsVersions } from './rubygems.js';
import { cargoVersions } from './cargo.js';
import { runtimeVersions } from './runtime.js';
import { debianVersions } from './dpkg.js';
import { apkVersions } from './apk.js';
import { rpmVersions } from './rpm.js';

export type { VersionScheme } from './scheme.js';

const schemes: Partial<Record<Ecosystem, VersionScheme>> = {
  npm: npmVersions, pypi: pep440Versions,
  // Conda versions are PEP 440-like (1.26.4, 2024.1.1, 1.1.1w): the same reading, unreadable ones sorted as strings.
  conda: pep440Versions, go: goVersions, rubygems: rubygemsVersions, cargo: cargoVersions,
  runtime: runtimeVersions, deb: debianVersions, apk: apkVersions, rpm: rpmVersions,
};

export function versionScheme(ecosystem: Ecosystem): VersionScheme {
  return schemes[ecosystem] ?? npmVersions;
}
