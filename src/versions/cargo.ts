// https://doc.rust-lang.org/cargo/reference/semver.html: crate versions are strict SemVer 2.0.
import { npmVersions } from './semver.js';
import type { VersionScheme } from './scheme.js';

// Cargo reads "0.x" minor bumps as breaking, but the change kind stays the one the numbers give (as for npm).
// crates.io treats `-` and `_` as the same name, and Cargo.lock always writes the published spelling.
export const cargoVersions: VersionScheme = {
  compare: npmVersions.compare,
  classify: npmVersions.classify,
  normalizeName: name => name.replace(/_/g, '-'),
};
