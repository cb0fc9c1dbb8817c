// RPM databases in images (issue 17): an rpmdb.sqlite of 1,500 packages with headers of about 20 KB (a large UBI or
// Fedora image's is 20-40 MB), read by reldiff's reader (sql.js, SQLite built to WebAssembly, loaded on first use) and
// by the sqlite3 command in the same run, every blob read whole (length() alone would skip the overflow pages); and
// the same headers as a Berkeley DB Packages file (when db5.3_load is there to write one), read by hand. The figures:
// ratios to sqlite3 reading every blob, and the time beyond starting node.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import initSqlJs from 'sql.js';

const here = dirname(fileURLToPath(import.meta.url));
const work = join(here, '.work', 'rpmdb');
const count = Number(process.env.BENCH_RPMDB_PACKAGES ?? 1500);
const sqlitePath = join(work, `rpmdb-${count}.sqlite`);
const bdbPath = join(work, `Packages-${count}`);

/** A header with name, version, release, arch and a file list's worth of padding (tag 1116, BASENAMES-sized). */
function header(i) {
  const strings = [[1000, `package-${i}`], [1001, `1.${i % 97}.${i % 13}`], [1002, `${1 + (i % 5)}.el9`], [1022, 'x86_64'], [1116, 'f'.repeat(20000 + (i % 7) * 1000)]];
  const data = Buffer.concat(strings.map(([, s]) => Buffer.from(`${s}\0`)));
  const head = Buffer.alloc(8 + 16 * strings.length);
  head.writeUInt32BE(strings.length, 0);
  head.writeUInt32BE(data.length, 4);
  let offset = 0;
  strings.forEach(([tag, s], k) => {
    head.writeUInt32BE(tag, 8 + 16 * k);
    head.writeUInt32BE(6, 12 + 16 * k);
    head.writeUInt32BE(offset, 16 + 16 * k);
    head.writeUInt32BE(1, 20 + 16 * k);
    offset += Buffer.byteLength(s) + 1;
  });
  return Buffer.concat([head, data]);
}

async function writeDatabases() {
  mkdirSync(work, { recursive: true });
  const { Database } = await initSqlJs();
  const db = new Database();
  db.run('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
  for (let i = 0; i < count; i++) db.run('INSERT INTO Packages (blob) VALUES (?)', [header(i)]);
  writeFileSync(`${sqlitePath}.partial`, db.export());
  db.close();
  renameSync(`${sqlitePath}.partial`, sqlitePath);
  if (spawnSync('db5.3_load', ['-V']).status === 0) {
    // db_load -T: one line per key and per value, bytes as \xx escapes; keys are rpm's record numbers (little-endian).
    const hex = b => [...b].map(c => `\\${c.toString(16).padStart(2, '0')}`).join('');
    const key = n => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
    const lines = [hex(key(0)), hex(key(count + 1))];
    for (let i = 0; i < count; i++) lines.push(hex(key(i + 1)), hex(header(i)));
    const r = spawnSync('db5.3_load', ['-T', '-t', 'hash', '-c', 'db_pagesize=4096', `${bdbPath}.partial`], { input: `${lines.join('\n')}\n`, maxBuffer: 1 << 30 });
    if (r.status === 0) renameSync(`${bdbPath}.partial`, bdbPath);
  }
}

if (!existsSync(sqlitePath)) await writeDatabases();

const time = (cmd, args) => {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${(r.stderr ?? '').slice(0, 400)}`);
  return { ms, stderr: r.stderr };
};
const best = runs => runs.reduce((a, b) => (b.ms < a.ms ? b : a));
const three = (cmd, args) => [0, 1, 2].map(() => time(cmd, args));
const reader = (module, fn, isAsync) => `import { readFileSync } from 'node:fs';
import { ${fn} } from ${JSON.stringify(join(here, '../dist/image', module))};
const read = ${isAsync ? 'await ' : ''}${fn}(readFileSync(process.argv[1]), 'rpmdb');
if (read.warnings.length > 0 || read.packages.length !== ${count}) throw new Error('read ' + read.packages.length + ' packages: ' + read.warnings.join('; '));
process.stderr.write('maxRSS=' + process.resourceUsage().maxRSS + '\\n');`;
const rss = runs => Math.max(...runs.map(x => Number(/maxRSS=(\d+)/.exec(x.stderr)?.[1] ?? 0))) / 1024;
const pad = s => s.padEnd(56);

const nodeMs = best(three(process.execPath, ['-e', ''])).ms;
const sqliteRuns = spawnSync('sqlite3', ['-version']).status === 0 ? three('sqlite3', [sqlitePath, "SELECT sum(writefile('/dev/null', blob)) FROM Packages"]) : undefined;
const sqlRuns = three(process.execPath, ['--input-type=module', '-e', reader('rpmdb-sqlite.js', 'readRpmdbSqlite', true), sqlitePath]);
const sqlMs = best(sqlRuns).ms;
console.log(`rpmdb.sqlite: ${(statSync(sqlitePath).size / 1024 / 1024).toFixed(0)} MB, ${count} packages`);
console.log(`${pad('node -e "" (floor: starting node)')}${nodeMs.toFixed(0)} ms`);
if (sqliteRuns) console.log(`${pad('sqlite3: every blob read (floor: native SQLite)')}${best(sqliteRuns).ms.toFixed(0)} ms`);
console.log(`${pad('node + readRpmdbSqlite (loads sql.js)')}${sqlMs.toFixed(0)} ms   ${sqliteRuns ? `${(sqlMs / best(sqliteRuns).ms).toFixed(2)}x sqlite3, ` : ''}${(sqlMs - nodeMs).toFixed(0)} ms beyond node's start; peak ${rss(sqlRuns).toFixed(0)} MB`);
if (existsSync(bdbPath)) {
  const bdbRuns = three(process.execPath, ['--input-type=module', '-e', reader('rpmdb-bdb.js', 'readRpmdbBdb', false), bdbPath]);
  const bdbMs = best(bdbRuns).ms;
  console.log(`${pad(`node + readRpmdbBdb (Packages, ${(statSync(bdbPath).size / 1024 / 1024).toFixed(0)} MB, by hand)`)}${bdbMs.toFixed(0)} ms   ${sqliteRuns ? `${(bdbMs / best(sqliteRuns).ms).toFixed(2)}x sqlite3 on the SQLite form, ` : ''}${(bdbMs - nodeMs).toFixed(0)} ms beyond node's start; peak ${rss(bdbRuns).toFixed(0)} MB`);
} else console.log('Berkeley DB row skipped: db5.3_load (apt-get install db5.3-util) writes the Packages file it reads');
