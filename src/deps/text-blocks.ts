import type { LockedPackage } from '../types.js';
import { diffLines } from '../util/line-diff.js';

// Lockfiles are lists of entry blocks, each a head line and the lines under it, and a package's state (its copies'
// version and integrity, see packageStates) is read from its own blocks only. So between two revisions, what moved
// is the blocks that hold a changed line: read those blocks alone on both sides, through the format's own parser,
// and the rest of the file stands as it was. The format says where its blocks are (BlockSyntax) and reads a run of
// whole blocks; whatever it cannot place (a file header, a line outside every block) leaves the revision undecided,
// and the caller parses it in full.

/** Where a line sits: the entry block [start, end) that holds it, `null` for a line of no block (read() says whether it may change), undefined when the text cannot tell. */
export type LinePlace = readonly [number, number] | null | undefined;

/** Name -> the `version|integrity` of each copy that a run of whole blocks holds. */
export type Copies = Map<string, string[]>;

export interface BlockSyntax {
  /** Whether a line may open a block: the diff compares runs of lines cut before each such line, not single lines. */
  opensBlock(line: string): boolean;
  place(lines: readonly string[], n: number): LinePlace;
  /**
   * The copies in lines [start, end) of each side (whole blocks and lines of no block), read by the format's parser;
   * undefined when they do not read alone or could change the file outside them (a key that appears twice).
   */
  read(before: Side, after: Side): { removed: Copies; added: Copies } | undefined;
}

export interface Side { lines: readonly string[]; start: number; end: number }

/** Past this many changed blocks a revision is a regeneration: parsing it costs less than sorting out its diff. */
const MAX_EDIT = 2_000;

/** What each run of changed blocks held before and holds after, or undefined when the text cannot decide. */
export function changedBlocks(oldText: string, newText: string, syntax: BlockSyntax): { removed: Copies; added: Copies } | undefined {
  const before = cutText(oldText, syntax);
  const after = cutText(newText, syntax);
  const hunks = diffRuns(before, after);
  if (!hunks) return undefined;
  const removed: Copies = new Map();
  const added: Copies = new Map();
  if (hunks.length === 0) return { removed, added };
  const regions = alignRegions(hunks, before.lines, after.lines, syntax);
  if (!regions) return undefined;
  for (const [os, oe, ns, ne] of regions) {
    const copies = syntax.read({ lines: before.lines, start: os, end: oe }, { lines: after.lines, start: ns, end: ne });
    if (!copies) return undefined;
    merge(removed, copies.removed);
    merge(added, copies.added);
  }
  return { removed, added };
}

/** A text as its lines and as runs of lines (each from a line that may open a block to the next), with where each run starts. */
interface CutText { lines: string[]; runs: string[]; starts: number[] }

// A walk diffs each revision against the one before: the newer text of one call is the older of the next.
let lastCut: { text: string; syntax: BlockSyntax; cut: CutText } | undefined;

function cutText(text: string, syntax: BlockSyntax): CutText {
  if (lastCut && lastCut.text === text && lastCut.syntax === syntax) return lastCut.cut;
  const lines = text.split('\n');
  const runs: string[] = [];
  const starts: number[] = [0];
  let from = 0;
  let pos = 0;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n] as string;
    if (n > 0 && syntax.opensBlock(line)) {
      runs.push(text.slice(from, pos));
      starts.push(n);
      from = pos;
    }
    pos += line.length + 1;
  }
  runs.push(text.slice(from));
  const cut = { lines, runs, starts };
  lastCut = { text, syntax, cut };
  return cut;
}

/**
 * The diff of two texts in lines, computed on their runs: each distinct run becomes one short line for diffLines, so
 * the search sees hundreds of items instead of tens of thousands. Equal runs are equal lines, so the hunks are exact.
 */
function diffRuns(before: CutText, after: CutText): Region[] | undefined {
  const ids = new Map<string, number>();
  const idsOf = (runs: readonly string[]): string => {
    let out = '';
    for (const run of runs) {
      let id = ids.get(run);
      if (id === undefined) ids.set(run, (id = ids.size));
      out += `${id}\n`;
    }
    return out;
  };
  let hunks: Region[] | undefined = matchRuns(before.runs, after.runs);
  if (!hunks) {
    const lines = diffLines(idsOf(before.runs), idsOf(after.runs), MAX_EDIT);
    if (!lines) return undefined;
    hunks = lines.map(h => [h.oldStart - 1, h.oldStart - 1 + h.oldLines, h.newStart - 1, h.newStart - 1 + h.newLines]);
  }
  const lineOf = (cut: CutText, run: number): number => (run < cut.starts.length ? cut.starts[run] as number : lineCount(cut.lines));
  return hunks.map(h => [lineOf(before, h[0]), lineOf(before, h[1]), lineOf(after, h[2]), lineOf(after, h[3])]);
}

/** How far ahead matchRuns looks for the next pair of equal runs. */
const MATCH_WINDOW = 48;

/**
 * Hunks of runs from a walk over both lists that pairs equal runs and, past a difference, takes the nearest pair of
 * equal runs ahead. Any pairing of equal runs is a correct diff for the caller (it reads whole blocks either way),
 * so the shortest is not needed; runs are whole entries and rarely repeat, and string comparison is a memcmp where
 * hashing every run was most of the cost. Undefined when no pair is found within the window (a reordered file):
 * the caller then runs the full search.
 */
function matchRuns(a: readonly string[], b: readonly string[]): Region[] | undefined {
  const out: Region[] = [];
  let i = 0;
  let j = 0;
  let edited = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) { i++; j++; continue; }
    let step: [number, number] | undefined;
    search: for (let d = 1; d <= MATCH_WINDOW; d++) {
      for (let x = 0; x <= d; x++) {
        const y = d - x;
        const ai = i + x;
        const bj = j + y;
        if (ai > a.length || bj > b.length) continue;
        if ((ai === a.length && bj === b.length) || (ai < a.length && bj < b.length && a[ai] === b[bj])) {
          step = [x, y];
          break search;
        }
      }
    }
    if (!step) return undefined;
    edited += step[0] + step[1];
    if (edited > MAX_EDIT) return undefined;
    out.push([i, i + step[0], j, j + step[1]]);
    i += step[0];
    j += step[1];
  }
  return out;
}

/** Lines as diffLines counts them: a text's last '\n' opens no line. */
function lineCount(lines: readonly string[]): number {
  return lines.at(-1) === '' ? lines.length - 1 : lines.length;
}

type Region = [oldStart: number, oldEnd: number, newStart: number, newEnd: number];

/**
 * Widens each hunk until both of its ends fall between blocks on both sides, merging hunks that meet. The lines
 * between hunks are equal on both sides, so a step over them moves both sides by the same count.
 */
function alignRegions(hunks: Region[], oldLines: readonly string[], newLines: readonly string[], syntax: BlockSyntax): Region[] | undefined {
  const oldCount = lineCount(oldLines);
  const newCount = lineCount(newLines);
  // How far into a block a boundary falls (0: between blocks), or undefined when the text cannot tell.
  const intoBlock = (lines: readonly string[], count: number, p: number): number | undefined => {
    if (p <= 0 || p >= count) return 0;
    const place = syntax.place(lines, p);
    if (place === undefined) return undefined;
    return place === null ? 0 : p - place[0];
  };
  const pastBlock = (lines: readonly string[], count: number, p: number): number | undefined => {
    if (p <= 0 || p >= count) return 0;
    const place = syntax.place(lines, p - 1);
    if (place === undefined) return undefined;
    return place === null ? 0 : place[1] - p;
  };
  const out: Region[] = [];
  let next = 0;
  while (next < hunks.length) {
    const region = [...(hunks[next++] as Region)] as Region;
    for (;;) {
      const a = intoBlock(oldLines, oldCount, region[0]);
      const b = intoBlock(newLines, newCount, region[2]);
      if (a === undefined || b === undefined) return undefined;
      const back = Math.max(a, b);
      if (back === 0) break;
      region[0] -= back;
      region[2] -= back;
      const previous = out.at(-1);
      if (previous && region[0] <= previous[1]) {
        out.pop();
        region[0] = previous[0];
        region[2] = previous[2];
      }
    }
    for (;;) {
      const a = pastBlock(oldLines, oldCount, region[1]);
      const b = pastBlock(newLines, newCount, region[3]);
      if (a === undefined || b === undefined) return undefined;
      const ahead = Math.max(a, b);
      if (ahead === 0) break;
      region[1] += ahead;
      region[3] += ahead;
      // Into the next hunk: the two are one region, which ends where that hunk ends (and may grow again).
      while (next < hunks.length && region[1] >= (hunks[next] as Region)[0]) {
        const h = hunks[next++] as Region;
        region[1] = Math.max(region[1], h[1]);
        region[3] = region[1] + (h[3] - h[1]);
      }
    }
    out.push(region);
  }
  return out;
}

function merge(into: Copies, from: Copies): void {
  for (const [name, list] of from) {
    const known = into.get(name);
    if (known) known.push(...list);
    else into.set(name, [...list]);
  }
}

/** The copies of a parsed run of blocks, as packageStates reads them. */
export function copiesOfPackages(packages: readonly LockedPackage[]): Copies {
  const copies: Copies = new Map();
  for (const p of packages) {
    const state = `${p.version}|${p.facts.integrity ?? ''}`;
    const list = copies.get(p.name);
    if (list) list.push(state);
    else copies.set(p.name, [state]);
  }
  return copies;
}
