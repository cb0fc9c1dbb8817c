import { readFile } from 'node:fs/promises';
import { asRecord, asString, byString, stringList } from './facts.js';

// The categories live in data/leak-prone-packages.json, each package with its evidence, so that the list can be
// reviewed and extended without touching code.

export interface LeakProneCategory {
  id: string;
  label: string;
  why: string;
  keywords: string[];
  packages: { name: string; evidence: string }[];
}

export interface LeakProneMatch { category: string; label: string; why: string; via: string; evidence?: string }

export const LEAK_PRONE_FILE = new URL('../../data/leak-prone-packages.json', import.meta.url);

/** Validates the data file; a broken entry is dropped, never a crash. */
export function parseLeakProne(json: unknown): LeakProneCategory[] {
  const categories = asRecord(json)?.['categories'];
  if (!Array.isArray(categories)) return [];
  const out: LeakProneCategory[] = [];
  for (const item of categories) {
    const record = asRecord(item);
    const id = asString(record?.['id']);
    if (!record || !id) continue;
    const packages = (Array.isArray(record['packages']) ? record['packages'] : []).map(asRecord)
      .map(p => ({ name: asString(p?.['name']) ?? '', evidence: asString(p?.['evidence']) ?? '' }))
      .filter(p => p.name !== '' && p.evidence !== '');
    out.push({ id, label: asString(record['label']) ?? id, why: asString(record['why']) ?? '', keywords: stringList(record['keywords']), packages });
  }
  return out.sort((a, b) => byString(a.id, b.id));
}

export async function loadLeakProne(file: URL | string = LEAK_PRONE_FILE): Promise<LeakProneCategory[]> {
  try {
    return parseLeakProne(JSON.parse(await readFile(file, 'utf8')) as unknown);
  } catch {
    return [];
  }
}

export interface LeakProneIndex { byName: Map<string, LeakProneMatch[]>; byKeyword: Map<string, LeakProneCategory[]>; categories: readonly LeakProneCategory[] }

/** Built once per run, so that matching a thousand packages is a few map lookups each. */
export function indexLeakProne(categories: readonly LeakProneCategory[]): LeakProneIndex {
  const byName = new Map<string, LeakProneMatch[]>();
  const byKeyword = new Map<string, LeakProneCategory[]>();
  for (const category of categories) {
    for (const p of category.packages) {
      const key = p.name.toLowerCase();
      byName.set(key, [...(byName.get(key) ?? []), { category: category.id, label: category.label, why: category.why, via: 'known package', evidence: p.evidence }]);
    }
    for (const k of category.keywords) byKeyword.set(k, [...(byKeyword.get(k) ?? []), category]);
  }
  return { byName, byKeyword, categories };
}

/** Categories a package belongs to: by its name first, else by its registry keywords (sorted by category id). */
export function matchLeakProne(name: string, keywords: readonly string[], index: LeakProneIndex): LeakProneMatch[] {
  const named = index.byName.get(name.toLowerCase()) ?? [];
  if (keywords.length === 0) return named;
  const matches = new Map(named.map(m => [m.category, m]));
  for (const keyword of keywords) {
    for (const category of index.byKeyword.get(keyword.toLowerCase()) ?? []) {
      if (!matches.has(category.id)) matches.set(category.id, { category: category.id, label: category.label, why: category.why, via: `keyword "${keyword.toLowerCase()}"` });
    }
  }
  return [...matches.values()].sort((a, b) => byString(a.category, b.category));
}
