import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stampOf, traceReads } from './read-trace.js';

describe('traceReads', () => {
  it('stamps every path read through node:fs, named ES imports included, before the read, and stops when told', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reldiff-trace-'));
    try {
      const present = join(dir, 'config.json');
      const absent = join(dir, 'absent.json');
      const ignored = join(dir, 'ignored.json');
      writeFileSync(present, '{}');
      writeFileSync(ignored, '{}');
      const before = stampOf(present);
      const trace = traceReads(p => resolve(dir, p), p => p === ignored);
      await readFile(present, 'utf8');
      await readFile(absent, 'utf8').catch(() => undefined);
      await readFile(ignored, 'utf8');
      writeFileSync(present, '{"changed": true}');
      trace.stop();
      await readFile(join(dir, 'after-stop.json')).catch(() => undefined);
      expect(trace.stamps()).toEqual([[absent, 'missing:ENOENT'], [present, before]]);
      // The write after the read changes the stamp: a later run would compute again.
      expect(stampOf(present)).not.toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
