// A line diff for big files: every distinct line becomes one integer, the common head and tail are cut off, and
// Myers' O(ND) search with its linear-space middle snake runs on integer arrays. The `diff` package's Myers works
// on strings and copies its paths; on the megabyte files inside package tarballs it took seconds per file (issue
// 15). Same shape of output as its structuredPatch with no context: hunks of '-' lines then '+' lines.

export interface LineHunk { oldStart: number; oldLines: number; newStart: number; newLines: number; lines: string[] }

const NO_NEWLINE = '\\ No newline at end of file';

/** Lines as `diff` splits them: on '\n' only ('\r' stays in the line); a last line without '\n' is its own line. */
function splitLines(text: string): { lines: string[]; endsWithNewline: boolean } {
  if (text === '') return { lines: [], endsWithNewline: true };
  const lines = text.split('\n');
  const endsWithNewline = lines[lines.length - 1] === '';
  if (endsWithNewline) lines.pop();
  return { lines, endsWithNewline };
}

/**
 * The hunks that turn `oldText` into `newText`, or undefined when more than `maxEdit` lines would change (a rewrite:
 * a line-by-line account says little and costs the most).
 */
export function diffLines(oldText: string, newText: string, maxEdit = Infinity): LineHunk[] | undefined {
  const before = splitLines(oldText);
  const after = splitLines(newText);
  const ids = new Map<string, number>();
  // A last line without its newline is another line than the same text with one, as in `diff`.
  const intern = (lines: string[], endsWithNewline: boolean): Int32Array => {
    const out = new Int32Array(lines.length);
    for (let i = 0; i < lines.length; i++) {
      const key = !endsWithNewline && i === lines.length - 1 ? `${lines[i]}\n\0` : (lines[i] as string);
      let id = ids.get(key);
      if (id === undefined) ids.set(key, (id = ids.size));
      out[i] = id;
    }
    return out;
  };
  const a = intern(before.lines, before.endsWithNewline);
  const b = intern(after.lines, after.endsWithNewline);
  // Each line id's count differs by at least that many edits: a rewrite is told without searching.
  if (maxEdit < a.length + b.length) {
    const counts = new Int32Array(ids.size);
    for (const id of a) counts[id] = (counts[id] as number) + 1;
    for (const id of b) counts[id] = (counts[id] as number) - 1;
    let least = 0;
    for (const c of counts) least += Math.abs(c);
    if (least > maxEdit) return undefined;
  }
  const removed = new Uint8Array(a.length);
  const added = new Uint8Array(b.length);
  if (!compare(a, 0, a.length, b, 0, b.length, removed, added, maxEdit)) return undefined;
  return hunks(before, after, removed, added);
}

/** Marks the lines of a[aLo..aHi) removed and b[bLo..bHi) added; false past the edit budget. */
function compare(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number,
  removed: Uint8Array, added: Uint8Array, maxEdit: number): boolean {
  // An explicit stack: recursion depth would follow the number of separate changes.
  const stack: number[] = [aLo, aHi, bLo, bHi];
  while (stack.length > 0) {
    let bh = stack.pop() as number;
    let bl = stack.pop() as number;
    let ah = stack.pop() as number;
    let al = stack.pop() as number;
    while (al < ah && bl < bh && a[al] === b[bl]) { al++; bl++; }
    while (al < ah && bl < bh && a[ah - 1] === b[bh - 1]) { ah--; bh--; }
    if (al === ah) { for (let j = bl; j < bh; j++) added[j] = 1; continue; }
    if (bl === bh) { for (let i = al; i < ah; i++) removed[i] = 1; continue; }
    const split = middleSnake(a, al, ah, b, bl, bh, maxEdit);
    if (split === undefined) return false;
    if (split === null) {
      for (let i = al; i < ah; i++) removed[i] = 1;
      for (let j = bl; j < bh; j++) added[j] = 1;
      continue;
    }
    const [x, y] = split;
    stack.push(x, ah, y, bh, al, x, bl, y);
  }
  return true;
}

/**
 * Where the forward and backward searches meet (Myers 1986, section 4b), as absolute indices; null when the ranges
 * share nothing; undefined past the edit budget.
 */
function middleSnake(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number,
  maxEdit: number): [number, number] | null | undefined {
  const n = aHi - aLo;
  const m = bHi - bLo;
  const maxD = Math.ceil((n + m) / 2);
  const offset = maxD;
  const length = 2 * maxD + 2;
  const v1 = new Int32Array(length).fill(-1);
  const v2 = new Int32Array(length).fill(-1);
  v1[offset + 1] = 0;
  v2[offset + 1] = 0;
  const delta = n - m;
  const front = (delta & 1) !== 0;
  let k1start = 0;
  let k1end = 0;
  let k2start = 0;
  let k2end = 0;
  for (let d = 0; d < maxD; d++) {
    // d steps each way: at least 2d - 1 lines change in this range.
    if (2 * d - 1 > maxEdit) return undefined;
    for (let k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
      const k1o = offset + k1;
      let x1 = k1 === -d || (k1 !== d && (v1[k1o - 1] as number) < (v1[k1o + 1] as number)) ? v1[k1o + 1] as number : (v1[k1o - 1] as number) + 1;
      let y1 = x1 - k1;
      while (x1 < n && y1 < m && a[aLo + x1] === b[bLo + y1]) { x1++; y1++; }
      v1[k1o] = x1;
      if (x1 > n) k1end += 2;
      else if (y1 > m) k1start += 2;
      else if (front) {
        const k2o = offset + delta - k1;
        if (k2o >= 0 && k2o < length && v2[k2o] !== -1 && x1 >= n - (v2[k2o] as number)) return [aLo + x1, bLo + y1];
      }
    }
    for (let k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
      const k2o = offset + k2;
      let x2 = k2 === -d || (k2 !== d && (v2[k2o - 1] as number) < (v2[k2o + 1] as number)) ? v2[k2o + 1] as number : (v2[k2o - 1] as number) + 1;
      let y2 = x2 - k2;
      while (x2 < n && y2 < m && a[aHi - x2 - 1] === b[bHi - y2 - 1]) { x2++; y2++; }
      v2[k2o] = x2;
      if (x2 > n) k2end += 2;
      else if (y2 > m) k2start += 2;
      else if (!front) {
        const k1o = offset + delta - k2;
        if (k1o >= 0 && k1o < length && v1[k1o] !== -1) {
          const x1 = v1[k1o] as number;
          const y1 = offset + x1 - k1o;
          if (x1 >= n - x2) return [aLo + x1, bLo + y1];
        }
      }
    }
  }
  return null;
}

function hunks(before: { lines: string[]; endsWithNewline: boolean }, after: { lines: string[]; endsWithNewline: boolean },
  removed: Uint8Array, added: Uint8Array): LineHunk[] {
  const out: LineHunk[] = [];
  const lastOld = before.lines.length - 1;
  const lastNew = after.lines.length - 1;
  let i = 0;
  let j = 0;
  while (i < removed.length || j < added.length) {
    if (i < removed.length && j < added.length && !removed[i] && !added[j]) { i++; j++; continue; }
    const hunk: LineHunk = { oldStart: i + 1, oldLines: 0, newStart: j + 1, newLines: 0, lines: [] };
    while (i < removed.length && removed[i]) {
      hunk.lines.push(`-${before.lines[i]}`);
      if (i === lastOld && !before.endsWithNewline) hunk.lines.push(NO_NEWLINE);
      hunk.oldLines++;
      i++;
    }
    while (j < added.length && added[j]) {
      hunk.lines.push(`+${after.lines[j]}`);
      if (j === lastNew && !after.endsWithNewline) hunk.lines.push(NO_NEWLINE);
      hunk.newLines++;
      j++;
    }
    if (hunk.lines.length === 0) break; // never with marks from compare(): unchanged lines pair up one to one
    out.push(hunk);
  }
  return out;
}
