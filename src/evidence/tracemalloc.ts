import type { EvidenceEntry } from './types.js';

// https://docs.python.org/3/library/tracemalloc.html#tracemalloc.StatisticDiff — `print(stat)` for
// `snapshot.compare_to(old, 'lineno')` and `snapshot.statistics('lineno')`, plus traceback frames.

const STAT = /^\s*(?:#\d+:\s*)?(.+?):(\d+):\s*size=([\d.]+)\s*([KMGT]i?B|B)\s*(?:\(([+-][\d.]+)\s*([KMGT]i?B|B)\))?,\s*count=/;
const UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4, KB: 1000, MB: 1e6, GB: 1e9, TB: 1e12 };

export function looksLikeTracemalloc(text: string): boolean {
  return /^\s*(?:#\d+:\s*)?\S.*:\d+:\s*size=[\d.]+\s*\S*B\b.*count=/m.test(text);
}

/** A frame of `stat.traceback.format()`, printed under its statistic: it inherits the statistic's growth. */
const FRAME = /^\s*File "(.+)", line (\d+)/;

export function parseTracemalloc(text: string): EvidenceEntry[] {
  const entries: EvidenceEntry[] = [];
  let last: EvidenceEntry | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const frame = FRAME.exec(raw);
    if (frame && last) {
      entries.push({ kind: 'tracemalloc', quote: `${last.quote} <- ${raw.trim()}`, file: frame[1], line: Number(frame[2]), growth: last.growth });
      continue;
    }
    const match = STAT.exec(raw);
    if (!match) {
      if (!/^\s+\S/.test(raw)) last = undefined; // the source line under a frame keeps the traceback going
      continue;
    }
    const [, file = '', line = '0', size = '0', unit = 'B', delta, deltaUnit = 'B'] = match;
    const growth = delta !== undefined ? Number(delta) * (UNITS[deltaUnit] ?? 1) : Number(size) * (UNITS[unit] ?? 1);
    last = undefined;
    if (growth <= 0) continue;
    last = { kind: 'tracemalloc', quote: raw.trim(), file: file.trim(), line: Number(line), growth };
    entries.push(last);
  }
  return entries;
}
