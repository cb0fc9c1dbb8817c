import { Transform, type TransformCallback } from 'node:stream';
import { Decompress } from 'fzstd';
import { sizeText } from './collect.js';

// zstd layers (application/vnd.oci.image.layer.v1.tar+zstd, buildx compression=zstd) inflated as a stream by
// fzstd, a pure-JS decoder: Node 20 has no zstd of its own. fzstd allocates each frame's window as the frame header
// declares it (up to 2 GB), so every frame header is read here first, and a window over the limit is refused before
// the decoder sees it (https://datatracker.ietf.org/doc/html/rfc8878#section-3.1.1).

/** The largest window a frame may ask for: the zstd CLI's own default decoding limit (--memory=128MB). */
const MAX_ZSTD_WINDOW = 128 * 1024 * 1024;

const ZSTD_MAGIC = 0xfd2fb528;
const isSkippable = (magic: number): boolean => (magic & 0xfffffff0) >>> 0 === 0x184d2a50;

export class ZstdError extends Error {}

/**
 * Follows the frame structure of a zstd stream without decoding it: frame headers (window size), block headers
 * (their sizes say where the next one is), checksums and skippable frames (zstd:chunked keeps its table of contents
 * in one). Throws a ZstdError on a frame that is not zstd or asks for too large a window.
 */
class ZstdFrameGuard {
  private skip = 0;
  private inFrame = false;
  private hasChecksum = false;
  private head: number[] = [];

  constructor(private readonly maxWindow = MAX_ZSTD_WINDOW) {}

  check(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        continue;
      }
      while (i < chunk.length && this.head.length < this.need()) this.head.push(chunk[i++] as number);
      if (this.head.length < this.need()) return;
      if (this.inFrame) this.block();
      else this.frame();
      this.head = [];
    }
  }

  /** Whether the stream so far ends between frames (a cut stream ends inside one). */
  get isBetweenFrames(): boolean {
    return !this.inFrame && this.skip === 0 && this.head.length === 0;
  }

  /** Bytes of the header being read: a block's 3, a skippable frame's 8, a frame's 6 to 18 (told by its 5th byte). */
  private need(): number {
    const h = this.head;
    if (this.inFrame) return 3;
    if (h.length < 5) return 5;
    const magic = le(h, 0, 4);
    if (isSkippable(magic)) return 8;
    if (magic !== ZSTD_MAGIC) throw new ZstdError('is not a zstd frame');
    const fhd = h[4] as number;
    const single = (fhd >> 5) & 1;
    return 5 + (single ? 0 : 1) + ([0, 1, 2, 4][fhd & 3] as number) + contentSizeBytes(fhd);
  }

  private frame(): void {
    const h = this.head;
    if (isSkippable(le(h, 0, 4))) {
      this.skip = le(h, 4, 4);
      return;
    }
    const fhd = h[4] as number;
    if ((fhd & 8) !== 0) throw new ZstdError('has a frame header with its reserved bit set');
    const single = (fhd >> 5) & 1;
    let window: number;
    if (single) {
      const at = 5 + ([0, 1, 2, 4][fhd & 3] as number);
      const bytes = contentSizeBytes(fhd);
      window = le(h, at, bytes) + (bytes === 2 ? 256 : 0);
    } else {
      const d = h[5] as number;
      const base = 2 ** (10 + (d >> 3));
      window = base + (base / 8) * (d & 7);
    }
    if (window > this.maxWindow) {
      throw new ZstdError(`has a frame whose window is ${sizeText(window)}, over the ${sizeText(this.maxWindow)} reldiff decodes`);
    }
    this.hasChecksum = ((fhd >> 2) & 1) === 1;
    this.inFrame = true;
  }

  private block(): void {
    const header = le(this.head, 0, 3);
    const type = (header >> 1) & 3;
    if (type === 3) throw new ZstdError('has a block of the reserved type');
    // Raw and compressed blocks hold `size` bytes; an RLE block one byte repeated `size` times.
    this.skip = type === 1 ? 1 : header >>> 3;
    if ((header & 1) === 1) {
      this.inFrame = false;
      if (this.hasChecksum) this.skip += 4;
    }
  }
}

const contentSizeBytes = (fhd: number): number => {
  const flag = fhd >> 6;
  return flag === 0 ? (fhd >> 5) & 1 : (2 ** flag);
};

/** A little-endian unsigned number of `length` bytes (up to 8) at `at`. */
function le(bytes: readonly number[], at: number, length: number): number {
  let n = 0;
  for (let i = length - 1; i >= 0; i--) n = n * 256 + (bytes[at + i] as number);
  return n;
}

/** A Transform that inflates a zstd stream; errors are ZstdErrors. */
export function createZstdDecompress(maxWindow = MAX_ZSTD_WINDOW): Transform {
  const guard = new ZstdFrameGuard(maxWindow);
  let out: Transform | undefined;
  const decoder = new Decompress((data: Uint8Array) => {
    // Wrapped, not copied: in streaming mode fzstd 0.1 hands out a fresh array per block and copies what its window
    // needs into a buffer of its own (the copy was a tenth of a zstd image's read).
    if (data.length > 0) out?.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  });
  const run = (step: () => void, callback: TransformCallback): void => {
    try {
      step();
      callback();
    } catch (error) {
      callback(error instanceof ZstdError ? error : new ZstdError(`is not valid zstd (${(error as Error).message})`));
    }
  };
  out = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      run(() => {
        guard.check(chunk);
        decoder.push(chunk);
      }, callback);
    },
    flush(callback) {
      run(() => {
        if (!guard.isBetweenFrames) throw new ZstdError('is truncated (the stream ends inside a zstd frame)');
        decoder.push(new Uint8Array(0), true);
      }, callback);
    },
  });
  return out;
}
