import { readFile } from 'node:fs/promises';
import type { Ecosystem } from '../types.js';
import { asRecord, asString, byString, stringList } from './facts.js';
import { addTo } from '../util/arrays.js';

// The categories live in data/leak-prone-packages.json, each package with its evidence, so that the list can be
// reviewed and extended without touching code.

export interface LeakProneCategory {
  id: string;
  label: string;
  why: string;
  keywords: string[];
  /** A keyword match counts only when the version ships native code: the category's `why` is about native memory. */
  keywordsNeedNative: boolean;
  packages: LeakPronePackage[];
}

export interface LeakPronePackage { name: string; evidence: string; ecosystem?: Ecosystem }

export interface LeakProneMatch {
  category: string; label: string; why: string; via: string; evidence?: string;
  /** The listed package's registry; a change from another registry with the same name is not that package. */
  ecosystem?: Ecosystem;
  /** Set on a keyword match of a keywordsNeedNative category: keep it only if the version ships native code. */
  needsNative?: true;
}

export const LEAK_PRONE_FILE = new URL('../../data/leak-prone-packages.json', import.meta.url);

const ECOSYSTEMS: readonly string[] = ['npm', 'pypi', 'cargo', 'go', 'rubygems'];
/** A URL of the issue, PR or changelog that reported the leak, or the mechanism that holds memory on purpose. */
export const EVIDENCE = /^(https?:\/\/\S+|by design: \S.*)$/;

/** Validates the data file; a broken entry is dropped, never a crash. */
export function parseLeakProne(json: unknown): LeakProneCategory[] {
  const categories = asRecord(json)?.['categories'];
  if (!Array.isArray(categories)) return [];
  const out: LeakProneCategory[] = [];
  for (const item of categories) {
    const record = asRecord(item);
    const id = asString(record?.['id']);
    if (!record || !id) continue;
    const packages: LeakPronePackage[] = [];
    for (const p of (Array.isArray(record['packages']) ? record['packages'] : []).map(asRecord)) {
      const name = asString(p?.['name']) ?? '';
      const evidence = asString(p?.['evidence']) ?? '';
      const ecosystem = asString(p?.['ecosystem']);
      if (name === '' || !EVIDENCE.test(evidence)) continue;
      packages.push(ecosystem && ECOSYSTEMS.includes(ecosystem) ? { name, evidence, ecosystem: ecosystem as Ecosystem } : { name, evidence });
    }
    out.push({
      id, label: asString(record['label']) ?? id, why: asString(record['why']) ?? '',
      keywords: stringList(record['keywords']).map(k => k.toLowerCase()), keywordsNeedNative: record['keywordsNeedNative'] === true, packages,
    });
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

/** PEP 503: case and runs of `-`, `_`, `.` do not distinguish PyPI names (`PyYAML`, `aio_pika`, `zope.interface`). */
export function normalizeName(name: string): string {
  const lower = name.toLowerCase();
  return lower.startsWith('@') || lower.includes('/') ? lower : lower.replace(/[-_.]+/g, '-');
}

/** Built once per run, so that matching a thousand packages is a few map lookups each. */
export function indexLeakProne(categories: readonly LeakProneCategory[]): LeakProneIndex {
  const byName = new Map<string, LeakProneMatch[]>();
  const byKeyword = new Map<string, LeakProneCategory[]>();
  for (const category of categories) {
    for (const p of category.packages) {
      const key = normalizeName(p.name);
      const match: LeakProneMatch = { category: category.id, label: category.label, why: category.why, via: 'known package', evidence: p.evidence, ...(p.ecosystem ? { ecosystem: p.ecosystem } : {}) };
      addTo(byName, key, match);
    }
    for (const k of category.keywords) addTo(byKeyword, k, category);
  }
  return { byName, byKeyword, categories };
}

/** Categories a package belongs to: by its name first, else by its registry keywords (sorted by category id). */
export function matchLeakProne(name: string, keywords: readonly string[], index: LeakProneIndex): LeakProneMatch[] {
  const named = index.byName.get(normalizeName(name)) ?? [];
  if (keywords.length === 0) return named;
  const matches = new Map(named.map(m => [m.category, m]));
  for (const keyword of keywords) {
    for (const category of index.byKeyword.get(keyword.toLowerCase()) ?? []) {
      if (matches.has(category.id)) continue;
      matches.set(category.id, {
        category: category.id, label: category.label, why: category.why, via: `keyword "${keyword.toLowerCase()}"`,
        ...(category.keywordsNeedNative ? { needsNative: true as const } : {}),
      });
    }
  }
  return [...matches.values()].sort((a, b) => byString(a.category, b.category));
}

/**
 * The matches that apply to this change: a listed package from another registry is a different package that
 * shares the name, and a keyword that only says what a package is about does not make it native code.
 */
export function applicableLeakProne(matches: readonly LeakProneMatch[], ecosystem: Ecosystem, native: boolean): LeakProneMatch[] {
  return matches.filter(m => (!m.ecosystem || m.ecosystem === ecosystem) && (!m.needsNative || native));
}
