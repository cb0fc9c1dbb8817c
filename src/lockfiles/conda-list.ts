// What `conda list --export` (name=version=build lines) and `conda list --json` print: the packages installed in
// one conda environment, as users commit them to pin or record a machine-learning service's environment.
import type { DependencySet, LockedPackage, LockfileFormat, Parsed } from '../types.js';
import { compactFacts, failure, failureAt, lineOfJsonError, sortPackages, stripBom } from './util.js';

const HINT = 'Regenerate it with `conda list --export > <file>` or `conda list --json > <file>`';
const EXPORT_LINE = /^([A-Za-z0-9_][A-Za-z0-9._-]*)=([^=\s]+)=([^=\s]+)$/;

const format: LockfileFormat = {
  id: 'conda-list',
  ecosystem: 'conda',
  detect(_path, text) {
    if (!text) return false;
    const head = text.slice(0, 400);
    if (/^# This file may be used to create an environment using:/m.test(head) && /^# platform: /m.test(head)) return true;
    return /^\s*\[\s*\{\s*"base_url"\s*:/.test(head) && head.includes('"build_string"');
  },
  parse: parseCondaList,
};
export default format;

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseCondaList(input: string, path: string): Parsed<DependencySet> {
  const text = stripBom(input);
  return text.trimStart().startsWith('[') ? parseJsonList(text, path) : parseExport(text, path);
}

function parseExport(text: string, path: string): Parsed<DependencySet> {
  const packages: LockedPackage[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('@EXPLICIT')) continue;
    const match = EXPORT_LINE.exec(line);
    if (!match?.[1] || !match[2]) return failureAt('conda-list', path, text, i + 1, 'has a line that is not name=version=build', HINT);
    const channel = /^pypi_0$/.test(match[3] ?? '') ? 'pypi' : undefined;
    packages.push({ name: match[1].toLowerCase(), version: match[2], direct: false, dev: false, facts: compactFacts({ resolved: channel }) });
  }
  return { ok: true, value: { format: 'conda-list', ecosystem: 'conda', path, packages: sortPackages(packages) }, warnings: [] };
}

function parseJsonList(text: string, path: string): Parsed<DependencySet> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return failure('conda-list', path, `is not valid JSON (${(error as Error).message})`, lineOfJsonError(text, error), HINT);
  }
  if (!Array.isArray(value)) return failure('conda-list', path, 'is not a JSON list of packages', 1, HINT);
  const packages: LockedPackage[] = [];
  for (const [i, entry] of value.entries()) {
    const name = isRecord(entry) ? entry['name'] : undefined;
    const version = isRecord(entry) ? entry['version'] : undefined;
    if (!isRecord(entry) || typeof name !== 'string' || typeof version !== 'string') {
      return failure('conda-list', path, `has an entry (number ${i + 1}) without a string name and version`, undefined, HINT);
    }
    const channel = typeof entry['channel'] === 'string' ? entry['channel'] : undefined;
    packages.push({ name: name.toLowerCase(), version, direct: false, dev: false, facts: compactFacts({ resolved: channel }) });
  }
  return { ok: true, value: { format: 'conda-list', ecosystem: 'conda', path, packages: sortPackages(packages) }, warnings: [] };
}
