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
