import { open, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { ReldiffError } from '../errors.js';
import type { DependencySet, LockedPackage } from '../types.js';
import { readGzipArchive } from './gzip-archive.js';
import { mergeLayers } from './layers.js';
import { checkLayers, configId, readLayout } from './layout.js';
import { imageDependencySets } from './packages.js';
import { readRpmdbBdb } from './rpmdb-bdb.js';
import { readRpmdbSqlite } from './rpmdb-sqlite.js';
import { DEFAULT_IMAGE_LIMITS, looksLikeTar, readImageArchive, readImageFolder, type ImageLimits } from './stream.js';
import { MARKERS, RPMDB_BDB, RPMDB_SQLITE } from './wanted.js';

const RPM_DATABASE = MARKERS.find(m => m.id === 'rpmdb')?.pattern ?? /$^/;

// `reldiff deps a.tar b.tar`: an image archive read into its dependency sets, one per ecosystem.

export interface ImageSets {
  sets: DependencySet[];
  /** The config blob's digest: the image id `docker images` shows. */
  id: string;
  warnings: string[];
}

/**
 * Whether a path is an image: an OCI layout folder, or a file that is a tar archive, from its first block (content, not name: `app.tar`, `image`, `x.oci`), plain or
 * gzip-compressed (`docker save | gzip`); a gzip file that holds no tar is refused with the fix.
 */
export async function isTarFile(path: string, label = path): Promise<boolean> {
  // `skopeo copy ... oci:dir` writes the layout as a folder: read in place, blob by blob.
  if (await isOciLayoutFolder(path)) return true;
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (isGzip(head.subarray(0, bytesRead))) {
      // `docker save | gzip`: the first inflated block tells a compressed image from any other gzip file.
      if (looksLikeTar(inflatedHead(head.subarray(0, bytesRead)))) return true;
      throw new ReldiffError('bad-image', `${label} is gzip-compressed and holds no tar archive`, `Decompress it first (gunzip -k ${label}) and compare what it holds`);
    }
    return looksLikeTar(head.subarray(0, bytesRead));
  } catch (error) {
    if (error instanceof ReldiffError) throw error;
    return false; // a folder opens but cannot be read: the lockfile reader says what it is
  } finally {
    await handle.close();
  }
}

async function isOciLayoutFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory() && (await stat(join(path, 'oci-layout'))).isFile();
  } catch {
    return false;
  }
}

const isGzip = (b: Buffer): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

function inflatedHead(compressed: Buffer): Buffer {
  try {
    return gunzipSync(compressed, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    return Buffer.alloc(0);
  }
}

async function isGzipFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return isGzip(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * `reldiff deps a.tar#app:1 b.tar`: an argument names a file, and after its last `#` which image of an archive
 * that holds several (`docker save a:1 b:2`). A file whose own name has a `#` is that file.
 */
export async function imageArgument(cwd: string, argument: string): Promise<{ path: string; pick?: string }> {
  const hash = argument.lastIndexOf('#');
  if (hash <= 0 || await exists(resolve(cwd, argument))) return { path: argument };
  const path = argument.slice(0, hash);
  const pick = argument.slice(hash + 1);
  // Neither exists: the whole argument is the path that cannot be read, and says so.
  if (!(await exists(resolve(cwd, path)))) return { path: argument };
  if (pick === '') throw new ReldiffError('missing-argument', `${argument} ends in # with no image after it`, `Name the image to compare, e.g. ${path}#app:1, or leave the # out`);
  return { path, pick };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** `pick`: which image of several (a tag or an id prefix); see imageArgument. */
export async function readImage(path: string, label: string, limits: ImageLimits = DEFAULT_IMAGE_LIMITS, pick?: string): Promise<ImageSets> {
  const contents = await isOciLayoutFolder(path) ? await readImageFolder(path, limits, label)
    : await isGzipFile(path) ? await readGzipArchive(path, limits, label) : await readImageArchive(path, limits, label);
  const layout = readLayout(label, contents, pick);
  checkLayers(label, layout, contents);
  const files = mergeLayers(layout.layers.map(l => contents.layers.get(l)).filter(l => l !== undefined));
  const id = configId(layout.configPath);
  const unread = [...files.keys()].find(p => RPM_DATABASE.test(p));
  if (unread) {
    contents.warnings.push(`${label} keeps its OS packages in ${unread} (RPM's NDB, as SUSE writes it), which reldiff does not read yet: only its Python, Node and runtime changes are compared`);
  }
  const rpm = await readRpmPackages(files, label, contents.warnings);
  return { sets: imageDependencySets(files, layout, label, rpm), id, warnings: contents.warnings };
}

async function readRpmPackages(files: ReadonlyMap<string, string>, label: string, warnings: string[]): Promise<LockedPackage[]> {
  // SQLite first: an image rebuilt after rpm 4.16 may still hold the old Packages beside it. usr/lib/sysimage/rpm
  // sorts first: where rpm >= 4.17 keeps it, var/lib/rpm a link there or a leftover.
  const paths = [...files.keys()];
  const sqlite = paths.filter(p => RPMDB_SQLITE.test(p)).sort()[0];
  const path = sqlite ?? paths.filter(p => RPMDB_BDB.test(p)).sort()[0];
  const text = path === undefined ? undefined : files.get(path);
  if (path === undefined || text === undefined) return [];
  const bytes = Buffer.from(text, 'latin1');
  const read = sqlite ? await readRpmdbSqlite(bytes, path) : readRpmdbBdb(bytes, path);
  warnings.push(...read.warnings.map(w => `${label}: ${w}`));
  return read.packages;
}
