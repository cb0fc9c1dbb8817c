import picomatch from 'picomatch';
import type { ReldiffConfig } from './schema.js';

// Glob filters from the config, compiled once per config. `dot: true` because lockfiles live in dot-folders too.

export interface ConfigFilters {
  isIgnoredPackage(name: string): boolean;
  isIgnoredPath(path: string): boolean;
  /** Whether a lockfile at this repository path should be read. */
  isLockfileSelected(path: string): boolean;
  /** Whether the config names this path as a dependency file, beyond the names reldiff knows itself. */
  isLockfileAdded(path: string): boolean;
}

export function compileFilters(config: ReldiffConfig | undefined): ConfigFilters {
  const ignoredPackage = matcher(config?.ignore?.packages);
  const ignoredPath = matcher(config?.ignore?.paths);
  const include = config?.lockfiles?.include;
  const included = include && include.length > 0 ? matcher(include) : () => true;
  const excluded = matcher(config?.lockfiles?.exclude);
  return {
    isIgnoredPackage: name => ignoredPackage(name),
    isIgnoredPath: path => ignoredPath(path),
    isLockfileSelected: path => included(path) && !excluded(path),
    // `include` both narrows the built-in list and adds paths to it (requirements/*.txt, a lock under another name).
    isLockfileAdded: path => include !== undefined && include.length > 0 && included(path) && !excluded(path),
  };
}

function matcher(globs: readonly string[] | undefined): (value: string) => boolean {
  if (!globs || globs.length === 0) return () => false;
  return picomatch([...globs], { dot: true });
}
