import { readSync } from 'node:fs';
import { Header, Pax, type HeaderData } from 'tar';

// Walks a plain tar by its headers with positional reads, as `tar -tf` does on a file: the bytes of entries nobody
// wants are skipped, never read. Headers are decoded by the tar package (checksums, base-256 sizes, pax and GNU
// long names); only the walking is here.

export interface TarEntryAt {
  path: string;
  type: string;
  size: number;
  linkpath: string;
  /** Where the entry's bytes start in the file. */
  offset: number;
}

/** Cached reads of one file: neighbouring small entries come from one read. */
export class FileWindow {
  private start = 0;
  private buffer: Buffer = Buffer.alloc(0);
  // One buffer for every window: a read's result is used (decoded or copied to text) before the next read.
  private readonly store: Buffer;
  constructor(private readonly fd: number, private readonly span = 256 * 1024) {
    this.store = Buffer.allocUnsafe(span);
  }

  read(offset: number, length: number): Buffer {
    if (offset >= this.start && offset + length <= this.start + this.buffer.length) {
      return this.buffer.subarray(offset - this.start, offset - this.start + length);
    }
    if (length > this.span) {
      const out = Buffer.alloc(length);
      const n = readSync(this.fd, out, 0, length, offset);
      return out.subarray(0, n);
    }
    const n = readSync(this.fd, this.store, 0, this.span, offset);
    this.start = offset;
    this.buffer = this.store.subarray(0, n);
    return this.buffer.subarray(0, Math.min(length, n));
  }
}

export class TarWalkError extends Error {
  constructor(readonly kind: 'truncated' | 'not-tar' | 'too-large', message: string, readonly entry?: { path: string; size: number }) {
    super(message);
  }
}

const pad = (n: number): number => (512 - (n % 512)) % 512;

const TYPES: Record<string, string> = {
  '0': 'File', '\0': 'File', '1': 'Link', '2': 'SymbolicLink', '3': 'CharacterDevice', '4': 'BlockDevice', '5': 'Directory', '6': 'FIFO',
  '7': 'ContiguousFile', x: 'ExtendedHeader', g: 'GlobalExtendedHeader', L: 'NextFileHasLongPath', K: 'NextFileHasLongLinkpath',
};

const cString = (block: Buffer, start: number, length: number): string => {
  const end = block.indexOf(0, start);
  return block.toString('utf8', start, end < 0 || end > start + length ? start + length : end);
};

/**
 * The common case of a layer (plain ustar or GNU header, octal size, no pax data pending) decoded without building a
 * full Header: a layer holds tens of thousands of entries and only their name, size and type matter here.
 * Undefined: not a valid header this way (the tar package's Header then decides).
 */
function decodeFast(block: Buffer): { path: string; size: number; type: string; linkpath: string; isNull: boolean; isValid: boolean } | undefined {
  let sum = 0;
  // The checksum field counts as eight spaces.
  for (let i = 0; i < 148; i++) sum += block[i] as number;
  sum += 32 * 8;
  for (let i = 156; i < 512; i++) sum += block[i] as number;
  if (sum === 32 * 8 && block.every(b => b === 0)) return { path: '', size: 0, type: '', linkpath: '', isNull: true, isValid: true };
  if (((block[124] as number) & 0x80) !== 0) return undefined;
  const recorded = parseInt(block.toString('latin1', 148, 156).replace(/[\0 ]+$/, '').trim(), 8);
  const type = TYPES[String.fromCharCode(block[156] as number)];
  if (type === undefined || Number.isNaN(recorded)) return undefined;
  const isValid = recorded === sum;
  const size = parseInt(block.toString('latin1', 124, 136).replace(/[\0 ]+$/, '').trim() || '0', 8);
  if (Number.isNaN(size)) return undefined;
  // POSIX ustar splits long names into prefix/name; GNU's "ustar  " keeps other fields there.
  const isPosix = block.toString('latin1', 257, 263) === 'ustar\0';
  const name = cString(block, 0, 100);
  const prefix = isPosix ? cString(block, 345, 155) : '';
  return { path: prefix ? `${prefix}/${name}` : name, size, type, linkpath: type === 'SymbolicLink' || type === 'Link' ? cString(block, 157, 100) : '', isNull: false, isValid };
}

/** Entries of the tar stored in [start, end) of the file, in order; pax and long-name entries folded in. */
export function* walkTar(file: FileWindow, start: number, end: number, maxEntryBytes = Infinity): Generator<TarEntryAt> {
  let at = start;
  let extended: HeaderData | undefined;
  let global: HeaderData | undefined;
  let longPath: string | undefined;
  let longLink: string | undefined;
  let isFirst = true;
  while (at + 512 <= end) {
    const block = file.read(at, 512);
    if (block.length < 512) throw new TarWalkError('truncated', `ends inside a header at byte ${at}`);
    const fast = extended || global ? undefined : decodeFast(block);
    const header = fast ?? (() => {
      const h = new Header(block, 0, extended, global);
      return { path: h.path ?? '', size: h.size ?? 0, type: h.type ?? 'File', linkpath: h.linkpath ?? '', isNull: h.nullBlock, isValid: h.cksumValid };
    })();
    if (header.isNull) return;
    if (!header.isValid) {
      throw isFirst ? new TarWalkError('not-tar', 'does not start with a tar header') : new TarWalkError('not-tar', `has a damaged header at byte ${at}`);
    }
    isFirst = false;
    const size = header.size;
    const offset = at + 512;
    // Said before "truncated": a header declaring 10 GB in a 1 MB file is a lie about its size first.
    if (size > maxEntryBytes) {
      throw new TarWalkError('too-large', `${header.path} declares ${size} bytes, over the ${maxEntryBytes} reldiff reads per file`, { path: header.path, size });
    }
    if (offset + size > end) throw new TarWalkError('truncated', `is truncated: ${header.path} needs ${size} bytes from byte ${offset}, only ${Math.max(0, end - offset)} are there`);
    at = offset + size + pad(size);
    const type = header.type;
    if (type === 'ExtendedHeader' || type === 'OldExtendedHeader' || type === 'GlobalExtendedHeader') {
      const pax = Pax.parse(file.read(offset, size).toString('utf8'), type === 'GlobalExtendedHeader' ? global : extended, type === 'GlobalExtendedHeader');
      if (type === 'GlobalExtendedHeader') global = pax;
      else extended = pax;
      continue;
    }
    if (type === 'NextFileHasLongPath' || type === 'NextFileHasLongLinkpath') {
      const text = file.read(offset, size).toString('utf8').replace(/\0.*$/s, '');
      if (type === 'NextFileHasLongPath') longPath = text;
      else longLink = text;
      continue;
    }
    yield { path: longPath ?? header.path, type, size, linkpath: longLink ?? header.linkpath, offset };
    extended = undefined;
    longPath = undefined;
    longLink = undefined;
  }
  // A tar without its end-of-archive blocks is still whole when the last entry is: GNU tar accepts it.
  if (at < end && end - at < 512 && isFirst) throw new TarWalkError('not-tar', 'is too short to be a tar');
}
