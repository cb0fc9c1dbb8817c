import type { ChangeKind } from '../types.js';

// Sizing a jump for OS package versions (Debian, Alpine), whose upstream part is usually dotted numbers.

const leadingNumbers = (v: string): number[] => (/^\d+(?:\.\d+)*/.exec(v)?.[0] ?? '').split('.').filter(s => s !== '').map(Number);

/** `order`: the scheme's comparison of the two whole versions; `isNewEpoch`: a repackaging that resets ordering. */
export function classifyByParts(order: number, isNewEpoch: boolean, fromUpstream: string, toUpstream: string,
  isPrerelease: boolean): Exclude<ChangeKind, 'added' | 'removed' | 'reresolved'> {
  if (order > 0) return 'downgrade';
  if (order === 0) return 'other';
  if (isNewEpoch) return 'major';
  if (isPrerelease) return 'prerelease';
  const a = leadingNumbers(fromUpstream);
  const b = leadingNumbers(toUpstream);
  if ((a[0] ?? 0) !== (b[0] ?? 0)) return 'major';
  if ((a[1] ?? 0) !== (b[1] ?? 0)) return 'minor';
  // Later numbers, letters (1.1.1w) and packaging revisions (-r1, -2ubuntu1) are fixes.
  return 'patch';
}

/** At least one side does not parse: unreadable versions sort before readable ones, then as strings (VersionScheme). */
export function compareUnreadable(isReadableA: boolean, isReadableB: boolean, a: string, b: string): number {
  if (isReadableA !== isReadableB) return isReadableA ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}
