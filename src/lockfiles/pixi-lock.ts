// https://pixi.sh/latest/workspace/lockfile/ : pixi.lock (versions 4-6), conda and PyPI packages per environment
// and platform. A package only in non-default environments (test, dev, lint ...) is there for development.
import { parseDocument } from 'yaml';
import type { DependencySet, LockedPackage, LockfileFormat, Parsed } from '../types.js';
import { basename, compactFacts, failure, sortPackages, stripBom } from './util.js';
import { normalizePythonName } from './wheel-tags.js';

const HINT = 'Regenerate it with `pixi lock`';
const KNOWN_VERSIONS = new Set(['4', '5', '6']);

const format: LockfileFormat = {
  id: 'pixi-lock',
  ecosystem: 'conda',
  detect(path, text) {
    if (basename(path) === 'pixi.lock') return true;
    return text.length > 0 && /^version: [4-6]\s*\nenvironments:\s*\n/.test(text.slice(0, 200));
  },
  parse: parsePixiLock,
};
export default format;

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `.../numpy-2.4.3-py313hf6604e3_0.conda` -> numpy, 2.4.3: conda file names are name-version-build. */
export function condaFileNameParts(url: string): { name: string; version: string } | undefined {
  const file = url.slice(url.lastIndexOf('/') + 1).replace(/\.(conda|tar\.bz2)$/, '');
  const lastDash = file.lastIndexOf('-');
  const versionDash = lastDash > 0 ? file.lastIndexOf('-', lastDash - 1) : -1;
  if (versionDash <= 0) return undefined;
  return { name: file.slice(0, versionDash), version: file.slice(versionDash + 1, lastDash) };
}

/** The package references (URLs or paths) each environment installs, on any platform. */
function environmentRefs(environments: unknown): { runtime: Set<string>; all: Set<string> } {
  const runtime = new Set<string>();
  const all = new Set<string>();
  if (!isRecord(environments)) return { runtime, all };
  for (const [envName, env] of Object.entries(environments)) {
    const platforms = isRecord(env) && isRecord(env['packages']) ? env['packages'] : {};
    for (const list of Object.values(platforms)) {
      for (const item of Array.isArray(list) ? list : []) {
        const ref = isRecord(item) ? (item['conda'] ?? item['pypi']) : undefined;
        if (typeof ref !== 'string') continue;
        all.add(ref);
        if (envName === 'default') runtime.add(ref);
      }
    }
  }
  return { runtime, all };
}

export function parsePixiLock(input: string, path: string): Parsed<DependencySet> {
  const text = stripBom(input);
  // Failsafe schema: every scalar stays the text it was written as, so `version: 1.10` is 1.10, never the number 1.1.
  const doc = parseDocument(text, { uniqueKeys: false, schema: 'failsafe' });
  const first = doc.errors[0];
  if (first) return failure('pixi-lock', path, `is not valid YAML (${first.message.split('\n')[0] ?? ''})`, first.linePos?.[0].line, HINT);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return failure('pixi-lock', path, `cannot be read (${(error as Error).message.split('\n')[0] ?? ''})`, undefined, HINT);
  }
  if (!isRecord(value)) return failure('pixi-lock', path, 'is not a YAML mapping', 1, HINT);
  const version = value['version'];
  if (typeof version !== 'string' || !KNOWN_VERSIONS.has(version)) {
    return failure('pixi-lock', path, `has version ${typeof version === 'string' ? version : JSON.stringify(version ?? null)}, which reldiff does not know`, 1, 'reldiff reads pixi.lock versions 4 to 6');
  }
  const list = value['packages'];
  if (!Array.isArray(list)) return failure('pixi-lock', path, 'has no "packages" list', undefined, HINT);
  const refs = environmentRefs(value['environments']);
  const packages: LockedPackage[] = [];
  for (const [i, entry] of list.entries()) {
    if (!isRecord(entry)) return failure('pixi-lock', path, `has a package entry (number ${i + 1}) that is not a mapping`, undefined, HINT);
    const ref = typeof entry['conda'] === 'string' ? entry['conda'] : typeof entry['pypi'] === 'string' ? entry['pypi'] : undefined;
    if (ref === undefined) return failure('pixi-lock', path, `has a package entry (number ${i + 1}) without a conda or pypi reference`, undefined, HINT);
    const fromName = typeof entry['conda'] === 'string' ? condaFileNameParts(ref) : undefined;
    const name = typeof entry['name'] === 'string' ? entry['name'] : fromName?.name;
    const rawVersion = entry['version'] ?? fromName?.version;
    if (name === undefined || typeof rawVersion !== 'string' || rawVersion === '') {
      return failure('pixi-lock', path, `has a package entry (number ${i + 1}) whose name and version cannot be told`, undefined, HINT);
    }
    // The project itself (`pypi: ./`, an editable path) is not a dependency.
    if (typeof entry['pypi'] === 'string' && !/^[a-z]+:\/\//i.test(ref)) continue;
    const isPypi = typeof entry['pypi'] === 'string';
    const sha256 = typeof entry['sha256'] === 'string' ? entry['sha256'] : undefined;
    packages.push({
      name: isPypi ? normalizePythonName(name) : name.toLowerCase(),
      version: String(rawVersion),
      direct: false,
      dev: refs.all.has(ref) && !refs.runtime.has(ref),
      facts: compactFacts({ resolved: ref, integrity: sha256 ? `sha256:${sha256}` : undefined }),
    });
  }
  // One package built for several platforms is one package per version here.
  const unique = new Map<string, LockedPackage>();
  for (const p of packages) {
    const key = `${p.name}\0${p.version}`;
    const seen = unique.get(key);
    if (seen) seen.dev = seen.dev && p.dev;
    else unique.set(key, { ...p, facts: compactFacts({ integrity: p.facts.integrity }) });
  }
  return { ok: true, value: { format: 'pixi-lock', ecosystem: 'conda', path, packages: sortPackages([...unique.values()]) }, warnings: [] };
}
