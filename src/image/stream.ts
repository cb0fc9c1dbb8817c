import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { Parser, type ReadEntry } from 'tar';
import { ReldiffError } from '../errors.js';
import { addWhiteout, emptyLayer, type LayerFiles } from './layers.js';
import { recordHasNative, wantOf } from './wanted.js';

// Reads a `docker save` or OCI layout tar as one stream: every blob that turns out to be a layer (gzip or plain tar)
// is parsed while it passes, keeping only the wanted files (wanted.ts) in memory. Nothing is written to disk, so
// no entry name can reach outside memory; the order of blobs in the archive does not matter.

export interface ImageLimits {
  /** A wanted file larger than this is skipped with a warning (a dpkg status is a few MB). */
  maxTextBytes: number;
  /** Largest size one entry may declare, in the archive or in a layer. */
  maxEntryBytes: number;
  /** Bytes all layers may hold together, as their entries declare them. */
  maxLayerBytes: number;
  /** A JSON blob (manifest, index, config) larger than this is not kept. */
  maxJsonBytes: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = {
  maxTextBytes: 16 * 1024 * 1024,
  maxEntryBytes: 8 * 1024 ** 3,
  maxLayerBytes: 64 * 1024 ** 3,
  maxJsonBytes: 16 * 1024 * 1024,
};

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

const GB = 1024 ** 3;
const size = (n: number): string => (n >= GB ? `${(n / GB).toFixed(1)} GB` : n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024))} MB` : `${n} bytes`);

function fail(path: string, what: string, hint = 'Save the image again (docker save <image> -o file.tar) and check that the copy is complete'): ReldiffError {
  return new ReldiffError('bad-image', `${path}: ${what}`, hint);
}

const isGzip = (b: Buffer): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
const isTarHeader = (b: Buffer): boolean => b.length >= 262 && b.toString('latin1', 257, 262) === 'ustar';
const isZstd = (b: Buffer): boolean => b.length >= 4 && b.readUInt32LE(0) === 0xfd2fb528;

/** Whether the first bytes of a file are a tar header (how `reldiff deps` tells an image archive by content). */
export function looksLikeTar(head: Buffer): boolean {
  return isTarHeader(head);
}

const clean = (p: string): string => p.replace(/^(\.\/)+/, '').replace(/^\/+/, '');

/** `label`: the name messages use (the path as the user gave it). */
export async function readImageArchive(path: string, limits: ImageLimits = DEFAULT_IMAGE_LIMITS, label = path): Promise<ArchiveContents> {
  const fileSize = (await stat(path)).size;
  const contents: ArchiveContents = { json: new Map(), layers: new Map(), links: new Map(), other: new Set(), warnings: [] };
  const budget = { layerBytes: 0 };
  const pending: Promise<void>[] = [];
  let failure: Error | undefined;
  const input = createReadStream(path, { highWaterMark: 1024 * 1024 });
  const outer = new Parser({
    onReadEntry: (entry: ReadEntry) => {
      const name = clean(entry.path);
      if (entry.type === 'SymbolicLink') {
        contents.links.set(name, entry.linkpath ?? '');
        entry.resume();
        return;
      }
      if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile') {
        entry.resume();
        return;
      }
      if (entry.size > fileSize) {
        stop(fail(label, `${name} declares ${size(entry.size)} but the whole archive is ${size(fileSize)}: it is truncated or damaged`));
        entry.resume();
        return;
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
    if (code === 'TAR_BAD_ARCHIVE' || code === 'TAR_ABORT') stop(fail(label, /Truncated/.test(message) ? `the archive is truncated (${message})` : `is not a tar archive (${message})`));
  });
  outer.on('error', (error: Error) => stop(fail(label, `cannot be read as a tar archive (${error.message})`)));
  function stop(error: unknown): void {
    failure ??= error instanceof Error ? error : new Error(String(error));
    input.destroy();
  }
  await new Promise<void>(resolve => {
    input.on('error', error => {
      stop(fail(label, `cannot be read (${(error as NodeJS.ErrnoException).code ?? error.message})`, 'Check the path and its permissions'));
      resolve();
    });
    input.on('close', resolve);
    outer.on('end', resolve);
    input.pipe(outer as unknown as NodeJS.WritableStream);
  });
  await Promise.all(pending);
  if (failure) throw failure;
  return contents;
}

/** One file of the outer archive: told by its first bytes, then kept as JSON, parsed as a layer, or skipped. */
class BlobSink extends Writable {
  private head: Buffer[] = [];
  private headBytes = 0;
  private mode: 'unknown' | 'layer' | 'json' | 'skip' = 'unknown';
  private inner: Parser | undefined;
  private json: Buffer[] = [];
  private jsonBytes = 0;
  private layer = emptyLayer();
  private innerDone: Promise<void> = Promise.resolve();
  done: Promise<void> = Promise.resolve();

  constructor(private readonly archive: string, private readonly name: string, private readonly contents: ArchiveContents,
    private readonly limits: ImageLimits, private readonly budget: { layerBytes: number }) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.mode === 'unknown') {
      this.head.push(chunk);
      this.headBytes += chunk.length;
      // A tar header is 512 bytes; gzip and JSON tell themselves in the first two.
      if (this.headBytes < 512) return callback();
      this.decide(callback);
      return;
    }
    this.forward(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.mode === 'unknown') {
      this.decide(error => {
        if (error) return callback(error);
        this.finishMode(callback);
      });
      return;
    }
    this.finishMode(callback);
  }

  private decide(callback: (error?: Error | null) => void): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    if (isGzip(head) || isTarHeader(head)) {
      this.mode = 'layer';
      this.startLayer();
    } else if (isZstd(head)) {
      return callback(fail(this.archive, `layer ${this.name} is compressed with zstd, which reldiff cannot read yet`,
        'Save the image with gzip layers (docker save, or buildx --output type=docker,compression=gzip)'));
    } else if (head.subarray(0, 64).toString('utf8').trimStart().startsWith('{') || head.subarray(0, 64).toString('utf8').trimStart().startsWith('[')) {
      this.mode = 'json';
    } else {
      this.mode = 'skip';
      this.contents.other.add(this.name);
    }
    this.forward(head, callback);
  }

  private forward(chunk: Buffer, callback: (error?: Error | null) => void): void {
    if (this.mode === 'layer' && this.inner) {
      if (this.inner.write(chunk)) callback();
      else this.inner.once('drain', () => callback());
    } else if (this.mode === 'json') {
      this.jsonBytes += chunk.length;
      if (this.jsonBytes <= this.limits.maxJsonBytes) this.json.push(chunk);
      callback();
    } else callback();
  }

  private finishMode(callback: (error?: Error | null) => void): void {
    if (this.mode === 'json') {
      if (this.jsonBytes <= this.limits.maxJsonBytes) this.contents.json.set(this.name, Buffer.concat(this.json).toString('utf8'));
      else this.contents.other.add(this.name);
      return callback();
    }
    if (this.mode === 'layer' && this.inner) {
      this.inner.end();
      this.done = this.innerDone.then(() => {
        this.contents.layers.set(this.name, this.layer);
      });
    }
    callback();
  }

  private startLayer(): void {
    const pending: Promise<void>[] = [];
    let failure: Error | undefined;
    const stopWith = (error: Error): void => {
      failure ??= error;
    };
    const inner = new Parser({
      onReadEntry: (entry: ReadEntry) => {
        if (failure) return entry.resume();
        const path = clean(entry.path);
        const declared = entry.size ?? 0;
        if (declared > this.limits.maxEntryBytes) {
          stopWith(fail(this.archive, `layer ${this.name} holds ${path} declaring ${size(declared)}, over the ${size(this.limits.maxEntryBytes)} reldiff reads per file`,
            'Check that the archive is an image saved by docker save or an OCI tool'));
          return entry.resume();
        }
        this.budget.layerBytes += declared;
        if (this.budget.layerBytes > this.limits.maxLayerBytes) {
          stopWith(fail(this.archive, `the layers hold more than ${size(this.limits.maxLayerBytes)}, the most reldiff reads`, 'Compare smaller images, or their pip freeze / dpkg -l output'));
          return entry.resume();
        }
        if (addWhiteout(this.layer, path)) return entry.resume();
        const want = wantOf(path, entry.type === 'Directory');
        if (want === undefined) return entry.resume();
        if (want === 'marker') {
          this.layer.files.set(path, '');
          return entry.resume();
        }
        if (declared > this.limits.maxTextBytes || (entry.type !== 'File' && entry.type !== 'OldFile')) {
          if (declared > this.limits.maxTextBytes) this.contents.warnings.push(`${this.archive}: ${path} is ${size(declared)}, more than reldiff reads of one metadata file; skipped`);
          return entry.resume();
        }
        const chunks: Buffer[] = [];
        pending.push(new Promise<void>(resolve => {
          entry.on('data', (c: Buffer) => chunks.push(c));
          entry.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            // RECORD is only asked whether it lists compiled modules: its answer is kept, not its text.
            if (want === 'record') {
              if (recordHasNative(text)) this.layer.files.set(path, 'native');
            } else this.layer.files.set(path, text);
            resolve();
          });
        }));
      },
    });
    inner.on('warn', (code: string, message: string) => {
      if (code === 'TAR_BAD_ARCHIVE' || code === 'TAR_ABORT' || code === 'TAR_ENTRY_ERROR') {
        stopWith(fail(this.archive, /Truncated/.test(message) ? `layer ${this.name} is truncated (${message})` : `layer ${this.name} is not a tar archive (${message})`));
      }
    });
    this.innerDone = new Promise<void>((resolve, reject) => {
      inner.on('error', (error: Error) => stopWith(fail(this.archive, `layer ${this.name} is not a readable tar (${error.message})`)));
      inner.on('end', () => {
        Promise.all(pending).then(() => (failure ? reject(failure) : resolve()), reject);
      });
    });
    this.inner = inner;
  }
}
