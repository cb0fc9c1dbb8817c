import { isBerry } from '../lockfiles/yarn-detect.js';
import { packageName, readHeader } from '../lockfiles/yarn-classic.js';
import { diffLines } from '../util/line-diff.js';

// A yarn 1 lockfile is a list of blocks, each a header line (`"a@^1", a@~2:`) and its indented fields. A package's
// state (version and integrity, see packageStates) is read from its own block only, so a revision whose changed
// lines all sit in blocks of other packages leaves the states of the changed packages as they were: the walk then
// needs no parse of it. Anything else (the file's header, a berry file, a line outside every block, a header this
// cannot read, a change too large to diff) is left undecided, and the caller parses in full.

/** Past this many changed lines a revision is a regeneration: parsing it costs less than sorting out its diff. */
const MAX_EDIT = 4_000;

/**
 * The packages whose blocks differ between two yarn 1 texts (any descriptor of a changed block, aliases resolved as
 * the parser resolves them), or undefined when the text cannot decide.
 */
export function changedYarnPackages(oldText: string, newText: string): Set<string> | undefined {
  if (oldText.charCodeAt(0) === 0xfeff || newText.charCodeAt(0) === 0xfeff || isBerry(oldText) || isBerry(newText)) return undefined;
  const hunks = diffLines(oldText, newText, MAX_EDIT);
  if (!hunks) return undefined;
  const names = new Set<string>();
  let oldLines: string[] | undefined;
  let newLines: string[] | undefined;
  for (const h of hunks) {
    if (h.oldLines > 0 && !addBlocks(oldLines ??= oldText.split('\n'), h.oldStart - 1, h.oldLines, names)) return undefined;
    if (h.newLines > 0 && !addBlocks(newLines ??= newText.split('\n'), h.newStart - 1, h.newLines, names)) return undefined;
  }
  return names;
}

/** Adds the packages of the blocks holding lines [start, start + count); false when one of them has no block. */
function addBlocks(lines: readonly string[], start: number, count: number, names: Set<string>): boolean {
  let head: number | undefined;
  for (let n = start; n < start + count; n++) {
    const line = (lines[n] ?? '').replace(/\r$/, '');
    const trimmed = line.trimStart();
    // The parser skips blank lines and comments wherever they are; the header comment is checked below.
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      if (/yarn lockfile/i.test(trimmed)) return false;
      continue;
    }
    if (line.length === trimmed.length) {
      if (!addHeader(line, names)) return false;
      head = n;
      continue;
    }
    if (head === undefined) {
      head = headAbove(lines, n);
      if (head === undefined || !addHeader((lines[head] ?? '').replace(/\r$/, ''), names)) return false;
    }
  }
  return true;
}

/** The header line of the block that holds line `n`. */
function headAbove(lines: readonly string[], n: number): number | undefined {
  for (let k = n - 1; k >= 0; k--) {
    const line = lines[k] ?? '';
    if (line === '' || line === '\r' || line.trimStart().startsWith('#')) continue;
    if (line.charCodeAt(0) !== 32 && line.charCodeAt(0) !== 9) return k;
  }
  return undefined;
}

function addHeader(line: string, names: Set<string>): boolean {
  const descriptors = readHeader(line);
  if (!descriptors) return false;
  for (const d of descriptors) {
    names.add(packageName(d));
    // The name before an alias too: a header naming either is the same block to the parser's first descriptor.
    const at = d.indexOf('@', 1);
    names.add(at < 0 ? d : d.slice(0, at));
  }
  return true;
}
