import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';

// Image archives built at test time, block by block with the tar package's own header encoder: `docker save`
// (manifest.json + <id>/layer.tar, optionally linked to blobs/ as Docker 25 writes them) and OCI image layouts.

export interface TarEntry {
  path: string;
  body?: string | Buffer;
  type?: 'File' | 'Directory' | 'SymbolicLink';
  linkpath?: string;
  /** A size to declare in the header instead of the body's (for truncated or lying archives). */
  declaredSize?: number;
}

export function tarBytes(entries: readonly TarEntry[], { end = true }: { end?: boolean } = {}): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = entry.body === undefined ? Buffer.alloc(0) : Buffer.from(entry.body);
    const type = entry.type ?? 'File';
    const header = new Header({ path: entry.path, mode: type === 'Directory' ? 0o755 : 0o644, size: entry.declaredSize ?? (type === 'File' ? body.length : 0),
      type, mtime: new Date(0), ...(entry.linkpath ? { linkpath: entry.linkpath } : {}) });
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    blocks.push(block);
    if (type === 'File' && body.length > 0) blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  if (end) blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export interface ImageSpec {
  /** Lowest first; each layer is a list of entries. */
  layers: TarEntry[][];
  env?: string[];
  labels?: Record<string, string>;
  history?: string[];
  gzip?: boolean;
  /** Layers compressed with zstd (raw and RLE blocks, see zstdBytes). */
  zstd?: boolean;
  /** A layer blob replaced by these bytes (a layer that is not a tar). */
  rawLayers?: Record<number, Buffer>;
}

function configOf(spec: ImageSpec, diffIds: string[]): Buffer {
  return Buffer.from(JSON.stringify({
    architecture: 'amd64', os: 'linux',
    config: { Env: spec.env ?? ['PATH=/usr/local/bin:/usr/bin'], ...(spec.labels ? { Labels: spec.labels } : {}) },
    history: (spec.history ?? []).map(h => ({ created_by: h })),
    rootfs: { type: 'layers', diff_ids: diffIds.map(d => `sha256:${d}`) },
  }));
}

function layerBlobs(spec: ImageSpec): Buffer[] {
  return spec.layers.map((entries, i) => spec.rawLayers?.[i] ?? (spec.gzip ? gzipSync(tarBytes(entries)) : spec.zstd ? zstdBytes(tarBytes(entries)) : tarBytes(entries)));
}

/** `docker save` layout; `linked`: each <id>/layer.tar a symlink to blobs/sha256/<id>, as Docker 25 writes it. */
export function dockerSave(spec: ImageSpec, { linked = false, tags = ['registry/app:1'] }: { linked?: boolean; tags?: string[] } = {}): Buffer {
  const blobs = layerBlobs(spec);
  const ids = blobs.map(sha);
  const config = configOf(spec, ids);
  const configId = sha(config);
  const entries: TarEntry[] = [];
  blobs.forEach((blob, i) => {
    const id = ids[i] as string;
    if (linked) {
      entries.push({ path: `blobs/sha256/${id}`, body: blob });
      entries.push({ path: `${id}/layer.tar`, type: 'SymbolicLink', linkpath: `../blobs/sha256/${id}` });
    } else entries.push({ path: `${id}/layer.tar`, body: blob });
  });
  entries.push({ path: `${configId}.json`, body: config });
  // docker save writes manifest.json last: a reader must not need it first.
  entries.push({ path: 'manifest.json', body: JSON.stringify([{ Config: `${configId}.json`, RepoTags: tags, Layers: ids.map(id => `${id}/layer.tar`) }]) });
  return tarBytes(entries);
}

/** `docker save a:1 b:2`: several images in one archive, their blobs side by side and one manifest entry each. */
export function dockerSaveMany(images: readonly { spec: ImageSpec; tags: string[] }[]): Buffer {
  const entries: TarEntry[] = [];
  const manifest: unknown[] = [];
  for (const { spec, tags } of images) {
    const blobs = layerBlobs(spec);
    const ids = blobs.map(sha);
    const config = configOf(spec, ids);
    blobs.forEach((blob, i) => entries.push({ path: `${ids[i] as string}/layer.tar`, body: blob }));
    entries.push({ path: `${sha(config)}.json`, body: config });
    manifest.push({ Config: `${sha(config)}.json`, RepoTags: tags, Layers: ids.map(id => `${id}/layer.tar`) });
  }
  return tarBytes([...entries, { path: 'manifest.json', body: JSON.stringify(manifest) }]);
}

export function ociLayout(spec: ImageSpec, annotations: Record<string, string> = {}): Buffer {
  const blobs = layerBlobs(spec);
  const config = configOf(spec, blobs.map(sha));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha(config)}`, size: config.length },
    layers: blobs.map(b => ({ mediaType: `application/vnd.oci.image.layer.v1.tar${spec.zstd ? '+zstd' : spec.gzip ? '+gzip' : ''}`, digest: `sha256:${sha(b)}`, size: b.length })),
    annotations,
  }));
  const index = { schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${sha(manifest)}`, size: manifest.length,
    platform: { architecture: 'amd64', os: 'linux' } }] };
  return tarBytes([
    { path: 'oci-layout', body: '{"imageLayoutVersion":"1.0.0"}' },
    { path: 'index.json', body: JSON.stringify(index) },
    ...blobs.map(b => ({ path: `blobs/sha256/${sha(b)}`, body: b })),
    { path: `blobs/sha256/${sha(config)}`, body: config },
    { path: `blobs/sha256/${sha(manifest)}`, body: manifest },
  ]);
}

/**
 * A zstd stream built by hand (RFC 8878): frames of raw blocks, and RLE blocks for runs of one byte, so that tests
 * need no zstd encoder (Node 20 has none). `windowLog`: the window the frame header declares; `skippable`: a
 * skippable frame first, as zstd:chunked writes; `frames`: the data split over that many frames.
 */
export function zstdBytes(data: Buffer, { windowLog = 17, skippable = false, frames = 1 }: { windowLog?: number; skippable?: boolean; frames?: number } = {}): Buffer {
  const out: Buffer[] = [];
  if (skippable) {
    const meta = Buffer.from('table of contents');
    const head = Buffer.alloc(8);
    head.writeUInt32LE(0x184d2a5e, 0);
    head.writeUInt32LE(meta.length, 4);
    out.push(head, meta);
  }
  const per = Math.ceil(data.length / frames);
  for (let f = 0; f < frames; f++) {
    const part = data.subarray(f * per, Math.min(data.length, (f + 1) * per));
    // Magic, a descriptor with no content size, checksum or dictionary, and the window descriptor.
    const head = Buffer.alloc(6);
    head.writeUInt32LE(0xfd2fb528, 0);
    head[4] = 0;
    head[5] = (windowLog - 10) << 3;
    out.push(head);
    const blockMax = Math.min(128 * 1024, 2 ** windowLog);
    let at = 0;
    do {
      const size = Math.min(blockMax, part.length - at);
      const block = part.subarray(at, at + size);
      at += size;
      const last = at >= part.length ? 1 : 0;
      const isRun = size > 1 && block.every(b => b === block[0]);
      const header = last | ((isRun ? 1 : 0) << 1) | (size << 3);
      out.push(Buffer.from([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff]), isRun ? block.subarray(0, 1) : block);
    } while (at < part.length);
  }
  return Buffer.concat(out);
}

export const distInfo = (sitePackages: string, name: string, version: string, native = false): TarEntry[] => [
  { path: `${sitePackages}/${name}-${version}.dist-info/METADATA`, body: `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n\nLong description: Version: 9\n` },
  { path: `${sitePackages}/${name}-${version}.dist-info/RECORD`, body: `${name}/__init__.py,sha256=x,10\n${native ? `${name}/_core.cpython-312-x86_64-linux-gnu.so,sha256=y,100\n` : ''}` },
];

export const dpkgStatus = (packages: [string, string][]): TarEntry => ({
  path: 'var/lib/dpkg/status',
  body: packages.map(([p, v]) => `Package: ${p}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${v}\nDescription: x\n continued line\n`).join('\n'),
});
