import { loadSqlJs } from '../../src/image/rpmdb-sqlite.js';
import { rpmPackageBlob, type RpmPackageSpec } from './rpm-header.js';

// An rpmdb.sqlite as rpm >= 4.16 writes it (the Packages table; the index tables rpm keeps beside it are not read),
// built at test time with sql.js.

/** `rows`: header blobs, or package specs turned into blobs. */
export async function rpmdbSqlite(rows: readonly (Buffer | RpmPackageSpec)[]): Promise<Buffer> {
  // The reader's own loader: sql.js's wasm is compiled once a process, not once a database.
  const { Database } = await loadSqlJs();
  const db = new Database();
  try {
    db.run('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
    for (const row of rows) db.run('INSERT INTO Packages (blob) VALUES (?)', [Buffer.isBuffer(row) ? row : rpmPackageBlob(row)]);
    return Buffer.from(db.export());
  } finally {
    db.close();
  }
}
