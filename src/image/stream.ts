import { closeSync, createReadStream, fstatSync, openSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanPath, DEFAULT_IMAGE_LIMITS, imageError, keepBytes, LayerCollector, sizeText, type ImageLimits } from './collect.js';
import type { LayerFiles } from './layers.js';
import { streamLayer } from './layer-stream.js';
import { FileWindow, TarWalkError, walkTar, type TarEntryAt } from './tar-walk.js';

// Reads a `docker save` or OCI layout tar without unpacking it: the archive and its plain layers are walked by
// their headers (tar-walk.ts), skipping the bytes of every file nobody wants; a gzip or zstd layer is streamed through
// its inflater and the tar package's parser (layer-stream.ts, shared with gzip-archive.ts), since compressed bytes
// cannot be skipped. Only wanted files are held in memory, so no entry name can reach outside memory, and the order
// of blobs in the archive does not matter.

export { DEFAULT_IMAGE_LIMITS, type ImageLimits } from './collect.js';

export interface ArchiveContents {
  /** Small JSON blobs by path: manifest.json, index.json, blobs/sha256/<config or manifest>. */
  json: Map<string, string>;
  layers: Map<string, LayerFiles>;
  /** Symbolic links of the archive itself (Docker 25 links <id>/layer.tar to blobs/sha256/...). */
  links: Map<string, string>;
  /** Blobs that are neither JSON nor a tar layer. */
  other: Set<string>;
  warnings: string[];
}

const isGzip = (b: Buffer): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
const isTarHeader = (b: Buffer): boolean => b.length >= 262 && b.toString('latin1', 257, 262) === 'ustar';
const isZstd = (b: Buffer): boolean => b.length >= 4 && b.readUInt32LE(0) === 0xfd2fb528;
const isJson = (b: Buffer): boolean => /^\s*[[{]/.test(b.subarray(0, 64).toString('utf8'));

/** Whether the first bytes of a file are a tar header (how `reldiff deps` tells an image archive by content). */
export function looksLikeTar(head: Buffer): boolean {
  return isTarHeader(head);
}

const isFileType = (type: string): boolean => type === 'File' || type === 'OldFile' || type === 'ContiguousFile';

/** `label`: the name messages use (the path as the user gave it). */
export async function readImageArchive(path: string, limits: ImageLimits = DEFAULT_IMAGE_LIMITS, label = path): Promise<ArchiveContents> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw imageError(label, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'Check the path and its permissions');
  }
  try {
    const fileSize = fstatSync(fd).size;
    const file = new FileWindow(fd);
    const contents: ArchiveContents = { json: new Map(), layers: new Map(), links: new Map(), other: new Set(), warnings: [] };
    const budget: Budget = { layerBytes: 0, keptBytes: 0, inflatedBytes: 0 };
    for (const entry of walk(file, 0, fileSize, label, 'the archive', limits.maxEntryBytes)) {
      const name = cleanPath(entry.path);
      if (entry.type === 'SymbolicLink') {
        contents.links.set(name, entry.linkpath);
        continue;
      }
      if (!isFileType(entry.type)) continue;
      await readBlob({ label, limits, budget, contents }, file, path, entry.offset, entry.size, name);
    }
    return contents;
  } finally {
    closeSync(fd);
  }
}

interface Reading { label: string; limits: ImageLimits; budget: Budget; contents: ArchiveContents }
interface Budget { layerBytes: number; keptBytes: number; inflatedBytes: number }

/** One blob at [offset, offset + size) of `path`, told by its first bytes: a layer, a JSON document, or skipped. */
async function readBlob(reading: Reading, file: FileWindow, path: string, offset: number, size: number, name: string): Promise<void> {
  const { label, limits, budget, contents } = reading;
  const head = file.read(offset, Math.min(512, size));
  const collector = (): LayerCollector => new LayerCollector(label, name, limits, budget, contents.warnings);
  if (isTarHeader(head)) {
    const layer = collector();
    for (const inner of walk(file, offset, offset + size, label, `layer ${name}`, limits.maxEntryBytes)) {
      const kept = layer.accept(inner.path, inner.type, inner.size);
      if (kept) layer.store(kept.path, kept.want, file.read(inner.offset, inner.size));
    }
    contents.layers.set(name, layer.layer);
  } else if (isGzip(head) || isZstd(head)) {
    contents.layers.set(name, await readCompressedLayer(path, offset, size, label, name, collector(), budget, limits, isGzip(head) ? 'gzip' : 'zstd'));
  } else if (isJson(head) && size <= limits.maxJsonBytes) {
    keepBytes(label, budget, size, limits);
    contents.json.set(name, file.read(offset, size).toString('utf8'));
  } else contents.other.add(name);
}

/** An OCI image layout kept as a folder (`skopeo copy ... oci:dir`): each blob is a file of its own. */
export async function readImageFolder(folder: string, limits: ImageLimits = DEFAULT_IMAGE_LIMITS, label = folder): Promise<ArchiveContents> {
  const contents: ArchiveContents = { json: new Map(), layers: new Map(), links: new Map(), other: new Set(), warnings: [] };
  const reading: Reading = { label, limits, budget: { layerBytes: 0, keptBytes: 0, inflatedBytes: 0 }, contents };
  const names = ['oci-layout', 'index.json', ...(await listBlobs(folder))];
  for (const name of names) {
    const path = join(folder, name);
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      continue;
    }
    try {
      const size = fstatSync(fd).size;
      if (size > limits.maxEntryBytes) {
        throw imageError(label, `${name} is ${sizeText(size)}, over the ${sizeText(limits.maxEntryBytes)} reldiff reads per file`);
      }
      await readBlob(reading, new FileWindow(fd), path, 0, size, name);
    } finally {
      closeSync(fd);
    }
  }
  return contents;
}

async function listBlobs(folder: string): Promise<string[]> {
  const out: string[] = [];
  for (const algorithm of await readdir(join(folder, 'blobs')).catch(() => [] as string[])) {
    for (const blob of await readdir(join(folder, 'blobs', algorithm)).catch(() => [] as string[])) out.push(`blobs/${algorithm}/${blob}`);
  }
  return out.sort();
}

function* walk(file: FileWindow, start: number, end: number, label: string, what: string, maxEntryBytes: number): Generator<TarEntryAt> {
  try {
    yield* walkTar(file, start, end, maxEntryBytes);
  } catch (error) {
    if (!(error instanceof TarWalkError)) throw error;
    if (error.kind === 'too-large' && error.entry) {
      throw imageError(label, `${what} holds ${error.entry.path} declaring ${sizeText(error.entry.size)}, over the ${sizeText(maxEntryBytes)} reldiff reads per file`,
        'Check that the archive is an image saved by docker save or an OCI tool');
    }
    throw imageError(label, error.kind === 'not-tar' && what !== 'the archive' ? `${what} is not a tar archive (it ${error.message})` : `${what} ${error.message}`);
  }
}

/** A gzip or zstd layer, inflated and parsed as it streams (layer-stream.ts); its declared sizes are checked before any byte is kept. */
function readCompressedLayer(path: string, start: number, size: number, label: string, name: string, layer: LayerCollector,
  budget: { inflatedBytes: number }, limits: ImageLimits, codec: 'gzip' | 'zstd'): Promise<LayerFiles> {
  const { input: sink, done } = streamLayer(codec, { label, name, layer, limits, budget });
  const input = createReadStream(path, { start, end: start + size - 1, highWaterMark: 256 * 1024 });
  const isRead = new Promise<never>((_, reject) => {
    input.on('error', error => reject(imageError(label, `cannot be read (${(error as NodeJS.ErrnoException).code ?? error.message})`)));
  });
  input.pipe(sink);
  return Promise.race([done, isRead]).finally(() => input.destroy());
}
