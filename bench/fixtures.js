// The real lockfiles kept in test/fixtures/lockfiles (gzipped; the README there gives their origin), for the
// parser benchmarks. Same layout as the tests' helper: name the plain file, read the `.gz` beside it.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const FIXTURES = fileURLToPath(new URL('../test/fixtures/lockfiles/', import.meta.url));

export const readFixture = relativePath => gunzipSync(readFileSync(join(FIXTURES, `${relativePath}.gz`))).toString('utf8');

/** A temporary folder with one fixture folder unpacked, for readers that want a path (arborist). */
export function fixtureFolder(relativeDir) {
  const target = join(mkdtempSync(join(tmpdir(), 'reldiff-bench-fixture-')), 'project');
  mkdirSync(target);
  for (const name of readdirSync(join(FIXTURES, relativeDir)).filter(n => n.endsWith('.gz'))) {
    writeFileSync(join(target, name.slice(0, -3)), readFixture(`${relativeDir}/${name.slice(0, -3)}`));
  }
  return target;
}
