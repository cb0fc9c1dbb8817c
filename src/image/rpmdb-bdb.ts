// Berkeley DB hash databases as rpm < 4.16 writes var/lib/rpm/Packages (RHEL 7/8, CentOS, Amazon Linux 2), read-only
// and by hand as rpm's own lib/backend/bdb_ro.c does: every hash page's key/value pairs, a value that does not fit on
// its page followed through its chain of overflow pages. Layout: Berkeley DB's dbinc/db_page.h.
import { addRpmHeader, type RpmdbRead } from './rpm-header.js';

const HASH_MAGIC = 0x061561;
const PAGE_HEADER_BYTES = 26;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASHMETA = 8;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;
// rpm refuses headers past 256 MB (hdrchkData); a value that claims more is a lie, not a package.
const MAX_VALUE_BYTES = 0x10000000;

class BdbError extends Error {}

/** The installed packages of a Berkeley DB `Packages` file; a page that lies about itself is a warning, never a throw. */
export function readRpmdbBdb(bytes: Uint8Array, source: string): RpmdbRead {
  const read: RpmdbRead = { packages: [], warnings: [] };
  try {
    for (const { key, value } of hashValues(bytes)) {
      // Record 0 holds rpm's next record number, not a header.
      if (key === 0) continue;
      addRpmHeader(read, String(key), value, source);
    }
  } catch (error) {
    if (!(error instanceof BdbError)) throw error;
    // Half a database would report the other half as removed: nothing is compared instead.
    return { packages: [], warnings: [`${source} could not be read as an RPM Berkeley DB (${error.message}); its RPM packages are not compared`] };
  }
  // rpm's database holds rpm itself at least: one with no package at all is damaged (a page type overwritten, say), and
  // reporting it as empty would call every RPM package of the other side added or removed.
  if (read.packages.length === 0 && read.warnings.length === 0) {
    read.warnings.push(`${source} could not be read as an RPM Berkeley DB (it holds no package header that could be read); its RPM packages are not compared`);
  }
  return read;
}

function* hashValues(bytes: Uint8Array): Generator<{ key: number; value: Uint8Array }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 512) throw new BdbError(`it is ${bytes.length} bytes, shorter than its first page`);
  // Berkeley DB writes in the byte order of the machine that made the file; the magic says which.
  const isLittle = view.getUint32(12, true) === HASH_MAGIC;
  if (!isLittle && view.getUint32(12, false) !== HASH_MAGIC) throw new BdbError('it is not a Berkeley DB hash database');
  const u32 = (at: number): number => view.getUint32(at, isLittle);
  const u16 = (at: number): number => view.getUint16(at, isLittle);
  const pageSize = u32(20);
  if (bytes[25] !== P_HASHMETA || pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    throw new BdbError('its first page is not a hash database\'s');
  }
  const pages = Math.floor(bytes.length / pageSize);
  const page = (n: number): number => {
    if (n < 1 || n >= pages) throw new BdbError(`a page number (${n}) points outside its ${pages} pages`);
    return n * pageSize;
  };
  const overflow = (first: number, length: number): Uint8Array => {
    // Checked before allocating: a value can be no larger than the file that holds it.
    if (length > MAX_VALUE_BYTES || length > bytes.length) throw new BdbError(`a value declares ${length} bytes`);
    const out = new Uint8Array(length);
    let filled = 0;
    // A chain can only be as long as the file has pages: a loop in it ends there.
    for (let n = first, hops = 0; filled < length; hops++) {
      if (hops >= pages) throw new BdbError('an overflow chain loops');
      const at = page(n);
      if (bytes[at + 25] !== P_OVERFLOW) throw new BdbError(`page ${n} is not the overflow page a value points to`);
      const size = u16(at + 22);
      if (size > pageSize - PAGE_HEADER_BYTES || filled + size > length) throw new BdbError(`overflow page ${n} holds more than its value`);
      out.set(bytes.subarray(at + PAGE_HEADER_BYTES, at + PAGE_HEADER_BYTES + size), filled);
      filled += size;
      n = u32(at + 16);
      if (filled < length && n === 0) throw new BdbError(`a value's overflow chain ends ${length - filled} bytes short`);
    }
    return out;
  };
  for (let n = 1; n < pages; n++) {
    const at = n * pageSize;
    const type = bytes[at + 25];
    if (type !== P_HASH && type !== P_HASH_UNSORTED) continue;
    const entries = u16(at + 20);
    if (PAGE_HEADER_BYTES + entries * 2 > pageSize) throw new BdbError(`page ${n} declares ${entries} entries`);
    const item = (i: number): { start: number; end: number } => {
      const start = u16(at + PAGE_HEADER_BYTES + i * 2);
      // Items fill the page from its end: each one ends where the one before it starts.
      const end = i === 0 ? pageSize : u16(at + PAGE_HEADER_BYTES + (i - 1) * 2);
      if (start < PAGE_HEADER_BYTES + entries * 2 || start >= end || end > pageSize) throw new BdbError(`page ${n}'s item ${i} lies outside it`);
      return { start: at + start, end: at + end };
    };
    for (let i = 0; i + 1 < entries; i += 2) {
      const key = item(i);
      const value = item(i + 1);
      if (bytes[key.start] !== H_KEYDATA || key.end - key.start !== 5) continue;
      const record = u32(key.start + 1);
      if (bytes[value.start] === H_KEYDATA) yield { key: record, value: bytes.subarray(value.start + 1, value.end) };
      else if (bytes[value.start] === H_OFFPAGE && value.end - value.start >= 12) yield { key: record, value: overflow(u32(value.start + 4), u32(value.start + 8)) };
    }
  }
}
