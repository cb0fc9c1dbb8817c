import type { ChangeKind } from '../types.js';
import type { VersionScheme } from '../versions/index.js';

/**
 * The kind of a change between two sets of installed versions. Compares the highest versions, since that is the
 * copy most of the tree resolves to; a version set that only grew or shrank a nested copy is 'other'.
 */
export function classifyChange(scheme: VersionScheme, fromVersions: string[], toVersions: string[]): ChangeKind {
  if (fromVersions.length === 0) return 'added';
  if (toVersions.length === 0) return 'removed';
  const gone = fromVersions.filter(v => !toVersions.includes(v));
  const came = toVersions.filter(v => !fromVersions.includes(v));
  // A copy installed beside the ones that stay (or one that went while others stay) is no upgrade of anything.
  if (gone.length === 0 || came.length === 0) return 'other';
  if (gone.length === 1 && came.length === 1) return scheme.classify(gone[0] as string, came[0] as string);
  return scheme.classify(fromVersions.at(-1) as string, toVersions.at(-1) as string);
}
