// https://toml.io/en/v1.0.0 read with smol-toml; shared by the TOML lockfile parsers.
import { parse, TomlError } from 'smol-toml';
import type { DependencySet, FormatId, Parsed } from '../types.js';
import { excerpt, failure } from './util.js';

export type Table = Record<string, unknown>;

/** The document, or a failure naming the file, the line and an excerpt. */
export function readToml(text: string, path: string, format: FormatId, hint: string):
  { ok: true; table: Table } | (Parsed<DependencySet> & { ok: false }) {
  try {
    return { ok: true, table: parse(text) as Table };
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const first = error.message.split('\n')[0] ?? 'is not valid TOML';
    const f = failure(format, path, `is not valid TOML (${first}): "${excerpt(text, error.line)}"`, error.line, hint);
    return f as Parsed<DependencySet> & { ok: false };
  }
}

export const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);
export const tables = (v: unknown): Table[] => (Array.isArray(v) ? v.filter(isTable) : []);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

/** Per [[package]], in order: the file names or URLs lifted out of its artifact array. */
export type LiftedFiles = string[][];

/**
 * Reads a lockfile whose bulk is one artifact per line (`wheels = [` in uv.lock, `files = [` in poetry.lock).
 * Lines that match `item` exactly (its first string is the file name or URL) are checked by that pattern instead of by smol-toml and blanked (line numbers
 * stay right), which roughly halves the TOML work; anything else is left for smol-toml to check and read.
 * Falls back to a plain parse when the [[package]] headers it counted disagree with the document.
 */
export function readTomlLifting(text: string, path: string, format: FormatId, hint: string, arrayOpen: string, item: RegExp):
  { ok: true; table: Table; lifted: LiftedFiles } | (Parsed<DependencySet> & { ok: false }) {
  const lines = text.split('\n');
  const lifted: LiftedFiles = [];
  let inArray = false;
  let inPackage = false;
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (inArray) {
      // test() and slice() rather than exec(): no match array per line, which is most of this loop's garbage.
      if (lifted.length > 0 && item.test(line)) {
        const q = line.indexOf('"') + 1;
        (lifted[lifted.length - 1] as string[]).push(line.slice(q, line.indexOf('"', q)));
        lines[i] = '';
        changed = true;
        continue;
      }
      if (line === ']') inArray = false;
    } else if (line === '[[package]]') { lifted.push([]); inPackage = true; }
    else if (line.startsWith('[')) inPackage = false;
    else if (inPackage && line === arrayOpen) inArray = true;
  }
  if (!changed) {
    const doc = readToml(text, path, format, hint);
    return doc.ok ? { ...doc, lifted: [] } : doc;
  }
  const doc = readToml(lines.join('\n'), path, format, hint);
  if (!doc.ok) return doc;
  if (tables(doc.table.package).length !== lifted.length) {
    const plain = readToml(text, path, format, hint);
    return plain.ok ? { ...plain, lifted: [] } : plain;
  }
  return { ...doc, lifted };
}

/** The [[package]] tables, or a failure when `package` is there but is not an array of tables. */
export function packageTables(doc: Table, path: string, format: FormatId, hint: string): Table[] | (Parsed<DependencySet> & { ok: false }) {
  const value = doc.package;
  if (value === undefined) return [];
  const list = tables(value);
  if (!Array.isArray(value) || list.length !== value.length) {
    return failure(format, path, 'has a "package" key that is not a list of [[package]] tables', undefined, hint) as Parsed<DependencySet> & { ok: false };
  }
  return list;
}
