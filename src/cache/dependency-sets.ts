import { createHash } from 'node:crypto';
import { readDependencySet, type ReadInclude } from '../lockfiles/read.js';
import { shapeProblem } from '../lockfiles/util.js';
import type { DependencySet, LockedPackage } from '../types.js';
import { VERSION } from '../version.js';
import { noCache, type BlobCache } from './blob-cache.js';
import { hashCode, modulesIn } from '../util/code-hash.js';

// A dependency file's parsed set depends only on its text, its path (format detection by name, messages), the texts
// of the files it includes (`-r`/`-c` of requirements files) and the parser code. A PR bot reads the same two
// revisions on every push: kept in the blob cache under a hash of all of that, the second run skips the parse.
// Failures are not kept: they end the run or become a warning, and are cheap to find again.

/** The cache kind of parsed dependency sets. */
export const DEPENDENCY_SET = 'dependency-set';

/** What a parse gives that a later run must repeat: the set and the parser's own warnings, in order. */
interface CachedSet { set: DependencySet; warnings: string[] }

/**
 * `readDependencySet` through the cache: the same set and warnings (pushed onto `warnings`) as a fresh parse, or
 * the same error thrown. `included`: every file the include reader can give, by path, so that the key covers them.
 */
export function readDependencySetCached(cache: BlobCache, text: string, path: string, warnings: string[],
  include?: ReadInclude, included?: ReadonlyMap<string, string | undefined>): DependencySet {
  // --no-cache: no key worth working out (a hash of the text, and of the parsers' code on first use).
  if (cache === noCache) return readDependencySet(text, path, warnings, include);
  const key = dependencySetKey(text, path, include ? included ?? new Map() : undefined);
  const known = cache.get(DEPENDENCY_SET, key, isCachedSet);
  if (known) {
    for (const w of known.warnings) warnings.push(w);
    return known.set;
  }
  const own: string[] = [];
  const set = readDependencySet(text, path, own, include);
  for (const w of own) warnings.push(w);
  cache.set(DEPENDENCY_SET, key, { set, warnings: own } satisfies CachedSet);
  return set;
}

/** The content hash of everything a parse reads; `included` absent when the file is parsed without includes. */
export function dependencySetKey(text: string, path: string, included: ReadonlyMap<string, string | undefined> | undefined): string {
  parser ??= parserHash();
  const hash = createHash('sha256').update(`${VERSION}\0${parser}\0${path.length}:${path}\0`).update(text);
  if (included) {
    hash.update('\0includes\0');
    for (const [p, t] of [...included].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      hash.update(`${p.length}:${p}\0${t === undefined ? '-' : `${Buffer.byteLength(t)}:`}`);
      if (t !== undefined) hash.update(t);
    }
  }
  return hash.digest('hex');
}

let parser: string | undefined;

/**
 * reldiff's version stays the same between builds of a working copy: the code of the parsers and the version
 * comparators they use is hashed too, so a set parsed by other code is never read back.
 */
function parserHash(): string {
  return hashCode([...modulesIn('lockfiles'), ...modulesIn('versions')]);
}

const FACT_FLAGS = ['installScript', 'native', 'optional', 'peer'] as const;
const FACT_TEXTS = ['resolved', 'integrity'] as const;
const FACT_KEYS = new Set<string>([...FACT_FLAGS, ...FACT_TEXTS]);
const PACKAGE_KEYS = new Set(['name', 'version', 'direct', 'dev', 'installPath', 'facts']);

function isCachedSet(value: unknown): value is CachedSet {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  const set = v['set'] as Record<string, unknown> | null | undefined;
  if (!Array.isArray(v['warnings']) || !v['warnings'].every(w => typeof w === 'string')) return false;
  if (set === null || typeof set !== 'object' || typeof set['format'] !== 'string' || typeof set['ecosystem'] !== 'string'
    || typeof set['path'] !== 'string' || !Array.isArray(set['packages']) || !set['packages'].every(isPackage)) return false;
  return shapeProblem(set as unknown as DependencySet) === undefined;
}

function isPackage(value: unknown): value is LockedPackage {
  if (value === null || typeof value !== 'object') return false;
  const p = value as Record<string, unknown>;
  const facts = p['facts'] as Record<string, unknown> | null | undefined;
  return Object.keys(p).every(k => PACKAGE_KEYS.has(k)) && typeof p['name'] === 'string' && typeof p['version'] === 'string'
    && typeof p['direct'] === 'boolean' && typeof p['dev'] === 'boolean'
    && (p['installPath'] === undefined || typeof p['installPath'] === 'string')
    && facts !== null && typeof facts === 'object' && Object.keys(facts).every(k => FACT_KEYS.has(k))
    && FACT_FLAGS.every(k => facts[k] === undefined || typeof facts[k] === 'boolean')
    && FACT_TEXTS.every(k => facts[k] === undefined || typeof facts[k] === 'string');
}
