// Image archives (issue 17): a docker save archive of about 1 GB (BENCH_IMAGE_MB to change it) whose layers hold
// 3,000 package metadata files among large binaries, read by `reldiff deps` and listed by `tar -tf` on the same
// file in the same run. The figures: reldiff's time as a ratio to tar's, and reldiff's peak resident memory.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Header } from 'tar';

const here = dirname(fileURLToPath(import.meta.url));
const work = join(here, '.work', 'image');
const targetMb = Number(process.env.BENCH_IMAGE_MB ?? 1024);
// BENCH_IMAGE_GZIP=1: the same layers gzip-compressed (level 1), as registries and containerd keep them;
// BENCH_IMAGE_ZSTD=1: zstd-compressed (level 1, as buildx compression=zstd writes them; needs the zstd command).
const isGzip = process.env.BENCH_IMAGE_GZIP === '1';
const isZstd = !isGzip && process.env.BENCH_IMAGE_ZSTD === '1';
const codec = isGzip ? 'gzip' : isZstd ? 'zstd' : undefined;
if (isZstd && spawnSync('zstd', ['--version']).status !== 0) {
  console.error('BENCH_IMAGE_ZSTD=1 needs the zstd command (apt-get install zstd)');
  process.exit(2);
}
const archive = join(work, `image-${targetMb}mb${codec ? `-${codec}` : ''}.tar`);
// How GNU tar lists a layer of this codec: -tf, -tzf, or through zstd (tar's --zstd runs the same command).
const listFlags = isGzip ? '-tzf' : isZstd ? '--zstd -tf' : '-tf';

const pad = n => (512 - (n % 512)) % 512;
const header = (path, size, type = 'File') => {
  const block = Buffer.alloc(512);
  new Header({ path, size, type, mode: 0o644, mtime: new Date(0) }).encode(block, 0);
  return block;
};
const tarSize = entries => entries.reduce((sum, e) => sum + 512 + e.size + pad(e.size), 0) + 1024;

// Filler bytes: one pseudo-random megabyte, repeated (the reader skips them either way; tar must not see zeros).
const filler = Buffer.alloc(1024 * 1024);
for (let i = 0, x = 2463534242; i < filler.length; i++) {
  x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
  filler[i] = x & 0xff;
}

function layers() {
  const site = 'usr/local/lib/python3.12/site-packages';
  const meta = [];
  const dpkg = Array.from({ length: 400 }, (_, i) => `Package: lib${i}\nStatus: install ok installed\nVersion: 1.${i}-1\n`).join('\n');
  meta.push({ path: 'var/lib/dpkg/status', body: Buffer.from(dpkg) });
  for (let i = 0; i < 1500; i++) {
    meta.push({ path: `${site}/pkg${i}-1.0.${i}.dist-info/METADATA`, body: Buffer.from(`Metadata-Version: 2.1\nName: pkg${i}\nVersion: 1.0.${i}\n\n${'Long description. '.repeat(100)}\n`) });
    meta.push({ path: `${site}/pkg${i}-1.0.${i}.dist-info/RECORD`, body: Buffer.from(`pkg${i}/__init__.py,sha256=x,10\n`.repeat(20)) });
  }
  // 3,000 metadata files so far with the dpkg status; the npm ones make it 3,000 without RECORDs counted twice.
  for (let i = 0; i < 1499; i++) meta.push({ path: `app/node_modules/npm-pkg-${i}/package.json`, body: Buffer.from(JSON.stringify({ name: `npm-pkg-${i}`, version: `2.${i}.0` })) });
  for (const e of meta) e.size = e.body.length;
  const metaBytes = tarSize(meta);
  const blobBytes = Math.max(0, targetMb * 1024 * 1024 - metaBytes);
  // Binaries of 1 to 16 MB, as shared libraries and wheels' .so files are, plus many small source files.
  const bulk = [];
  let left = blobBytes;
  for (let i = 0; left > 0; i++) {
    const size = Math.min(left, (1 + (i % 16)) * 1024 * 1024);
    bulk.push({ path: `usr/lib/x86_64-linux-gnu/lib-bulk-${i}.so`, size });
    left -= size + 1024;
  }
  const small = Array.from({ length: 20000 }, (_, i) => ({ path: `${site}/pkg${i % 1500}/mod${i}.py`, size: 2000 }));
  const half = Math.floor(bulk.length / 2);
  return [[...bulk.slice(0, half), meta[0]], [...meta.slice(1, 3001), ...small], [...bulk.slice(half), ...meta.slice(3001)]];
}

/** One layer's tar bytes, written through `write` (to the archive, or into gzip). */
function writeLayer(entries, write) {
  for (const e of entries) {
    write(header(e.path, e.size));
    if (e.body) write(e.body);
    else for (let left = e.size; left > 0; left -= filler.length) write(left >= filler.length ? filler : filler.subarray(0, left));
    write(Buffer.alloc(pad(e.size)));
  }
  write(Buffer.alloc(1024));
}

function compressedLayer(entries) {
  const path = join(work, 'layer.tar.compressed.tmp');
  const fd = openSync(`${path}.raw`, 'w');
  writeLayer(entries, b => writeSync(fd, b));
  closeSync(fd);
  spawnSync('sh', ['-c', `${isGzip ? 'gzip -1' : 'zstd -q -1'} -c '${path}.raw' > '${path}' && rm '${path}.raw'`]);
  return path;
}

function writeArchive() {
  mkdirSync(work, { recursive: true });
  const fd = openSync(`${archive}.partial`, 'w');
  const list = layers();
  const ids = list.map((_, i) => `${String(i).padStart(64, '0')}`);
  list.forEach((entries, i) => {
    if (codec) {
      const gz = compressedLayer(entries);
      const size = statSync(gz).size;
      writeSync(fd, header(`${ids[i]}/layer.tar`, size));
      writeSync(fd, readFileSync(gz));
      writeSync(fd, Buffer.alloc(pad(size)));
      return;
    }
    writeSync(fd, header(`${ids[i]}/layer.tar`, tarSize(entries)));
    writeLayer(entries, b => writeSync(fd, b));
    writeSync(fd, Buffer.alloc(pad(tarSize(entries))));
  });
  const config = Buffer.from(JSON.stringify({ config: { Env: ['PYTHON_VERSION=3.12.1'] }, history: [] }));
  writeSync(fd, header('config.json', config.length));
  writeSync(fd, config);
  writeSync(fd, Buffer.alloc(pad(config.length)));
  const manifest = Buffer.from(JSON.stringify([{ Config: 'config.json', RepoTags: ['bench:1'], Layers: ids.map(id => `${id}/layer.tar`) }]));
  writeSync(fd, header('manifest.json', manifest.length));
  writeSync(fd, manifest);
  writeSync(fd, Buffer.alloc(pad(manifest.length) + 1024));
  closeSync(fd);
  spawnSync('mv', [`${archive}.partial`, archive]);
}

if (!existsSync(archive)) writeArchive();
const mb = statSync(archive).size / (1024 * 1024);

const time = (cmd, args) => {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: work, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 400)}`);
  return { ms, stderr: r.stderr, stdout: r.stdout };
};

// Warm the page cache once for both, then take the best of three runs each.
time('tar', ['-tf', archive]);
const best = runs => runs.reduce((a, b) => (b.ms < a.ms ? b : a));
const three = (cmd, args) => [0, 1, 2].map(() => time(cmd, args));
const readOne = `import { readImage } from ${JSON.stringify(join(here, '../dist/image/read.js'))};
const image = await readImage(process.argv[1], 'a.tar');
process.stderr.write('packages=' + image.sets.reduce((n, s) => n + s.packages.length, 0) + ' maxRSS=' + process.resourceUsage().maxRSS + '\\n');`;
const tarRuns = three('tar', ['-tf', archive]);
const catRuns = three('sh', ['-c', `cat '${archive}' > /dev/null`]);
const nodeRuns = three(process.execPath, ['-e', '']);
// tar -tf lists the archive's few top entries and seeks over the layers; listing what the layers hold as GNU tar
// would (every layer piped through tar -t) is the floor of reading every header, as reldiff must.
const layerNames = tarRuns[0].stdout.split('\n').filter(l => l.endsWith('/layer.tar'));
const listAll = `${layerNames.map(l => `tar -xOf '${archive}' '${l}' | tar ${listFlags} - > /dev/null`).join(' && ')}`;
const listRuns = three('sh', ['-c', listAll]);
// The same layers as files of their own (extracted once, not timed): tar -tf on each seeks over the bodies of a plain
// layer as reldiff does, and inflates a gzip or zstd one, so this is the floor of reading every header at seek (plain)
// or inflate (gzip: zlib; zstd: the C zstd, where reldiff has fzstd in JavaScript) speed, with one tar process per
// layer as reldiff has one node for them all.
const layerDir = `${archive}.layers`;
if (!existsSync(layerDir)) {
  mkdirSync(`${layerDir}.partial`, { recursive: true });
  spawnSync('tar', ['-xf', archive, '-C', `${layerDir}.partial`]);
  spawnSync('mv', [`${layerDir}.partial`, layerDir]);
}
const layerFiles = layerNames.map(l => `'${join(layerDir, l)}'`);
const seekRuns = three('sh', ['-c', `tar -tf '${archive}' > /dev/null && ${layerFiles.map(f => `tar ${listFlags} ${f} > /dev/null`).join(' && ')}`]);
const oneRuns = three(process.execPath, ['--input-type=module', '-e', readOne, archive]);
const cliRuns = three(process.execPath, [join(here, 'measure.js'), 'deps', '--offline', '--format', 'json', archive, archive]);
const [tarMs, catMs, nodeMs, oneMs, cliMs, listMs, seekMs] = [tarRuns, catRuns, nodeRuns, oneRuns, cliRuns, listRuns, seekRuns].map(runs => best(runs).ms);
const rssOf = runs => Math.max(...runs.map(x => Number(/maxRSS=(\d+)/.exec(x.stderr)?.[1] ?? 0))) / 1024;
const packages = /packages=(\d+)/.exec(oneRuns[0].stderr)?.[1];
const pad2 = s => s.padEnd(58);
const layerKind = isGzip ? '3 gzip layers (as registries keep them)' : isZstd ? '3 zstd layers (buildx compression=zstd)' : '3 plain layers (as docker save writes them)';
console.log(`archive: ${mb.toFixed(0)} MB, ${layerKind}, 3,000 metadata files, 20,000 small files, large binaries`);
console.log(`${pad2('tar -tf a.tar (floor)')}${tarMs.toFixed(0)} ms`);
console.log(`${pad2('cat a.tar > /dev/null (floor: every byte)')}${catMs.toFixed(0)} ms`);
console.log(`${pad2('tar -t of every layer (floor: every header)')}${listMs.toFixed(0)} ms`);
console.log(`${pad2(`tar -tf a.tar, then tar ${listFlags} each layer file (${codec ? 'inflating' : 'seeking'})`)}${seekMs.toFixed(0)} ms`);
console.log(`${pad2('node -e "" (floor: starting node)')}${nodeMs.toFixed(0)} ms`);
console.log(`${pad2(`read one archive (node + readImage, ${packages} packages)`)}${oneMs.toFixed(0)} ms   ${(oneMs / tarMs).toFixed(2)}x tar -tf, ${((oneMs - nodeMs) / tarMs).toFixed(2)}x without node's start (target <= 1.5x); ${(oneMs / listMs).toFixed(2)}x tar -t of every layer`);
console.log(`${pad2('')}${' '.repeat(oneMs.toFixed(0).length)}      ${(oneMs / seekMs).toFixed(2)}x tar ${listFlags} of each layer file, ${((oneMs - nodeMs) / seekMs).toFixed(2)}x without node's start`);
if (isGzip) console.log('gzip layers cannot be skipped: every compressed byte is inflated (by zlib, as tar -tzf does), so their floor is inflate speed, not seek speed');
else if (isZstd) console.log('zstd layers cannot be skipped either: reldiff inflates them with fzstd (JavaScript; Node 20 has no zstd), tar with the C zstd');
else console.log('tar -tf a.tar lists the archive\'s few top entries and seeks over whole layers; reldiff must read every header inside them');
console.log(`${pad2('reldiff deps a.tar a.tar (whole CLI, both sides)')}${cliMs.toFixed(0)} ms   ${(cliMs / (2 * tarMs)).toFixed(2)}x two tar -tf`);
console.log(`${pad2('peak memory, one archive / whole CLI (maxRSS)')}${rssOf(oneRuns).toFixed(0)} MB / ${rssOf(cliRuns).toFixed(0)} MB (target < 150 MB)`);
