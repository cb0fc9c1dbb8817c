import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

// Real lockfiles copied into the project (test/fixtures/lockfiles/README.md gives each one's origin), stored
// gzipped to keep the checkout small. Tests name them by their plain path; this reads the `.gz` beside it.

export const LOCKFILE_FIXTURES = fileURLToPath(new URL('../fixtures/lockfiles/', import.meta.url));

/** The text of `<format>/<owner>__<repo>@<tag>/<file>` under test/fixtures/lockfiles. */
export function readFixture(relativePath: string): string {
  return gunzipSync(readFileSync(join(LOCKFILE_FIXTURES, `${relativePath}.gz`))).toString('utf8');
}

const unpacked = new Map<string, string>();

/** A temporary folder holding one fixture folder's files unpacked, for readers that want a path (arborist). */
export function fixtureFolder(relativeDir: string): string {
  const known = unpacked.get(relativeDir);
  if (known) return known;
  const target = join(mkdtempSync(join(tmpdir(), 'reldiff-fixture-')), 'project');
  mkdirSync(target);
  for (const name of readdirSync(join(LOCKFILE_FIXTURES, relativeDir))) {
    if (!name.endsWith('.gz')) continue;
    writeFileSync(join(target, name.slice(0, -3)), readFixture(`${relativeDir}/${name.slice(0, -3)}`));
  }
  unpacked.set(relativeDir, target);
  return target;
}
