import { createGzip } from 'node:zlib';
import { Header } from 'tar';

// Issue 12, item 10: a small .tgz that inflates to far more than it weighs, built at test time.

/** A gzipped tarball with one entry of `size` zero bytes (after `files`): 300 MB of zeros gzip to about 300 KB. */
export async function zeroBomb(size: number, files: Record<string, string> = {}): Promise<Buffer> {
  const gz = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise(resolve => gz.on('end', resolve));
  const entry = (path: string, length: number): void => {
    const h = new Header({ path, size: length, type: 'File', mode: 0o644, mtime: new Date(0) });
    h.encode();
    gz.write(h.block);
  };
  for (const [path, text] of Object.entries(files)) {
    const body = Buffer.from(text);
    entry(path, body.length);
    gz.write(Buffer.concat([body, Buffer.alloc((512 - (body.length % 512)) % 512)]));
  }
  entry('package/big.bin', size);
  const zero = Buffer.alloc(1 << 20);
  for (let left = size; left > 0; left -= zero.length) gz.write(left >= zero.length ? zero : zero.subarray(0, left));
  gz.end(Buffer.alloc(1024 + ((512 - (size % 512)) % 512)));
  await ended;
  return Buffer.concat(out);
}
