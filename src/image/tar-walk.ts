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

const MIN_WINDOW = 16 * 1024;

/** Cached reads of one file: neighbouring small entries come from one read. */
export class FileWindow {
  private start = 0;
  private buffer: Buffer = Buffer.alloc(0);
  // One buffer for every window: a read's result is used (decoded or copied to text) before the next read.
  private readonly store: Buffer;
  private size = MIN_WINDOW;
  constructor(private readonly fd: number, private readonly span = 256 * 1024) {
    this.store = Buffer.allocUnsafe(span);
  }

  /** The bytes the last `headerAt` or `read` left in the window (a view of one reused buffer). */
  get bytes(): Buffer {
    return this.buffer;
  }

  /**
   * Where the 512-byte header at `offset` sits in `bytes`, reading a new window when it is not there; -1 when the
   * file ends before its 512 bytes. Headers are decoded in place: no Buffer per header.
   */
  headerAt(offset: number): number {
    if (offset < this.start || offset + 512 > this.start + this.buffer.length) this.fill(offset);
    return offset + 512 <= this.start + this.buffer.length ? offset - this.start : -1;
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
    this.fill(offset, length);
    return this.buffer.subarray(0, Math.min(length, this.buffer.length));
  }

  private fill(offset: number, length = 512): void {
    // Every byte read is copied out of the page cache, which costs more than the system call: after a jump over a
    // large entry (a 10 MB .so) the next header is often followed by another jump, so read a little; while the
    // windows follow one another (a folder of small files), double up to the span.
    const end = this.start + this.buffer.length;
    this.size = offset >= end && offset < end + this.size ? Math.min(this.span, this.size * 2) : MIN_WINDOW;
    const n = readSync(this.fd, this.store, 0, Math.min(Math.max(this.size, length), this.span), offset);
    this.start = offset;
    this.buffer = this.store.subarray(0, n);
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

/** A NUL-terminated field of at most `length` bytes at `start`. */
function cString(buf: Buffer, start: number, length: number): string {
  let end = start;
  while (end < start + length && buf[end] !== 0) end++;
  return buf.toString('utf8', start, end);
}

/**
 * An octal field (leading spaces, digits, then NULs or spaces); NaN when it is anything else (base-256, garbage),
 * so that the tar package's Header decides. `empty`: what a field without digits is worth.
 */
function octal(buf: Buffer, start: number, length: number, empty: number): number {
  const end = start + length;
  let i = start;
  while (i < end && buf[i] === 32) i++;
  let n = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = buf[i] as number;
    if (c < 48 || c > 55) break;
    n = n * 8 + (c - 48);
    digits++;
  }
  for (; i < end; i++) if (buf[i] !== 0 && buf[i] !== 32) return Number.NaN;
  return digits === 0 ? empty : n;
}

// 'ustar\0': POSIX ustar, whose prefix field extends the name; GNU's 'ustar  ' keeps other fields there.
const POSIX_MAGIC = [0x75, 0x73, 0x74, 0x61, 0x72, 0x00];

// A word view of the last window's memory, made once per buffer rather than once per header.
let words: Uint32Array | undefined;

/**
 * The sum of a header's bytes but its checksum field (148..155), four bytes at a time when the header is aligned
 * (it always is in a window: headers sit at multiples of 512 from the file's start): the checksum is the loop that
 * every one of a layer's tens of thousands of headers goes through.
 */
export function byteSum(buf: Buffer, p: number): number {
  const at = buf.byteOffset + p;
  if ((at & 3) !== 0 || buf.buffer.byteLength < at + 512) {
    let sum = 0;
    for (let i = p; i < p + 148; i++) sum += buf[i] as number;
    for (let i = p + 156; i < p + 512; i++) sum += buf[i] as number;
    return sum;
  }
  if (words?.buffer !== buf.buffer) words = new Uint32Array(buf.buffer, 0, buf.buffer.byteLength >>> 2);
  const w0 = at >>> 2;
  // Two 16-bit lanes of byte pairs: 128 words add at most 2 * 255 * 128 = 65,280 to a lane, which cannot overflow it.
  let lanes = 0;
  for (let i = w0; i < w0 + 37; i++) {
    const w = words[i] as number;
    lanes += (w & 0xff00ff) + ((w >>> 8) & 0xff00ff);
  }
  for (let i = w0 + 39; i < w0 + 128; i++) {
    const w = words[i] as number;
    lanes += (w & 0xff00ff) + ((w >>> 8) & 0xff00ff);
  }
  return (lanes & 0xffff) + (lanes >>> 16);
}

interface Decoded { path: string; size: number; type: string; linkpath: string; isNull: boolean; isValid: boolean }

/**
 * The common case of a layer (plain ustar or GNU header, octal size, no pax data pending) decoded in place from
 * the window, without building a full Header or any string but the names: a layer holds tens of thousands of
 * entries and only their name, size and type matter here. Undefined: not a valid header this way (the tar
 * package's Header then decides).
 */
function decodeFast(buf: Buffer, p: number): Decoded | undefined {
  // The checksum field counts as eight spaces.
  const sum = byteSum(buf, p) + 32 * 8;
  if (sum === 32 * 8) {
    let isZero = true;
    for (let i = p + 148; i < p + 156 && isZero; i++) isZero = buf[i] === 0;
    if (isZero) return { path: '', size: 0, type: '', linkpath: '', isNull: true, isValid: true };
  }
  if (((buf[p + 124] as number) & 0x80) !== 0) return undefined;
  const recorded = octal(buf, p + 148, 8, Number.NaN);
  const type = TYPES[String.fromCharCode(buf[p + 156] as number)];
  if (type === undefined || Number.isNaN(recorded)) return undefined;
  const size = octal(buf, p + 124, 12, 0);
  if (Number.isNaN(size)) return undefined;
  let isPosix = true;
  for (let i = 0; i < 6 && isPosix; i++) isPosix = buf[p + 257 + i] === POSIX_MAGIC[i];
  const name = cString(buf, p, 100);
  const prefix = isPosix ? cString(buf, p + 345, 155) : '';
  return { path: prefix ? `${prefix}/${name}` : name, size, type, linkpath: type === 'SymbolicLink' || type === 'Link' ? cString(buf, p + 157, 100) : '', isNull: false, isValid: recorded === sum };
}

/** Entries of the tar stored in [start, end) of the file, in order (byte positions in messages count from `start`); pax and long-name entries folded in. */
export function* walkTar(file: FileWindow, start: number, end: number, maxEntryBytes = Infinity): Generator<TarEntryAt> {
  let at = start;
  let extended: HeaderData | undefined;
  let global: HeaderData | undefined;
  let longPath: string | undefined;
  let longLink: string | undefined;
  let isFirst = true;
  while (at + 512 <= end) {
    const p = file.headerAt(at);
    if (p < 0) throw new TarWalkError('truncated', `is truncated: it ends inside a header at byte ${at - start}`);
    const fast = extended || global ? undefined : decodeFast(file.bytes, p);
    const header = fast ?? (() => {
      const h = new Header(file.bytes, p, extended, global);
      return { path: h.path ?? '', size: h.size ?? 0, type: h.type ?? 'File', linkpath: h.linkpath ?? '', isNull: h.nullBlock, isValid: h.cksumValid };
    })();
    if (header.isNull) return;
    if (!header.isValid) {
      throw isFirst ? new TarWalkError('not-tar', 'does not start with a tar header') : new TarWalkError('not-tar', `has a damaged header at byte ${at - start}`);
    }
    isFirst = false;
    const size = header.size;
    const offset = at + 512;
    // Said before "truncated": a header declaring 10 GB in a 1 MB file is a lie about its size first.
    if (size > maxEntryBytes) {
      throw new TarWalkError('too-large', `${header.path} declares ${size} bytes, over the ${maxEntryBytes} reldiff reads per file`, { path: header.path, size });
    }
    if (offset + size > end) throw new TarWalkError('truncated', `is truncated: ${header.path} needs ${size} bytes from byte ${offset - start}, only ${Math.max(0, end - offset)} are there`);
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
  // Less than a block left that is not zeros (a short end block is): the tar was cut inside its next header.
  if (at < end && file.read(at, end - at).some(b => b !== 0)) throw new TarWalkError('truncated', `is truncated: it ends inside a header at byte ${at - start}`);
}
