import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** For one test file: each call writes the bytes to a new file in a temporary folder removed after its tests. */
export function archiveFiles(prefix: string): (bytes: Buffer) => string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  return bytes => {
    const path = join(dir, `image-${n++}.tar`);
    writeFileSync(path, bytes);
    return path;
  };
}
