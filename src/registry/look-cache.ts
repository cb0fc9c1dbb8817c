import { hashOf } from '../cache/blob-cache.js';
import { ruleKey } from '../cache/source-digest.js';
import type { RuleSettings, Signal } from '../types.js';
import { VERSION } from '../version.js';
import type { DiskCache } from './cache.js';
import { DEFAULT_TAR_LIMITS } from './tarball.js';
import type { TarLimits } from './tarball.js';
import { hashCode, moduleFile } from '../util/code-hash.js';

// What looking inside one upgrade's archives gave, kept in the registry cache beside the tarballs. The archives are
// content-addressed (their integrity), so the result is a pure function of the key below: a later run (the PR bot,
// an --offline run) answers from one small JSON file instead of inflating, hashing and diffing megabytes again.

export const LOOK_NAMESPACE = 'look-inside';

/** The one changelog file the release-notes step reads from a tree, as it was in the archive. */
export interface ChangelogText { file: string; text: string }

export interface LookEntry {
  /** The full key, kept inside so that a file-name collision is a miss, not somebody else's answer. */
  key: string;
  /** What reading the archives said (too large, unreadable), in the order of the archives. */
  treeWarnings: string[];
  bytesRead: number;
  /** Present when both versions were read and deep-scanned: its signals (compiled parts too) and warnings. */
  scan?: { signals: Signal[]; warnings: string[] };
  /** The newest release's changelog, when there is a newer release and it has one. */
  latestLog?: ChangelogText;
  /** `to`'s changelog, kept only when latestLog is absent (the only case the notes read it). */
  afterLog?: ChangelogText;
}

/** One archive as its key part: only archives with an integrity are cacheable. */
export interface ArchiveId { version: string; integrity: string; filename: string }

export interface LookKeyParts {
  ecosystem: string;
  name: string;
  from: string;
  to: string;
  archives: readonly ArchiveId[];
  tarLimits: Partial<TarLimits>;
  ruleSettings: RuleSettings | undefined;
  /** Which rule engine ran: 'rules' for reldiff's own (its code is hashed by ruleKey), else a caller's name. */
  analyzer: string;
}

let engine: string | undefined;

/** Readable for whoever lists the folder, and exact in its hash. */
export function lookKey(parts: LookKeyParts): string {
  engine ??= engineHash();
  const limits = { ...DEFAULT_TAR_LIMITS, ...parts.tarLimits };
  const hash = hashOf([
    VERSION, engine, ruleKey(parts.ruleSettings?.rules ?? {}), parts.analyzer, parts.ecosystem, parts.name, parts.from, parts.to,
    parts.archives.map(a => [a.version, a.integrity, a.filename]),
    [limits.maxFileBytes, limits.maxTotalBytes, limits.maxUnpackedBytes],
  ]);
  return `${parts.ecosystem}-${parts.name}@${parts.from}..${parts.to}-${hash}`;
}

/** The entry under `key`, or undefined when there is none or it is corrupt. */
export async function readLook(cache: DiskCache, key: string): Promise<LookEntry | undefined> {
  const value = await cache.readJson(LOOK_NAMESPACE, key);
  return isLookEntry(value) && value.key === key ? value : undefined;
}

export async function writeLook(cache: DiskCache, entry: LookEntry): Promise<void> {
  await cache.writeJson(LOOK_NAMESPACE, entry.key, entry);
}

export function isLookEntry(value: unknown): value is LookEntry {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  if (typeof v['key'] !== 'string' || !isStrings(v['treeWarnings']) || typeof v['bytesRead'] !== 'number'
    || !Number.isInteger(v['bytesRead']) || v['bytesRead'] < 0) return false;
  const scan = v['scan'];
  if (scan !== undefined) {
    if (scan === null || typeof scan !== 'object') return false;
    const s = scan as Record<string, unknown>;
    if (!isStrings(s['warnings']) || !Array.isArray(s['signals']) || !s['signals'].every(isSignal)) return false;
  }
  return isLog(v['latestLog']) && isLog(v['afterLog']);
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(s => typeof s === 'string');

function isSignal(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  const s = v as Record<string, unknown>;
  return typeof s['id'] === 'string' && typeof s['detail'] === 'string';
}

function isLog(v: unknown): boolean {
  if (v === undefined) return true;
  if (v === null || typeof v !== 'object') return false;
  const l = v as Record<string, unknown>;
  return typeof l['file'] === 'string' && typeof l['text'] === 'string';
}

/**
 * The code that makes an entry (archive readers, the diff, the changelog finder, this file): reldiff's version alone
 * stays the same between builds of a working copy, and an entry made by other code would be a wrong answer.
 */
function engineHash(): string {
  return hashCode(['look-inside', 'look-cache', 'deep-scan', 'tarball', 'zip', 'changelog'].map(f => moduleFile(`registry/${f}`)).concat(moduleFile('util/line-diff')));
}
