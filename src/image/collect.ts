import { ReldiffError } from '../errors.js';
import { addWhiteout, emptyLayer, type LayerFiles } from './layers.js';
import { recordHasNative, wantOf, type Want } from './wanted.js';

// What is kept of one layer's entries, whichever way they are read (positional for plain layers, streamed for gzip):
// whiteouts, wanted files as text, markers by name; limits checked on the sizes the headers declare.

export interface ImageLimits {
  /** A wanted file larger than this is skipped with a warning (a dpkg status is a few MB). */
  maxTextBytes: number;
  /** An rpmdb.sqlite larger than this is skipped with a warning (a UBI or Fedora image's is 5-30 MB). */
  maxRpmdbBytes: number;
  /** Largest size one entry may declare, in the archive or in a layer. */
  maxEntryBytes: number;
  /** Bytes all layers may hold together, as their entries declare them. */
  maxLayerBytes: number;
  /** A JSON blob (manifest, index, config) larger than this is not kept. */
  maxJsonBytes: number;
  /** Metadata text and JSON kept from the whole archive: past it the image is refused, not read in part. */
  maxKeptBytes: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = {
  maxTextBytes: 16 * 1024 * 1024,
  maxRpmdbBytes: 128 * 1024 * 1024,
  maxEntryBytes: 8 * 1024 ** 3,
  maxLayerBytes: 64 * 1024 ** 3,
  maxJsonBytes: 16 * 1024 * 1024,
  // 3,000 packages keep about 10 MB; a hundred times that is no image but an attempt to fill memory.
  maxKeptBytes: 256 * 1024 * 1024,
};

const GB = 1024 ** 3;
export const sizeText = (n: number): string =>
  (n >= GB ? `${(n / GB).toFixed(1)} GB` : n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024))} MB` : `${n} bytes`);

export function imageError(archive: string, what: string, hint = 'Save the image again (docker save <image> -o file.tar) and check that the copy is complete'): ReldiffError {
  return new ReldiffError('bad-image', `${archive}: ${what}`, hint);
}

export const cleanPath = (p: string): string => p.replace(/^(\.\/)+/, '').replace(/^\/+/, '');

export class LayerCollector {
  readonly layer: LayerFiles = emptyLayer();

  constructor(private readonly archive: string, private readonly name: string, private readonly limits: ImageLimits,
    private readonly budget: { layerBytes: number; keptBytes: number }, private readonly warnings: string[]) {}

  /** What to do with an entry: undefined skips its bytes. Throws on a size over the limits. */
  accept(rawPath: string, type: string, size: number): { path: string; want: Want } | undefined {
    const path = cleanPath(rawPath);
    if (size > this.limits.maxEntryBytes) {
      throw imageError(this.archive, `layer ${this.name} holds ${path} declaring ${sizeText(size)}, over the ${sizeText(this.limits.maxEntryBytes)} reldiff reads per file`,
        'Check that the archive is an image saved by docker save or an OCI tool');
    }
    this.budget.layerBytes += size;
    if (this.budget.layerBytes > this.limits.maxLayerBytes) {
      throw imageError(this.archive, `the layers hold more than ${sizeText(this.limits.maxLayerBytes)}, the most reldiff reads`, 'Compare smaller images, or their pip freeze / dpkg -l output');
    }
    if (addWhiteout(this.layer, path)) return undefined;
    const want = wantOf(path, type === 'Directory');
    if (want === undefined) return undefined;
    if (want === 'marker') {
      this.layer.files.set(path, '');
      return undefined;
    }
    if (type !== 'File' && type !== 'OldFile' && type !== 'ContiguousFile') return undefined;
    const limit = want === 'binary' ? this.limits.maxRpmdbBytes : this.limits.maxTextBytes;
    if (size > limit) {
      this.warnings.push(`${this.archive}: ${path} is ${sizeText(size)}, more than reldiff reads of one metadata file (${sizeText(limit)}); skipped`);
      return undefined;
    }
    keepBytes(this.archive, this.budget, size, this.limits);
    return { path, want };
  }

  store(path: string, want: Want, body: Buffer): void {
    // latin1 maps each byte to one character and back: the one binary file rides the same path -> string map.
    if (want === 'binary') this.layer.files.set(path, body.toString('latin1'));
    // RECORD is only asked whether it lists compiled modules: its answer is kept, not its text.
    else if (want === 'record') {
      if (recordHasNative(body.toString('utf8'))) this.layer.files.set(path, 'native');
    } else this.layer.files.set(path, body.toString('utf8'));
  }
}

/** Counts bytes kept in memory against `maxKeptBytes`. */
export function keepBytes(archive: string, budget: { keptBytes: number }, size: number, limits: ImageLimits): void {
  budget.keptBytes += size;
  if (budget.keptBytes > limits.maxKeptBytes) {
    throw imageError(archive, `holds more than ${sizeText(limits.maxKeptBytes)} of package metadata and manifests, the most reldiff keeps`,
      'Check that it is one image saved by docker save; compare its pip freeze / dpkg -l output instead');
  }
}
