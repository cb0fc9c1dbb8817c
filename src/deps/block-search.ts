// Entry blocks are found by line number at every hunk boundary and for every line of a changed run: a binary search
// over the blocks' starts (in order, none overlapping) instead of a walk up from the line.

/** The block that holds line n, or undefined for a line of no block. */
export function blockAt<B extends { start: number; end: number }>(blocks: readonly B[], n: number): B | undefined {
  let lo = 0;
  let hi = blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((blocks[mid] as B).start <= n) lo = mid + 1;
    else hi = mid;
  }
  const block = blocks[lo - 1];
  return block && n < block.end ? block : undefined;
}
