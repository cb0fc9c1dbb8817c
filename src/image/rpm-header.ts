// https://rpm-software-management.github.io/rpm/manual/format_header.html : an RPM header as rpmdb stores it (no magic):
// il and dl (big-endian counts), il index entries of 16 bytes (tag, type, offset, count), then dl bytes of data.
import type { LockedPackage } from '../types.js';

export interface RpmHeaderPackage {
  name: string;
  /** Absent when the package has no EPOCH tag (rpm treats it as 0). */
  epoch?: number;
  version: string;
  release: string;
  /** Absent for gpg-pubkey entries and other pseudo-packages. */
  arch?: string;
  sourceRpm?: string;
}

export type RpmHeaderResult = { ok: true; value: RpmHeaderPackage } | { ok: false; why: string };

const TAG = { name: 1000, version: 1001, release: 1002, epoch: 1003, arch: 1022, sourceRpm: 1044 } as const;
const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const ENTRY_BYTES = 16;
// rpm's own ceilings (hdrchkTags, hdrchkData in lib/header.c): a count past them is a lie, not a large package.
const MAX_ENTRIES = 0xffff;
const MAX_DATA_BYTES = 0x10000000;

/** One header blob read with every count and offset checked against the blob: a lie gives `ok: false`, never a throw. */
export function readRpmHeader(blob: Uint8Array): RpmHeaderResult {
  if (blob.length < 8) return { ok: false, why: `is ${blob.length} bytes, shorter than a header's counts` };
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const entries = view.getUint32(0);
  const dataBytes = view.getUint32(4);
  if (entries > MAX_ENTRIES || dataBytes > MAX_DATA_BYTES) return { ok: false, why: `declares ${entries} entries and ${dataBytes} data bytes, more than rpm allows` };
  const dataStart = 8 + entries * ENTRY_BYTES;
  if (dataStart + dataBytes > blob.length) return { ok: false, why: `declares ${dataStart + dataBytes} bytes but holds ${blob.length}` };
  const found = new Map<number, { type: number; offset: number; count: number }>();
  for (let i = 0; i < entries; i++) {
    const at = 8 + i * ENTRY_BYTES;
    const tag = view.getUint32(at);
    if (Object.values(TAG).includes(tag as never) && !found.has(tag)) {
      found.set(tag, { type: view.getUint32(at + 4), offset: view.getUint32(at + 8), count: view.getUint32(at + 12) });
    }
  }
  const text = (tag: number): string | undefined | Error => {
    const entry = found.get(tag);
    if (!entry) return undefined;
    if (entry.type !== TYPE_STRING || entry.offset >= dataBytes) return new Error(`tag ${tag} is not a string inside the data`);
    const start = dataStart + entry.offset;
    const end = blob.indexOf(0, start);
    if (end < 0 || end >= dataStart + dataBytes) return new Error(`tag ${tag} runs past the data`);
    return Buffer.from(blob.buffer, blob.byteOffset + start, end - start).toString('utf8');
  };
  const int = (tag: number): number | undefined | Error => {
    const entry = found.get(tag);
    if (!entry) return undefined;
    if (entry.type !== TYPE_INT32 || entry.count < 1 || entry.offset % 4 !== 0 || entry.offset + 4 > dataBytes) return new Error(`tag ${tag} is not a number inside the data`);
    return view.getUint32(dataStart + entry.offset);
  };
  const name = text(TAG.name);
  const version = text(TAG.version);
  const release = text(TAG.release);
  const epoch = int(TAG.epoch);
  const arch = text(TAG.arch);
  const sourceRpm = text(TAG.sourceRpm);
  for (const value of [name, version, release, epoch, arch, sourceRpm]) if (value instanceof Error) return { ok: false, why: value.message };
  if (typeof name !== 'string' || typeof version !== 'string' || typeof release !== 'string' || name === '' || version === '') {
    return { ok: false, why: 'has no name, version or release' };
  }
  return { ok: true, value: { name, version, release,
    ...(typeof epoch === 'number' ? { epoch } : {}), ...(typeof arch === 'string' ? { arch } : {}), ...(typeof sourceRpm === 'string' ? { sourceRpm } : {}) } };
}

/**
 * `[epoch:]version-release`, the form reldiff compares. rpm orders a missing epoch as 0, so an explicit 0 is left out
 * too: the same package built with and without `Epoch: 0` is not a change.
 */
export const rpmEvr = (p: Pick<RpmHeaderPackage, 'epoch' | 'version' | 'release'>): string =>
  `${p.epoch ? `${p.epoch}:` : ''}${p.version}-${p.release}`;

/** What an rpm database read gives, whatever its form (rpmdb-sqlite.ts, rpmdb-bdb.ts). */
export interface RpmdbRead { packages: LockedPackage[]; warnings: string[] }

/**
 * Adds the package one header blob holds (`record`: its number in the database, for the warning), or a warning when
 * the header lies. `source`: the database's path in the image.
 */
export function addRpmHeader(read: RpmdbRead, record: string, blob: Uint8Array, source: string): void {
  const header = readRpmHeader(blob);
  if (!header.ok) {
    read.warnings.push(`${source}: package ${record}'s header ${header.why}; skipped`);
    return;
  }
  const p = header.value;
  // Public keys rpm imported are rows too (gpg-pubkey-<id>-<date>): keys, not software that runs.
  if (p.name === 'gpg-pubkey') return;
  read.packages.push({ name: p.name, version: rpmEvr(p), direct: false, dev: false, installPath: `${source}${p.arch ? ` (${p.arch})` : ''}`, facts: {} });
}
