import { packageName, readEntries } from '../lockfiles/yarn-classic.js';
import { stripBom } from '../lockfiles/util.js';
import type { Requires } from './deps-plan.js';

// yarn 1: each block's `dependencies:` (and `optionalDependencies:`) ranges, keyed by the block's package and version.
// A lock yarn 1 cannot have written gives no edges: the trials' skips still find the groups, only more slowly.

export function yarnRequires(lockText: string | undefined): Requires {
  const out = new Map<string, Record<string, string>>();
  if (lockText === undefined) return out;
  const entries = readEntries(stripBom(lockText));
  if (!Array.isArray(entries)) return out;
  for (const e of entries) {
    const version = e.fields.get('version');
    const first = e.descriptors[0];
    if (!version || !first) continue;
    out.set(`${packageName(first)}@${version}`, { ...Object.fromEntries(e.optionalDependencies), ...Object.fromEntries(e.dependencies) });
  }
  return out;
}
