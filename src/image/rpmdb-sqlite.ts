// https://github.com/rpm-software-management/rpm/blob/master/lib/backend/sqlite.c : rpm >= 4.16 keeps one row per
// installed package in `Packages (hnum INTEGER PRIMARY KEY, blob BLOB)`, the blob an RPM header (rpm-header.ts).
import type { SqlJsStatic } from 'sql.js';
import { addRpmHeader, type RpmdbRead } from './rpm-header.js';

/** SQLite's own signature: bytes that lack it are no database, and sql.js is not even loaded for them. */
const SQLITE_MAGIC = 'SQLite format 3\0';

// sql.js compiles a 600 KB wasm module: loaded the first time an image has an rpmdb.sqlite, never on other runs.
let sqlJs: Promise<SqlJsStatic> | undefined;
export const loadSqlJs = (): Promise<SqlJsStatic> => (sqlJs ??= import('sql.js').then(m => m.default()));

/**
 * The installed packages of an rpmdb.sqlite (`source`: its path in the image, for installPath and messages).
 * A file that is no database, or a header that lies about its sizes, is a warning: the rest is still read.
 */
export async function readRpmdbSqlite(bytes: Uint8Array, source: string): Promise<RpmdbRead> {
  const warnings: string[] = [];
  if (Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(16, bytes.length)).toString('latin1') !== SQLITE_MAGIC) {
    return { packages: [], warnings: [`${source} is not an SQLite database; its RPM packages are not compared`] };
  }
  const { Database } = await loadSqlJs();
  let db;
  const read: RpmdbRead = { packages: [], warnings };
  try {
    db = new Database(bytes);
    const rows = db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum');
    try {
      while (rows.step()) {
        const [hnum, blob] = rows.get();
        if (blob instanceof Uint8Array) addRpmHeader(read, String(hnum), blob, source);
      }
    } finally {
      rows.free();
    }
  } catch (error) {
    // Half a database would report the other half as removed: nothing is compared instead.
    read.packages = [];
    warnings.push(`${source} could not be read as an RPM database (${(error as Error).message}); its RPM packages are not compared`);
  } finally {
    db?.close();
  }
  return read;
}
