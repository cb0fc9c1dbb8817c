// https://conda.github.io/conda-lock/output/ : conda-lock.yml (version 1), the unified multi-platform lockfile
// of conda-lock. One entry per package and platform; conda and pip packages side by side.
import { parseDocument } from 'yaml';
import type { DependencySet, LockedPackage, LockfileFormat, Parsed } from '../types.js';
import { basename, compactFacts, failure, sortPackages, stripBom } from './util.js';
import { normalizePythonName } from './wheel-tags.js';

const HINT = 'Regenerate it with `conda-lock lock`';
const NAME = /^(conda-lock\.ya?ml|[^/]+\.conda-lock\.ya?ml)$/i;

const format: LockfileFormat = {
  id: 'conda-lock',
  ecosystem: 'conda',
  detect(path, text) {
    if (NAME.test(basename(path))) return true;
    return text.length > 0 && /^version: 1\s*$/m.test(text.slice(0, 2000)) && /^metadata:\s*$/m.test(text.slice(0, 2000)) && /^\s+manager: (conda|pip)\s*$/m.test(text);
  },
  parse: parseCondaLock,
};
export default format;

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseCondaLock(input: string, path: string): Parsed<DependencySet> {
  const text = stripBom(input);
  // The yaml package with its default alias limit: a lockfile never needs more, and an alias bomb stops early.
  // Failsafe schema: every scalar stays the text it was written as, so `version: 1.10` is 1.10, never the number 1.1.
  const doc = parseDocument(text, { uniqueKeys: false, schema: 'failsafe' });
  const first = doc.errors[0];
  if (first) return failure('conda-lock', path, `is not valid YAML (${first.message.split('\n')[0] ?? ''})`, first.linePos?.[0].line, HINT);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return failure('conda-lock', path, `cannot be read (${(error as Error).message.split('\n')[0] ?? ''})`, undefined, HINT);
  }
  if (!isRecord(value)) return failure('conda-lock', path, 'is not a YAML mapping', 1, HINT);
  if (value['version'] !== '1') {
    return failure('conda-lock', path, `has version ${typeof value['version'] === 'string' ? value['version'] : JSON.stringify(value['version'] ?? null)}, which reldiff does not know`, 1, 'reldiff reads conda-lock.yml version 1');
  }
  const list = value['package'];
  if (!Array.isArray(list)) return failure('conda-lock', path, 'has no "package" list', undefined, HINT);
  const seen = new Map<string, LockedPackage>();
  for (const [i, entry] of list.entries()) {
    const name = isRecord(entry) ? entry['name'] : undefined;
    const version = isRecord(entry) ? entry['version'] : undefined;
    if (!isRecord(entry) || typeof name !== 'string' || typeof version !== 'string' || name === '' || version === '') {
      return failure('conda-lock', path, `has a package entry (number ${i + 1}) without a string name and version`, undefined, HINT);
    }
    const manager = entry['manager'] === 'pip' ? 'pip' : 'conda';
    const normalName = manager === 'pip' ? normalizePythonName(name) : name.toLowerCase();
    const versionText = String(version);
    // The same package for several platforms is one package here; a platform-only one still counts once.
    const key = `${normalName}\0${versionText}`;
    const previous = seen.get(key);
    const hash = isRecord(entry['hash']) ? entry['hash'] : {};
    const integrity = typeof hash['sha256'] === 'string' ? `sha256:${hash['sha256']}` : typeof hash['md5'] === 'string' ? `md5:${hash['md5']}` : undefined;
    const dev = entry['category'] !== undefined && entry['category'] !== 'main';
    if (previous) {
      previous.dev = previous.dev && dev;
      continue;
    }
    seen.set(key, {
      name: normalName, version: versionText, direct: false, dev,
      // Conda packages are built binaries as a rule; which of them hold native code the lockfile does not say.
      facts: compactFacts({ resolved: typeof entry['url'] === 'string' ? entry['url'] : undefined, integrity }),
    });
  }
  return { ok: true, value: { format: 'conda-lock', ecosystem: 'conda', path, packages: sortPackages([...seen.values()]) }, warnings: [] };
}
