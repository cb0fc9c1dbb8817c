import type { ChangeKind } from '../types.js';
import type { VersionScheme } from '../versions/index.js';

/**
 * The kind of a change between two sets of installed versions. Compares the highest versions, since that is the
 * copy most of the tree resolves to; a version set that only grew or shrank a nested copy is 'other'.
 */
export function classifyChange(scheme: VersionScheme, fromVersions: string[], toVersions: string[]): ChangeKind {
  if (fromVersions.length === 0) return 'added';
  if (toVersions.length === 0) return 'removed';
  const from = fromVersions.at(-1) as string;
  const to = toVersions.at(-1) as string;
  if (from === to) {
    // Same top version: a nested copy was added, removed or moved. Classify the jump of the copies that changed.
    const gone = fromVersions.filter(v => !toVersions.includes(v));
    const came = toVersions.filter(v => !fromVersions.includes(v));
    if (gone.length === 1 && came.length === 1) return scheme.classify(gone[0] as string, came[0] as string);
    return 'other';
  }
  return scheme.classify(from, to);
}
