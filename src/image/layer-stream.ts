import type { Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { imageError, sizeText, type ImageLimits, type LayerCollector } from './collect.js';
import type { LayerFiles } from './layers.js';
import { createZstdDecompress, ZstdError } from './zstd.js';

// One streamed layer, whichever reader found it (a compressed layer of a plain archive, stream.ts; any layer of a
// gzip-compressed archive, gzip-archive.ts): inflated when compressed, parsed by the tar package, wanted entries
// kept by the LayerCollector. Every byte an inflater produces is counted against the one inflate limit shared by the
// whole archive, so a small zstd layer inside a gzipped archive cannot expand past it unseen.

export type LayerCodec = 'gzip' | 'zstd' | 'tar';

export interface LayerReading {
  label: string;
  name: string;
  layer: LayerCollector;
  limits: ImageLimits;
  /** Shared by every inflater of one archive, nested or not. */
  budget: { inflatedBytes: number };
}

/** Counts what an inflater of the archive produced; throws past the limit. */
export function countInflated(label: string, what: string, budget: { inflatedBytes: number }, limits: ImageLimits, bytes: number): void {
  budget.inflatedBytes += bytes;
  if (budget.inflatedBytes > limits.maxLayerBytes) {
    throw imageError(label, `${what} inflates to more than ${sizeText(limits.maxLayerBytes)} in all, the most reldiff reads`,
      'Check that the archive is an image saved by docker save or an OCI tool');
  }
}

export interface LayerStream {
  /** Where the layer's bytes go, as stored (compressed or not). */
  input: Writable;
  /** The layer's files once its tar has ended; rejected at the first failure (the caller then stops its input). */
  done: Promise<LayerFiles>;
}

export function streamLayer(codec: LayerCodec, reading: LayerReading): LayerStream {
  const { label, name, layer, limits, budget } = reading;
  let failure: Error | undefined;
  let settle: { resolve: (files: LayerFiles) => void; reject: (error: Error) => void } | undefined;
  const done = new Promise<LayerFiles>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const fail = (error: Error): void => {
    if (failure) return;
    failure = error;
    settle?.reject(error);
  };
  const pending: Promise<void>[] = [];
  const parser = new Parser({
    onReadEntry: (entry: ReadEntry) => {
      let kept: ReturnType<LayerCollector['accept']>;
      try {
        kept = failure ? undefined : layer.accept(entry.path, entry.type, entry.size ?? 0);
      } catch (error) {
        fail(error as Error);
      }
      if (!kept) return entry.resume();
      const { path, want } = kept;
      const chunks: Buffer[] = [];
      pending.push(new Promise<void>(resolve => {
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => {
          // One chunk (a small file) is stored as it came: no copy.
          layer.store(path, want, chunks.length === 1 ? chunks[0] as Buffer : Buffer.concat(chunks));
          resolve();
        });
      }));
    },
  });
  parser.on('warn', (code: string, message: string) => {
    if (code === 'TAR_BAD_ARCHIVE' || code === 'TAR_ABORT' || code === 'TAR_ENTRY_ERROR') {
      fail(imageError(label, /Truncated/.test(message) ? `layer ${name} is truncated (${message})` : `layer ${name} is not a tar archive (${message})`));
    }
  });
  parser.on('error', (error: Error) => fail(imageError(label, `layer ${name} is not a readable tar (${error.message})`)));
  parser.on('end', () => {
    Promise.all(pending).then(() => (failure ? undefined : settle?.resolve(layer.layer)), fail);
  });
  if (codec === 'tar') return { input: parser as unknown as Writable, done };
  // Inflated here, never by the tar package's parser (which would inflate a gzip layer itself, uncounted).
  const inflate = codec === 'gzip' ? createGunzip({ chunkSize: 64 * 1024 }) : createZstdDecompress();
  inflate.on('error', error => {
    if (error instanceof ZstdError) fail(imageError(label, `layer ${name} ${error.message}`));
    else fail(imageError(label, /unexpected end/i.test(error.message) ? `layer ${name} is truncated (its gzip stream ends early)` : `layer ${name} is not valid gzip (${error.message})`));
  });
  // Counted on what gunzip or zstd really produces: a layer's headers can declare little and its gzip still inflate to
  // terabytes of zeros after the end of the tar.
  inflate.on('data', (chunk: Buffer) => {
    if (failure) return;
    try {
      countInflated(label, `layer ${name}`, budget, limits, chunk.length);
    } catch (error) {
      fail(error as Error);
      inflate.destroy();
    }
  });
  inflate.pipe(parser as unknown as NodeJS.WritableStream);
  return { input: inflate, done };
}
