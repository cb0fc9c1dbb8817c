import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { zstdBytes } from '../../test/helpers/image-archive.js';
import { createZstdDecompress } from './zstd.js';

/** Inflates `bytes` fed in chunks of `chunk` bytes (frame and block headers split across chunks). */
const inflate = (bytes: Buffer, chunk = 7, maxWindow?: number): Promise<Buffer> => {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
  return buffer(Readable.from(parts).pipe(createZstdDecompress(maxWindow)));
};

const sample = Buffer.concat([Buffer.from('header text '.repeat(50)), Buffer.alloc(300 * 1024, 0x61), Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251))]);

describe('zstd layers', () => {
  it('inflates raw and RLE blocks over several frames, past a skippable frame, whatever the chunking', async () => {
    expect((await inflate(zstdBytes(sample))).equals(sample)).toBe(true);
    expect((await inflate(zstdBytes(sample, { skippable: true, frames: 3 }), 1000)).equals(sample)).toBe(true);
    expect((await inflate(zstdBytes(sample, { frames: 2 }), 1)).equals(sample)).toBe(true);
  });

  it('refuses a frame asking for a window over the limit before the decoder allocates it', async () => {
    const huge = zstdBytes(Buffer.from('x'), { windowLog: 31 });
    await expect(inflate(huge)).rejects.toThrow('has a frame whose window is 2.0 GB, over the 128 MB reldiff decodes');
    // The second frame, not only the first, is checked.
    const second = Buffer.concat([zstdBytes(sample), huge]);
    await expect(inflate(second, 4096)).rejects.toThrow(/window is 2\.0 GB/);
    await expect(inflate(zstdBytes(sample, { windowLog: 20 }), 64, 512 * 1024)).rejects.toThrow(/window is 1 MB, over the 524288 bytes/);
  });

  it('refuses a cut stream and bytes that are not zstd', async () => {
    const whole = zstdBytes(sample);
    await expect(inflate(whole.subarray(0, whole.length - 100))).rejects.toThrow(/is truncated/);
    await expect(inflate(Buffer.concat([whole, Buffer.from('not zstd at all')]))).rejects.toThrow(/is not a zstd frame/);
    const reserved = Buffer.from(whole);
    reserved[6] = (reserved[6] as number) | 0b110;
    await expect(inflate(reserved)).rejects.toThrow(/reserved type/);
  });
});
