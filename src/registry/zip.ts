import { inflateRawSync } from 'node:zlib';
import { DEFAULT_TAR_LIMITS, safeEntryPath } from './tarball.js';
import type { PackageTree, TarLimits } from './tarball.js';

// Wheels (and old .zip sdists) read in memory from the central directory, with zlib's raw inflate. No zip library is
// in package.json or node_modules, and a wheel needs only stored and deflated entries: about a hundred lines. Like
// the tarball reader nothing touches the disk; unsafe names and links are refused by name and reported.

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** The end record is 22 bytes plus a comment of at most 65,535. */
const MAX_EOCD_SCAN = 22 + 0xffff;
/** A central directory lists at most this many entries before the archive is refused as hostile. */
const MAX_ENTRIES = 100_000;

export class ZipUnreadable extends Error {
  constructor(why: string) {
    super(`not a readable zip archive (${why})`);
    this.name = 'ZipUnreadable';
  }
}

export interface ZipOptions {
  /** Old sdists as .zip put everything under `name-version/`: drop that first folder like the tarball reader does. */
  stripTop?: boolean;
}

/** A safe path inside the archive, or undefined. Wheels have no top folder, so one is added for safeEntryPath to drop. */
export function safeZipPath(raw: string, stripTop: boolean): string | undefined {
  if (raw.includes('\0') || /^([a-zA-Z]:|[\\/])/.test(raw)) return undefined;
  return safeEntryPath(stripTop ? raw : `wheel/${raw}`);
}

function findEnd(data: Buffer): number {
  const stop = Math.max(0, data.length - MAX_EOCD_SCAN);
  for (let i = data.length - 22; i >= stop; i--) if (data.readUInt32LE(i) === EOCD) return i;
  throw new ZipUnreadable('no end-of-central-directory record');
}

export function readZip(data: Buffer, partial: Partial<TarLimits> = {}, options: ZipOptions = {}): PackageTree {
  const limits: TarLimits = { ...DEFAULT_TAR_LIMITS, ...partial };
  const tree: PackageTree = { files: new Map(), sizes: new Map(), refused: [] };
  if (data.length < 22) throw new ZipUnreadable('too short');
  const end = findEnd(data);
  const count = data.readUInt16LE(end + 10);
  const cdOffset = data.readUInt32LE(end + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipUnreadable('zip64 archives are not read');
  if (count > MAX_ENTRIES) throw new ZipUnreadable(`${count} entries`);
  let kept = 0;
  let inflated = 0;
  let at = cdOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== CENTRAL) throw new ZipUnreadable('broken central directory');
    const method = data.readUInt16LE(at + 10);
    const compressed = data.readUInt32LE(at + 20);
    const declared = data.readUInt32LE(at + 24);
    const nameLength = data.readUInt16LE(at + 28);
    const skip = nameLength + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
    const mode = data.readUInt32LE(at + 38) >>> 16;
    const localOffset = data.readUInt32LE(at + 42);
    const raw = data.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + skip;
    if (raw.endsWith('/')) continue;
    const path = safeZipPath(raw, options.stripTop ?? false);
    // Unix mode bits in the upper half: 0o120000 is a symbolic link, anything but a regular file is refused.
    const type = mode & 0o170000;
    if (path === undefined || (type !== 0 && type !== 0o100000)) {
      tree.refused.push(`${type === 0o120000 ? 'SymbolicLink' : type !== 0 && type !== 0o100000 ? 'Special' : 'File'} ${raw}`);
      continue;
    }
    tree.sizes.set(path, declared);
    if (declared > limits.maxFileBytes || kept + declared > limits.maxTotalBytes) continue;
    const text = entryText(data, localOffset, method, compressed, limits.maxFileBytes);
    if (text === undefined) continue;
    inflated += text.length;
    // The declared size can lie; what was really inflated is what counts.
    if (inflated > limits.maxUnpackedBytes) throw new ZipUnreadable(`unpacks to more than ${Math.round(limits.maxUnpackedBytes / (1024 * 1024))} MB`);
    kept += text.length;
    tree.sizes.set(path, text.length);
    tree.files.set(path, text.toString('utf8'));
  }
  tree.refused.sort();
  return tree;
}

/** The entry's bytes, or undefined when it is of an unknown method or inflates past `max` (a lying header, a bomb). */
function entryText(data: Buffer, offset: number, method: number, compressed: number, max: number): Buffer | undefined {
  if (offset + 30 > data.length || data.readUInt32LE(offset) !== LOCAL) throw new ZipUnreadable('broken local header');
  const start = offset + 30 + data.readUInt16LE(offset + 26) + data.readUInt16LE(offset + 28);
  if (start + compressed > data.length) throw new ZipUnreadable('entry runs past the end');
  const body = data.subarray(start, start + compressed);
  if (method === 0) return body.length > max ? undefined : body;
  if (method !== 8) return undefined;
  try {
    const out = inflateRawSync(body, { maxOutputLength: max + 1 });
    return out.length > max ? undefined : out;
  } catch {
    // Past maxOutputLength zlib throws: the entry is dropped, never buffered whole.
    return undefined;
  }
}
