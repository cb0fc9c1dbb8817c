import type { EvidenceEntry } from './types.js';

// https://objgraph.readthedocs.io/ — `show_growth()` prints "type  total  +delta"; `growth()` returns
// [(type, total, delta), ...], often printed as a Python list.

const ROW = /^\s*([A-Za-z_][\w.<>]*)\s+(\d+)\s+\+(\d+)\s*$/;
const TUPLE = /\(\s*'([^']+)'\s*,\s*(\d+)\s*,\s*(\d+)\s*\)/g;

export function looksLikeObjgraph(text: string): boolean {
  const rows = text.split(/\r?\n/).filter(l => ROW.test(l)).length;
  return rows >= 1 && rows >= text.split(/\r?\n/).filter(l => l.trim()).length / 2 || /\[\s*\(\s*'[^']+'\s*,\s*\d+\s*,\s*\d+\s*\)/.test(text);
}

export function parseObjgraph(text: string): EvidenceEntry[] {
  const entries: EvidenceEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const match = ROW.exec(raw);
    if (match) entries.push({ kind: 'objgraph', quote: raw.trim().replace(/\s+/g, ' '), typeName: match[1], growth: Number(match[3]) });
  }
  for (const match of text.matchAll(TUPLE)) {
    entries.push({ kind: 'objgraph', quote: match[0], typeName: match[1], growth: Number(match[3]) });
  }
  return entries.filter(e => e.growth > 0);
}
