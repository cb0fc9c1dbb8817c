import { describe, expect, it } from 'vitest';
import { changedBlocks, type BlockSyntax, type Side } from './text-blocks.js';

// A toy format: a block is an `H name` line and the indented lines under it; `#` lines belong to no block, and `?`
// lines cannot be placed. read() hands back each side's region as text, so the tests see exactly what was read.
const isHead = (line: string): boolean => line.startsWith('H ');
const toy: BlockSyntax = {
  opensBlock: isHead,
  place(lines, n) {
    const line = lines[n] ?? '';
    if (line.startsWith('#')) return null;
    if (line.startsWith('?')) return undefined;
    let head = n;
    while (head >= 0 && !isHead(lines[head] ?? '')) head--;
    if (head < 0) return undefined;
    let end = head + 1;
    while (end < lines.length && (lines[end] ?? '').startsWith(' ')) end++;
    return [head, end];
  },
  read(before: Side, after: Side) {
    const text = (s: Side) => s.lines.slice(s.start, s.end).join('|');
    return { removed: new Map([['read', [text(before)]]]), added: new Map([['read', [text(after)]]]) };
  },
};
const file = (...lines: string[]) => `${lines.join('\n')}\n`;
const regions = (oldText: string, newText: string) => {
  const moved = changedBlocks(oldText, newText, toy);
  return moved && { before: moved.removed.get('read') ?? [], after: moved.added.get('read') ?? [] };
};

describe('changedBlocks', () => {
  const a = ['H a', ' 1', ' 2'];
  const b = ['H b', ' 1'];
  const c = ['H c', ' 1', ' 2', ' 3'];
  it('widens a change to the whole blocks that hold it, on both sides', () => {
    expect(regions(file(...a, ...b, ...c), file(...a, ...b, ...c))).toEqual({ before: [], after: [] });
    // A line added inside c: c is read whole before and after, not only the new line.
    expect(regions(file(...a, ...b, ...c), file(...a, ...b, 'H c', ' 1', ' 1.5', ' 2', ' 3')))
      .toEqual({ before: ['H c| 1| 2| 3'], after: ['H c| 1| 1.5| 2| 3'] });
    // A block added between two others: nothing of theirs is read.
    expect(regions(file(...a, ...c), file(...a, ...b, ...c))).toEqual({ before: [''], after: ['H b| 1'] });
    // Changes in two neighbouring blocks, and a line that moves from one block to the other, read as one run.
    expect(regions(file(...a, ...b, ...c), file('H a', ' 1', 'H b', ' 2', ' 1', ...c))).toEqual({ before: ['H a| 1| 2|H b| 1'], after: ['H a| 1|H b| 2| 1'] });
    // Two far-apart changes: two runs.
    expect(regions(file(...a, ...b, ...c), file('H a', ' 9', ' 2', ...b, 'H c', ' 1', ' 2', ' 9'))).toEqual({ before: ['H a| 1| 2', 'H c| 1| 2| 3'], after: ['H a| 9| 2', 'H c| 1| 2| 9'] });
    // A reordered file (no equal pair of runs near): the full search still pairs what it can.
    const many = Array.from({ length: 120 }, (_, i) => [`H p${i}`, ' 1']);
    const reordered = [...many.slice(60), ...many.slice(0, 60)];
    expect(regions(file(...many.flat()), file(...reordered.flat()))?.before.join('|').split('|').filter(isHead)).toHaveLength(60);
  });

  it('cannot decide when a boundary falls on a line the format cannot place', () => {
    expect(regions(file('?', ...a, ...b), file('?', 'H a', ' 9', ' 2', ...b))).toBeDefined();
    expect(regions(file(...a, '?', ...b), file('H a', ' 9', ' 2', '?', ...b))).toBeUndefined();
  });
});
