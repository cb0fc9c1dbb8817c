import type { LockfileFormat } from '../types.js';
import npmLock from './npm-lock.js';

// Every supported dependency file format. Order matters only for content sniffing: the first format whose
// detect() accepts a file wins, so put stricter formats first.
export const formats: readonly LockfileFormat[] = [npmLock];

/** The format of a file, by name first, then by content. */
export function detectFormat(path: string, text: string): LockfileFormat | undefined {
  return formats.find(f => f.detect(path, '')) ?? formats.find(f => f.detect(path, text));
}

/** Whether a path in a repository is a dependency file reldiff reads (by name only, no content). */
export function isLockfilePath(path: string): boolean {
  return formats.some(f => f.detect(path, ''));
}
