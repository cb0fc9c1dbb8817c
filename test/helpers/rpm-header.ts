// RPM header blobs as rpmdb stores them (il, dl, index entries, data), built by hand for tests; see src/image/rpm-header.ts.

export type RpmTagValue = { tag: number; string: string } | { tag: number; int32: number };

export interface RpmPackageSpec { name: string; version: string; release: string; epoch?: number; arch?: string; sourceRpm?: string }

/** A header holding these tags, in order; strings NUL-terminated, numbers 4-byte aligned as rpm writes them. */
export function rpmHeaderBlob(values: readonly RpmTagValue[]): Buffer {
  const index: Buffer[] = [];
  const data: Buffer[] = [];
  let size = 0;
  for (const value of values) {
    const entry = Buffer.alloc(16);
    if ('int32' in value) {
      const pad = (4 - (size % 4)) % 4;
      data.push(Buffer.alloc(pad));
      size += pad;
      const bytes = Buffer.alloc(4);
      bytes.writeUInt32BE(value.int32);
      entry.writeUInt32BE(value.tag, 0);
      entry.writeUInt32BE(4, 4);
      entry.writeUInt32BE(size, 8);
      entry.writeUInt32BE(1, 12);
      data.push(bytes);
      size += 4;
    } else {
      const bytes = Buffer.from(`${value.string}\0`);
      entry.writeUInt32BE(value.tag, 0);
      entry.writeUInt32BE(6, 4);
      entry.writeUInt32BE(size, 8);
      entry.writeUInt32BE(1, 12);
      data.push(bytes);
      size += bytes.length;
    }
    index.push(entry);
  }
  const counts = Buffer.alloc(8);
  counts.writeUInt32BE(values.length, 0);
  counts.writeUInt32BE(size, 4);
  return Buffer.concat([counts, ...index, ...data]);
}

export function rpmPackageBlob(p: RpmPackageSpec): Buffer {
  return rpmHeaderBlob([
    { tag: 1000, string: p.name }, { tag: 1001, string: p.version }, { tag: 1002, string: p.release },
    ...(p.epoch === undefined ? [] : [{ tag: 1003, int32: p.epoch }]),
    ...(p.arch === undefined ? [] : [{ tag: 1022, string: p.arch }]),
    ...(p.sourceRpm === undefined ? [] : [{ tag: 1044, string: p.sourceRpm }]),
  ]);
}
