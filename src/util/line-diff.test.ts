import { structuredPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { diffLines, type LineHunk } from './line-diff.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const linesOf = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

/** Applies no-context hunks to the old lines: the lines the diff claims the new text has. */
function apply(oldText: string, hunks: readonly LineHunk[]): string[] {
  const old = linesOf(oldText);
  const out: string[] = [];
  let next = 0;
  for (const h of hunks) {
    while (next < h.oldStart - 1) out.push(old[next++] as string);
    for (const l of h.lines) if (l.startsWith('-')) expect(old[next++]).toBe(l.slice(1));
    for (const l of h.lines) if (l.startsWith('+')) out.push(l.slice(1));
  }
  while (next < old.length) out.push(old[next++] as string);
  return out;
}

const edits = (hunks: readonly { lines: string[] }[]) => hunks.flatMap(h => h.lines).filter(l => l.startsWith('+') || l.startsWith('-')).length;

describe('diffLines', () => {
  it('gives what the diff package gives on small edits', () => {
    for (const [a, b] of [['a\nb\nc\n', 'a\nB\nc\nd\ne\n'], ['a\nb\nc\n', 'a\nx\nb\nc\n'], ['a\nb\nc\n', 'a\nc\n'], ['a\nb', 'a\nb\n'],
      ['', 'x\ny\n'], ['x\ny\n', ''], ['a\n', 'a\n\n'], ['x\r\ny\n', 'x\ny\n'], ['same\n', 'same\n']]) {
      expect(diffLines(a as string, b as string), JSON.stringify([a, b])).toEqual(structuredPatch('f', 'f', a as string, b as string, '', '', { context: 0 }).hunks);
    }
  });

  it('is a minimal diff that rebuilds the new text, on generated files', () => {
    const random = rng(7);
    for (let round = 0; round < 300; round++) {
      const alphabet = 2 + Math.floor(random() * 8);
      const line = () => `l${Math.floor(random() * alphabet)}`;
      const old = Array.from({ length: Math.floor(random() * 40) }, line);
      const next = old.flatMap(l => { const r = random(); return r < 0.15 ? [] : r < 0.3 ? [l, line()] : r < 0.4 ? [line()] : [l]; });
      if (random() < 0.3) next.push(line());
      const a = old.join('\n') + (random() < 0.8 ? '\n' : '');
      const b = next.join('\n') + (random() < 0.8 ? '\n' : '');
      const mine = diffLines(a, b);
      if (!mine) throw new Error('no budget given, so always a diff');
      const theirs = structuredPatch('f', 'f', a, b, '', '', { context: 0 }).hunks;
      expect(edits(mine), JSON.stringify([a, b])).toBe(edits(theirs));
      expect(apply(a, mine), JSON.stringify([a, b])).toEqual(linesOf(b));
    }
  });

  it('stops past its edit budget, and stays fast on a rewrite of a big file', () => {
    const a = Array.from({ length: 50_000 }, (_, i) => `const a${i} = ${i};`).join('\n');
    const b = Array.from({ length: 50_000 }, (_, i) => `const b${i} = ${i};`).join('\n');
    expect(diffLines(a, b, 20_000)).toBeUndefined();
    // Scattered small edits in the same file: found in full.
    const c = a.split('\n').map((l, i) => (i % 1000 === 0 ? `${l} // changed` : l)).join('\n');
    const hunks = diffLines(a, c, 20_000);
    expect(hunks).toHaveLength(50);
    expect(hunks?.[1]).toEqual({ oldStart: 1001, oldLines: 1, newStart: 1001, newLines: 1, lines: ['-const a1000 = 1000;', '+const a1000 = 1000; // changed'] });
  });
});
