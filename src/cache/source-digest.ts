import { hashOf, type BlobCache } from './blob-cache.js';
import { fileKindOf, type PathKind } from '../risk/path-kind.js';
import { sourceHeuristics } from '../risk/source-heuristics.js';
import type { FileChange, Finding, Reason, RuleSettings } from '../types.js';
import { VERSION } from '../version.js';
import { hashCode, moduleFile, modulesIn } from '../util/code-hash.js';

// Everything a run takes from one changed source file's patch (its counts, the diff-text heuristics, what the rules
// found, their warnings) depends only on the file's path and status, its two blobs, the rule settings and the code
// that reads them. Kept per blob pair in the blob cache, a later run (the same refs again, one push later) needs
// neither the patch of that file nor its texts nor a parse: a tree diff names the pair, the digest answers.

/** What one file's patch gave; `rules` is absent for files the rules were not asked about (ignored paths). */
export interface SourceDigest {
  binary: boolean;
  additions: number;
  deletions: number;
  truncated: boolean;
  heuristics: Reason[];
  kind: PathKind;
  rules?: { findings: CachedFinding[]; warnings: string[] };
}

/** A finding as the rules made it, before the run's own commits are put on it (see withCommits). */
export type CachedFinding = Omit<Finding, 'commits'>;

/**
 * The cache kind of the per-pair digests, in shards: what a later run on other refs (neither the same refs nor one
 * push later) may share with this one. One entry per pair was a JSON+gzip+rename per freshly read file, 2,000 of
 * them in a cold run (0.5-1.4 s); a few shards, each read at most once and written once at close, cost a few dozen.
 */
const DIGEST_SHARD = 'source-digest-shard';

/** Shards per rule key: few enough that a cold run writes a few dozen entries, enough that one stays small to read. */
export const SHARDS = 64;

/**
 * Digests one shard keeps (the newest): 64 x 512 pairs is many release pairs' worth, a shard reads in ms, and a run
 * that reads every shard (a cold run on new refs in an old cache) holds at most that many digests in memory.
 */
const DEFAULT_SHARD_LIMIT = 512;

/** The cache kind of one run's digests, all in one entry: the same refs again read one entry instead of thousands. */
const RUN_DIGESTS = 'source-digests-of-run';

/**
 * The cache kind of the digests of the run that wrote last, in one entry: a PR bot's run one push later shares
 * nearly every blob pair with it, and one read answers them all (one entry per pair was 2,000 reads, 200 ms).
 * Its keys are whole digest keys, so a digest in it is right for any run that asks that key.
 */
const LATEST_DIGESTS = 'source-digests-latest';

/**
 * The shard a digest key goes in: its rule key (the part before the first NUL, so that shards of another build's or
 * another config's rules are never rewritten by this one and age out of the cache on their own) and a hash of the
 * whole key (FNV-1a: a crypto hash per file would cost more than the shard saves).
 */
export function shardOf(key: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  const rules = key.slice(0, Math.max(0, key.indexOf('\0')));
  return `${rules}\0${((hash >>> 0) % SHARDS).toString(16).padStart(2, '0')}`;
}

/**
 * Digests by key through the blob cache: the per-pair digests in shards (what any later run may share with this
 * one), one entry holding all of a run's digests under its commit pair and rule key (what the same run again reads),
 * and the last run's digests (what a run one push later reads).
 */
export class DigestStore {
  private run: Map<string, SourceDigest> | undefined;
  private latest: Map<string, SourceDigest> | undefined;
  /** Each shard as read, at most once a run, oldest digest first. */
  private readonly shards = new Map<string, Map<string, SourceDigest>>();
  private readonly kept = new Map<string, SourceDigest>();
  private readonly fresh = new Set<string>();
  private isNew = false;
  private readonly shardLimit: number;

  constructor(private readonly cache: BlobCache, private readonly runKey: string, options: { shardLimit?: number } = {}) {
    this.shardLimit = Math.max(1, options.shardLimit ?? DEFAULT_SHARD_LIMIT);
  }

  get(key: string): SourceDigest | undefined {
    this.run ??= new Map(this.cache.get(RUN_DIGESTS, this.runKey, isRunDigests) ?? []);
    const inRun = this.run.get(key);
    if (inRun) return inRun;
    this.latest ??= new Map(this.cache.get(LATEST_DIGESTS, 'latest', isRunDigests) ?? []);
    return this.latest.get(key) ?? this.shard(shardOf(key)).get(key);
  }

  /** `fresh`: read from this run's patch, not from the cache. */
  keep(key: string, digest: SourceDigest, fresh: boolean): void {
    this.kept.set(key, digest);
    if (fresh) this.fresh.add(key);
    if (fresh || !this.run?.has(key)) this.isNew = true;
  }

  /** Writes the shards that gained a digest, and the run's entry when it says something the one read did not. */
  close(): void {
    this.writeShards();
    if (this.isNew || (this.run !== undefined && this.run.size !== this.kept.size)) {
      const all = [...this.kept].sort(([a], [b]) => compare(a, b));
      this.cache.set(RUN_DIGESTS, this.runKey, all);
      // Two runs at once: the one that renames last is the latest, and either is right for the keys it holds.
      this.cache.set(LATEST_DIGESTS, 'latest', all);
    }
  }

  private shard(id: string): Map<string, SourceDigest> {
    let shard = this.shards.get(id);
    if (!shard) this.shards.set(id, shard = new Map(this.cache.get(DIGEST_SHARD, id, isRunDigests) ?? []));
    return shard;
  }

  /**
   * Read, merge, write: each shard this run added to gets its new digests at the end (newest last) and loses its
   * oldest past the limit. Two runs at once may each write a shard read before the other's rename, and so drop the
   * other's additions: that costs a later run a patch read again, never a wrong answer (every digest in a shard is
   * right for its whole key, whoever wrote it).
   */
  private writeShards(): void {
    const byShard = new Map<string, string[]>();
    for (const key of [...this.fresh].sort(compare)) {
      const id = shardOf(key);
      const keys = byShard.get(id);
      if (keys) keys.push(key);
      else byShard.set(id, [key]);
    }
    for (const id of [...byShard.keys()].sort(compare)) {
      const shard = this.shard(id);
      for (const key of byShard.get(id) ?? []) {
        shard.delete(key); // a digest written again is the newest
        shard.set(key, this.kept.get(key) as SourceDigest);
      }
      const entries = [...shard];
      this.cache.set(DIGEST_SHARD, id, entries.slice(Math.max(0, entries.length - this.shardLimit)));
    }
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function isRunDigests(value: unknown): value is [string, SourceDigest][] {
  return Array.isArray(value) && value.every(e => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && isSourceDigest(e[1]));
}

/** The digest of a patched file, without the rules' part. */
export function digestOf(file: FileChange): SourceDigest {
  return { binary: file.binary, additions: file.additions, deletions: file.deletions, truncated: file.truncated === true,
    heuristics: sourceHeuristics(file), kind: fileKindOf(file) };
}

/** Puts a digest's counts back on a file that came from a tree diff (see RepoReader.changes `isKnown`). */
export function restoreCounts(file: FileChange, digest: SourceDigest): void {
  file.binary = digest.binary;
  file.additions = digest.additions;
  file.deletions = digest.deletions;
  if (digest.truncated) file.truncated = true;
}

/** The findings of a digest, each with the commits that touched the file in this run (blame refines them later). */
export function withCommits(findings: readonly CachedFinding[], commits: readonly string[]): Finding[] {
  return findings.map(f => ({ ...f, commits: [...commits], ...(f.excerpt ? { excerpt: { start: f.excerpt.start, lines: [...f.excerpt.lines] } } : {}) }));
}

export function withoutCommits(finding: Finding): CachedFinding {
  const { commits: _commits, ...rest } = finding;
  return rest;
}

/**
 * The key of one file's digest: what the tree diff tells of it, and the rule key of the run. Joined, not hashed (the
 * blob cache hashes what it stores under; a warm run only looks keys up in its run's entry): a hash per file was
 * 20-30 ms of a warm run over 2,000 files. A path never holds a NUL.
 */
export function digestKey(file: Pick<FileChange, 'path' | 'status' | 'blob' | 'oldBlob' | 'oldPath'>, ruleKey: string): string {
  return `${ruleKey}\0${file.status}\0${file.oldBlob ?? ''}\0${file.blob ?? ''}\0${file.path}\0${file.oldPath ?? ''}`;
}

let engine: string | undefined;

/**
 * The rule settings with a hash of the code that makes a digest (the rules, the heuristics, the patch reader, the
 * grammars' package): reldiff's version alone stays the same between builds of a working copy, and a digest made
 * by other rules would be a wrong answer, not a slow one.
 */
export function ruleKey(settings: RuleSettings['rules']): string {
  engine ??= engineHash();
  const rules = Object.entries(settings ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return hashOf([VERSION, engine, rules]);
}

function engineHash(): string {
  return hashCode([...modulesIn('rules'), moduleFile('cache/source-digest'), ...['risk/source-heuristics', 'risk/path-kind', 'git/patch'].map(moduleFile),
    '../node_modules/@vscode/tree-sitter-wasm/package.json']);
}

export function isSourceDigest(value: unknown): value is SourceDigest {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  if (typeof v['binary'] !== 'boolean' || typeof v['truncated'] !== 'boolean' || !isCount(v['additions']) || !isCount(v['deletions'])
    || typeof v['kind'] !== 'string' || !Array.isArray(v['heuristics']) || !v['heuristics'].every(isReason)) return false;
  const rules = v['rules'];
  if (rules === undefined) return true;
  if (rules === null || typeof rules !== 'object') return false;
  const r = rules as Record<string, unknown>;
  return Array.isArray(r['warnings']) && r['warnings'].every(w => typeof w === 'string')
    && Array.isArray(r['findings']) && r['findings'].every(isCachedFinding);
}

const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function isReason(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  const r = v as Record<string, unknown>;
  const args = r['args'];
  return typeof r['id'] === 'string' && args !== null && typeof args === 'object'
    && Object.values(args as object).every(a => typeof a === 'string' || typeof a === 'number');
}

function isCachedFinding(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  const f = v as Record<string, unknown>;
  const excerpt = f['excerpt'] as Record<string, unknown> | undefined;
  return typeof f['rule'] === 'string' && typeof f['severity'] === 'string' && typeof f['file'] === 'string'
    && typeof f['line'] === 'number' && typeof f['message'] === 'string' && f['commits'] === undefined
    && (f['ignored'] === undefined || typeof f['ignored'] === 'string')
    && (excerpt === undefined || (typeof excerpt === 'object' && excerpt !== null && typeof excerpt['start'] === 'number'
      && Array.isArray(excerpt['lines']) && excerpt['lines'].every(l => typeof l === 'string')));
}
