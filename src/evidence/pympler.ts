import type { EvidenceEntry } from './types.js';

// https://pympler.readthedocs.io/en/latest/muppy.html — `SummaryTracker().print_diff()` prints a table
// "types | # objects | total size" with sizes such as "1.21 KB"; long type names are cut at 25 characters.

const ROW = /^\s*(.+?)\s*\|\s*(-?\d+)\s*\|\s*(-?[\d.]+)\s*(B|KB|MB|GB)\s*$/;
const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

export function looksLikePympler(text: string): boolean {
  return /types\s*\|\s*# objects\s*\|\s*total size/.test(text);
}

/** "<class 'app.errors.ImageFormatError" -> "app.errors.ImageFormatError" */
function typeNameOf(cell: string): string {
  return cell.replace(/^<class\s+'?/, '').replace(/'?>?$/, '').trim();
}

export function parsePympler(text: string): EvidenceEntry[] {
  const entries: EvidenceEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const match = ROW.exec(raw);
    if (!match || /^=+$/.test(match[1] ?? '')) continue;
    const growth = Number(match[3]) * (UNITS[match[4] ?? 'B'] ?? 1);
    if (growth <= 0 && Number(match[2]) <= 0) continue;
    entries.push({ kind: 'pympler', quote: raw.trim().replace(/\s+/g, ' '), typeName: typeNameOf(match[1] ?? ''), growth: Math.max(growth, Number(match[2])) });
  }
  return entries;
}
