import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { cleanPath, imageError, keepBytes, LayerCollector, sizeText, type ImageLimits } from './collect.js';
import { countInflated, streamLayer, type LayerCodec } from './layer-stream.js';
import type { ArchiveContents } from './stream.js';

// `docker save app | gzip > app.tar.gz`: a compressed archive cannot be walked by offsets, so it is streamed once
// through gunzip and the tar package's parser, each blob told by its first bytes and each layer parsed as it passes
// (nested parsers, backpressure end to end). Only wanted files are kept, as for a plain archive.

const isGzip = (b: Buffer): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
const isTarHeader = (b: Buffer): boolean => b.length >= 262 && b.toString('latin1', 257, 262) === 'ustar';
const isZstd = (b: Buffer): boolean => b.length >= 4 && b.readUInt32LE(0) === 0xfd2fb528;
const isJson = (b: Buffer): boolean => /^\s*[[{]/.test(b.subarray(0, 64).toString('utf8'));

interface Budget { layerBytes: number; keptBytes: number; inflatedBytes: number }

export async function readGzipArchive(path: string, limits: ImageLimits, label: string): Promise<ArchiveContents> {
  const contents: ArchiveContents = { json: new Map(), layers: new Map(), links: new Map(), other: new Set(), warnings: [] };
  const budget: Budget = { layerBytes: 0, keptBytes: 0, inflatedBytes: 0 };
  const pending: Promise<void>[] = [];
  let failure: Error | undefined;
  const input = createReadStream(path, { highWaterMark: 256 * 1024 });
  const gunzip = createGunzip({ chunkSize: 64 * 1024 });
  // Any failure settles the wait at once: the streams it cuts would otherwise leave their ends pending for ever.
  let stopped: () => void = () => {};
  const isStopped = new Promise<void>(resolve => {
    stopped = resolve;
  });
  const stop = (error: unknown): void => {
    failure ??= error instanceof Error ? error : new Error(String(error));
    input.destroy();
    gunzip.destroy();
    stopped();
  };
  gunzip.on('data', (chunk: Buffer) => {
    if (failure) return;
    try {
      countInflated(label, 'the archive', budget, limits, chunk.length);
    } catch (error) {
      stop(error);
    }
  });
  const outer = new Parser({
    onReadEntry: (entry: ReadEntry) => {
      const name = cleanPath(entry.path);
      if (failure) return entry.resume();
      if (entry.type === 'SymbolicLink') {
        contents.links.set(name, entry.linkpath ?? '');
        return entry.resume();
      }
      if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile') return entry.resume();
      if ((entry.size ?? 0) > limits.maxEntryBytes) {
        stop(imageError(label, `the archive holds ${name} declaring ${sizeText(entry.size ?? 0)}, over the ${sizeText(limits.maxEntryBytes)} reldiff reads per file`));
        return entry.resume();
      }
      const sink = new BlobSink(label, name, contents, limits, budget);
      pending.push(new Promise<void>((resolve, reject) => {
        sink.on('finish', () => sink.done.then(resolve, reject));
        sink.on('error', reject);
      }).catch(stop));
      entry.pipe(sink);
    },
  });
  outer.on('warn', (code: string, message: string) => {
    if (code === 'TAR_BAD_ARCHIVE' || code === 'TAR_ABORT') stop(imageError(label, /Truncated/.test(message) ? `is truncated (${message})` : `is not a tar archive inside its gzip (${message})`));
  });
  // Both must be over: the parser can end at the tar's end blocks before gunzip finds the stream cut short.
  const isParsed = new Promise<void>(resolve => outer.on('end', resolve));
  const isInflated = new Promise<void>(resolve => {
    input.on('error', error => {
      stop(imageError(label, `cannot be read (${(error as NodeJS.ErrnoException).code ?? error.message})`, 'Check the path and its permissions'));
      resolve();
    });
    gunzip.on('error', error => {
      stop(imageError(label, /unexpected end/i.test(error.message) ? 'is truncated (the gzip stream ends early)' : `is not valid gzip (${error.message})`));
      resolve();
    });
    gunzip.on('end', resolve);
    gunzip.on('close', resolve);
  });
  input.pipe(gunzip).pipe(outer as unknown as NodeJS.WritableStream);
  await Promise.race([isInflated, isStopped]);
  await Promise.race([isParsed, isStopped]);
  // Blobs are added while the parser runs: wait until no new one came in.
  for (let seen = -1; seen !== pending.length && !failure;) {
    seen = pending.length;
    await Promise.race([Promise.all(pending), isStopped]);
  }
  if (failure) throw failure;
  return contents;
}

/** One file of the archive: told by its first bytes, then kept as JSON, parsed as a layer, or skipped. */
class BlobSink extends Writable {
  private head: Buffer[] = [];
  private headBytes = 0;
  private mode: 'unknown' | 'layer' | 'json' | 'skip' = 'unknown';
  private inner: Writable | undefined;
  private json: Buffer[] = [];
  private jsonBytes = 0;
  private innerDone: Promise<void> = Promise.resolve();
  private readonly layer: LayerCollector;
  done: Promise<void> = Promise.resolve();

  constructor(private readonly archive: string, private readonly name: string, private readonly contents: ArchiveContents,
    private readonly limits: ImageLimits, private readonly budget: Budget) {
    super();
    this.layer = new LayerCollector(archive, name, limits, budget, contents.warnings);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.mode !== 'unknown') return this.forward(chunk, callback);
    this.head.push(chunk);
    this.headBytes += chunk.length;
    // A tar header is 512 bytes; gzip and JSON tell themselves in the first two.
    if (this.headBytes < 512) return callback();
    this.decide(callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    const finish = (error?: Error | null): void => {
      if (error) return callback(error);
      if (this.mode === 'json') {
        if (this.jsonBytes <= this.limits.maxJsonBytes) this.contents.json.set(this.name, Buffer.concat(this.json).toString('utf8'));
        else this.contents.other.add(this.name);
      } else if (this.mode === 'layer' && this.inner) {
        this.inner.end();
        this.done = this.innerDone.then(() => {
          this.contents.layers.set(this.name, this.layer.layer);
        });
      }
      callback();
    };
    if (this.mode === 'unknown') this.decide(finish);
    else finish();
  }

  private decide(callback: (error?: Error | null) => void): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    const codec: LayerCodec | undefined = isGzip(head) ? 'gzip' : isZstd(head) ? 'zstd' : isTarHeader(head) ? 'tar' : undefined;
    if (codec) {
      this.mode = 'layer';
      this.startLayer(codec);
    } else if (isJson(head)) this.mode = 'json';
    else {
      this.mode = 'skip';
      this.contents.other.add(this.name);
    }
    this.forward(head, callback);
  }

  private forward(chunk: Buffer, callback: (error?: Error | null) => void): void {
    if (this.mode === 'layer' && this.inner) {
      // An inflater that failed takes no more: the layer's failure is already recorded.
      if (this.inner.destroyed) return callback();
      if (this.inner.write(chunk)) callback();
      else this.inner.once('drain', () => callback());
      return;
    }
    if (this.mode === 'json') {
      this.jsonBytes += chunk.length;
      if (this.jsonBytes <= this.limits.maxJsonBytes) {
        try {
          keepBytes(this.archive, this.budget, chunk.length, this.limits);
        } catch (error) {
          return callback(error as Error);
        }
        this.json.push(chunk);
      }
    }
    callback();
  }

  private startLayer(codec: LayerCodec): void {
    // A layer's own gzip or zstd is inflated and counted in layer-stream.ts, against the budget the archive's gunzip
    // counts into: nested or not, every inflated byte weighs on the one limit.
    const { input, done } = streamLayer(codec, { label: this.archive, name: this.name, layer: this.layer, limits: this.limits, budget: this.budget });
    this.inner = input;
    // A failure fails this blob at once, which stops the archive; one after the blob's last byte (its destroy would
    // then be a no-op) reaches the archive through `done`.
    this.innerDone = done.then(() => undefined, (error: Error) => {
      this.destroy(error);
      throw error;
    });
    this.innerDone.catch(() => {});
  }
}
