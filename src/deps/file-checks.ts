import { ReldiffError } from '../errors.js';
import type { FileChange } from '../types.js';

// What a changed file is before it is read as a lockfile or as source: a symbolic link, a blob missing from the
// object store, a Git LFS pointer. Each is said by name instead of being read as content.

/** The first line of every Git LFS pointer file (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md). */
const LFS_POINTER = /^version https:\/\/git-lfs\.github\.com\/spec\/v1\r?\n/;

export function isLfsPointer(text: string): boolean {
  return LFS_POINTER.test(text.replace(/^\uFEFF/, ''));
}

const LFS_POINTER_SAID = 'this lockfile is a Git LFS pointer, not the lockfile itself';

/** A lockfile at `to` that is an LFS pointer: what would ship is unknown. */
export function lfsPointerError(path: string, ref: string): ReldiffError {
  return new ReldiffError('bad-lockfile', `${path} at ${ref}: ${LFS_POINTER_SAID}`,
    `Run \`git lfs pull\` and compare the real files with \`reldiff deps <old> <new>\` (an older one: \`git show <ref>:${path} | git lfs smudge\`), or keep lockfiles out of LFS so that history holds them`);
}

/** A file given to `reldiff deps` that is an LFS pointer: the checkout was made without `git lfs pull`. */
export function lfsPointerFileError(path: string): ReldiffError {
  return new ReldiffError('bad-lockfile', `${path}: ${LFS_POINTER_SAID}`, 'Run `git lfs pull` to put the real file in its place, then run reldiff deps again');
}

export function lfsPointerWarning(path: string, ref: string): string {
  return `${path} at ${ref}: ${LFS_POINTER_SAID}; its dependency changes are left out. Run \`git lfs pull\` and compare the real files with \`reldiff deps <old> <new>\``;
}

function restoreHint(blob: string): string {
  return `Restore it with \`git fetch --refetch origin\`; \`git cat-file -e ${blob}\` says when it is back`;
}

/** The first blob of `file` missing on `side`, if any. */
export function missingBlob(file: FileChange, side: 'from' | 'to'): string | undefined {
  return file.unreadable?.find(u => u.side === side)?.blob;
}

export function missingLockfileError(path: string, ref: string, blob: string): ReldiffError {
  return new ReldiffError('missing-object', `the lockfile ${path} at ${ref} (blob ${blob.slice(0, 12)}) is missing from this clone's object store, so its dependency changes cannot be read`,
    restoreHint(blob));
}

export function missingBlobWarning(path: string, ref: string, blob: string, consequence: string): string {
  return `${path} at ${ref} (blob ${blob.slice(0, 12)}) is missing from this clone's object store: ${consequence}. ${restoreHint(blob)}`;
}

/** A gitlink that moved: what changed lives in the submodule's own history, which this run does not read. */
export function submoduleWarning(path: string, moved: { from?: string; to?: string }): string {
  const from = moved.from?.slice(0, 12);
  const to = moved.to?.slice(0, 12);
  if (from && to) return `${path} is a submodule that moved ${from}..${to}: the code inside it was not analysed (run reldiff ${from} ${to} in a clone of it)`;
  if (to) return `${path} is a submodule added at ${to}: the code inside it was not analysed`;
  return `${path} is a submodule removed in this range: the code that was inside it was not analysed`;
}

export function symlinkWarning(path: string, target: string | undefined, what: string): string {
  const to = target === undefined ? '' : ` (to ${target.length > 120 ? `${target.slice(0, 117)}...` : target})`;
  return `${path} is a symbolic link${to}, not ${what}: skipped`;
}
