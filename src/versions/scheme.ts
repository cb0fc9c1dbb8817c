// The contract every version scheme implements; its own module so that the schemes never import their index.
import type { ChangeKind } from '../types.js';

/** How one ecosystem orders versions and names the size of a jump. */
export interface VersionScheme {
  /** Total order; versions it cannot read sort before readable ones, then as strings. */
  compare(a: string, b: string): number;
  /** Kind of change from one version to another (both present, and different or equal). */
  classify(from: string, to: string): Exclude<ChangeKind, 'added' | 'removed' | 'reresolved'>;
  /** Package names as the ecosystem compares them (PEP 503 for Python). */
  normalizeName(name: string): string;
  /** Two spellings of one version (PEP 440: "1.0" and "1.0.0"); absent: only equal strings are the same. */
  isSameVersion?(a: string, b: string): boolean;
}
