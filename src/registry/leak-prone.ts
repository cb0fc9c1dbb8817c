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

/** Categories a package belongs to: by its name first, else by its registry keywords. */
export function matchLeakProne(name: string, keywords: readonly string[], categories: readonly LeakProneCategory[]): LeakProneMatch[] {
  const lower = name.toLowerCase();
  const own = new Set(keywords.map(k => k.toLowerCase()));
  const matches: LeakProneMatch[] = [];
  for (const category of categories) {
    const known = category.packages.find(p => p.name.toLowerCase() === lower);
    const base = { category: category.id, label: category.label, why: category.why };
    if (known) {
      matches.push({ ...base, via: 'known package', evidence: known.evidence });
      continue;
    }
    const keyword = category.keywords.find(k => own.has(k));
    if (keyword) matches.push({ ...base, via: `keyword "${keyword}"` });
  }
  return matches;
}
