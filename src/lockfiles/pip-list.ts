// https://pip.pypa.io/en/stable/cli/pip_list/ (columns and --format=json)
import type { DependencySet, LockedPackage, LockfileFormat, Parsed } from '../types.js';
import { basename, excerpt, failure, lineOfJsonError, sortPackages } from './util.js';
import { normalizePythonName } from './wheel-tags.js';

const HINT = 'Save it again with `pip list` or `pip list --format=json`';
const HEADER = /^Package\s+Version(?:\s|$)/;

const format: LockfileFormat = {
  id: 'pip-list',
  ecosystem: 'pypi',
  detect(path, text) {
    if (/^pip-list.*\.(?:txt|json)$/i.test(basename(path))) return true;
    const head = text.trimStart().slice(0, 400);
    if (HEADER.test(head) && /\n-+\s+-+/.test(head)) return true;
    return /^\[\s*\{\s*"name"\s*:\s*"[^"]*"\s*,\s*"version"\s*:/.test(head);
  },
  parse: parsePipList,
};
export default format;

export function parsePipList(text: string, path: string): Parsed<DependencySet> {
  const trimmed = text.trimStart();
  const packages = trimmed.startsWith('[') ? fromJson(text, path) : fromColumns(text, path);
  if (!Array.isArray(packages)) return packages;
  // An environment dump records what is installed, not what was asked for.
  return { ok: true, value: { format: 'pip-list', ecosystem: 'pypi', path, packages: sortPackages(packages) }, warnings: [] };
}

function fromJson(text: string, path: string): LockedPackage[] | Parsed<DependencySet> {
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch (error) {
    return failure('pip-list', path, `is not valid JSON (${(error as Error).message})`, lineOfJsonError(text, error), HINT);
  }
  if (!Array.isArray(rows)) return failure('pip-list', path, 'is not a JSON array of packages', 1, HINT);
  const out: LockedPackage[] = [];
  for (const [i, row] of rows.entries()) {
    const r = row as { name?: unknown; version?: unknown; editable_project_location?: unknown };
    if (typeof r?.name !== 'string' || typeof r.version !== 'string') {
      return failure('pip-list', path, `has entry ${i + 1} without a string "name" and "version"`, undefined, HINT);
    }
    out.push(toPackage(r.name, r.version, typeof r.editable_project_location === 'string' ? r.editable_project_location : undefined));
  }
  return out;
}

function fromColumns(text: string, path: string): LockedPackage[] | Parsed<DependencySet> {
  const lines = text.split(/\r?\n/);
  const head = lines.findIndex(l => l.trim() !== '');
  if (head < 0 || !HEADER.test(lines[head]?.trim() ?? '') || !/^-+\s+-+/.test(lines[head + 1]?.trim() ?? '')) {
    return failure('pip-list', path, 'does not start with the "Package  Version" header and its dashes', head + 1, HINT);
  }
  const out: LockedPackage[] = [];
  for (let i = head + 2; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (!line) continue;
    // Newer pip may print a notice about a new pip release after the table.
    if (line.startsWith('[notice]') || /^WARNING:/.test(line)) continue;
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s+(\S+)(?:\s+(\S.*))?$/.exec(line);
    if (!m) return failure('pip-list', path, `has a row that is not "name version": "${excerpt(text, i + 1)}"`, i + 1, HINT);
    out.push(toPackage(m[1] ?? '', m[2] ?? '', m[3]?.trim().startsWith('/') ? m[3].trim() : undefined));
  }
  return out;
}

function toPackage(name: string, version: string, location: string | undefined): LockedPackage {
  return { name: normalizePythonName(name), version, direct: false, dev: false, facts: location ? { resolved: location } : {} };
}
