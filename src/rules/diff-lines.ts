import type { FileChange, LineRange } from '../types.js';
import type { RemovedLine } from './types.js';

/** Deleted lines of a change, each placed at the line of the new file that now sits where it was. */
export function removedLines(change: FileChange, lineCount: number): RemovedLine[] {
  const removed: RemovedLine[] = [];
  for (const hunk of change.hunks) {
    let newLine = hunk.newStart;
    for (const line of hunk.lines) {
      const prefix = line[0];
      if (prefix === '-') {
        removed.push({ text: line.slice(1), nearLine: Math.min(Math.max(1, newLine), Math.max(1, lineCount)) });
      } else if (prefix === '+' || prefix === ' ') newLine++;
    }
  }
  return removed;
}

export function isInRanges(line: number, ranges: readonly LineRange[]): boolean {
  return ranges.some(range => line >= range.start && line <= range.end);
}

/** Sorted, merged ranges covering `lines`. */
export function toRanges(lines: Iterable<number>): LineRange[] {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const ranges: LineRange[] = [];
  for (const line of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && line === last.end + 1) last.end = line;
    else ranges.push({ start: line, end: line });
  }
  return ranges;
}

/**
 * An example written as a diff body (first line `@@`): ' ' and '+' lines make the new file, '-' lines are removed.
 * Lets the docs show removed-cleanup examples the way a reviewer sees them.
 */
export function parseDiffExample(code: string): { text: string; removed: RemovedLine[]; added: LineRange[] } {
  const body = code.split('\n').slice(1);
  if (body[body.length - 1] === '') body.pop();
  const kept: string[] = [];
  const added: number[] = [];
  const pending: string[] = [];
  const removed: RemovedLine[] = [];
  for (const line of body) {
    if (line.startsWith('-')) { pending.push(line.slice(1)); continue; }
    kept.push(line.slice(1));
    if (line.startsWith('+')) added.push(kept.length);
    for (const text of pending.splice(0)) removed.push({ text, nearLine: kept.length });
  }
  for (const text of pending) removed.push({ text, nearLine: Math.max(1, kept.length) });
  return { text: kept.join('\n') + '\n', removed, added: toRanges(added) };
}
