import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareRpm } from '../versions/rpm.js';
import { readRpmHeader } from './rpm-header.js';
import { readRpmdbBdb } from './rpmdb-bdb.js';

// Whatever bytes an image holds where rpm keeps its database, the readers return packages or a warning: never a throw.
const real = readFileSync(new URL('../../test/fixtures/rpmdb/bdb-5.3-two-packages-512.Packages', import.meta.url));
const mutated = fc.array(fc.tuple(fc.nat(real.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }).map(edits => {
  const copy = Buffer.from(real);
  for (const [at, byte] of edits) copy[at] = byte;
  return copy;
});

describe('rpm readers on any bytes', () => {
  it('read a header blob or say why not', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), bytes => {
      const result = readRpmHeader(bytes);
      if (result.ok) expect(result.value.name.length).toBeGreaterThan(0);
      else expect(result.why.length).toBeGreaterThan(0);
    }), { numRuns: 500 });
  });

  it('read a damaged Berkeley DB file into packages or one warning', () => {
    fc.assert(fc.property(mutated, bytes => {
      const read = readRpmdbBdb(bytes, 'var/lib/rpm/Packages');
      for (const p of read.packages) expect(p.name && p.version).toBeTruthy();
      if (read.packages.length === 0) expect(read.warnings.length).toBeGreaterThan(0);
    }), { numRuns: 500 });
  });

  it('order rpm versions totally: antisymmetric and transitive', () => {
    const part = fc.array(fc.constantFrom('1', '2', '10', '0', 'a', 'rc', '.', '_', '~', '^', '+', 'el9'), { minLength: 1, maxLength: 6 }).map(p => p.join(''));
    const evr = fc.tuple(fc.option(fc.constantFrom('0', '1', '2')), part, part).map(([e, v, r]) => `${e === null ? '' : `${e}:`}${v}-${r}`);
    fc.assert(fc.property(evr, evr, evr, (a, b, c) => {
      expect(compareRpm(a, b) + compareRpm(b, a)).toBe(0);
      if (compareRpm(a, b) <= 0 && compareRpm(b, c) <= 0) expect(compareRpm(a, c)).toBeLessThanOrEqual(0);
    }), { numRuns: 1000 });
  });
});
