import type { EvidenceEntry } from './types.js';

// https://facebook.github.io/memlab/ — `memlab find-leaks` prints retainer traces such as
// "  --leak (property)--->  [LeakObject](object) @182929 [8.3MB]", and `memlab analyze` lists growing
// objects; both may name code locations (node_modules/<pkg>/..., file.js:line).

const NODE = /\[([^\]]+)\]\((object|closure|native|array|string|hidden|code|number|synthetic|concatenated string|sliced string|bigint|symbol)\)\s*@\d+\s*\[([\d.]+)\s*(B|KB|MB|GB)\]/g;
const LOCATION = /((?:[\w@.~-]+\/)*[\w@.-]+\.(?:m?js|cjs|ts|tsx|jsx)):(\d+)/g;
const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };
const INTERNAL = new Set(['Window', 'InternalNode', '(object elements)', '(object properties)', 'system / Context', '(GC roots)',
  'Object', 'Array', 'Map', 'Set', 'global', 'Detached Window', '(system)', 'system']);

export function looksLikeMemlab(text: string): boolean {
  return /--Similar leaks in this run|--Retained size of leaked objects|\]\((?:object|closure|native)\)\s*@\d+/.test(text);
}

export function parseMemlab(text: string): EvidenceEntry[] {
  const entries: EvidenceEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    for (const match of raw.matchAll(NODE)) {
      const name = (match[1] ?? '').trim();
      if (INTERNAL.has(name) || name.startsWith('(')) continue;
      entries.push({ kind: 'memlab', quote: raw.trim(), typeName: name.replace(/^Detached\s+/, ''), growth: Number(match[3]) * (UNITS[match[4] ?? 'B'] ?? 1) });
    }
    for (const match of raw.matchAll(LOCATION)) {
      entries.push({ kind: 'memlab', quote: raw.trim(), file: match[1], line: Number(match[2]), growth: 1 });
    }
  }
  return entries;
}
