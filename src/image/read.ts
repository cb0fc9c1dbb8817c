import { open } from 'node:fs/promises';
import { ReldiffError } from '../errors.js';
import type { DependencySet } from '../types.js';
import { mergeLayers } from './layers.js';
import { checkLayers, readLayout } from './layout.js';
import { imageDependencySets } from './packages.js';
import { DEFAULT_IMAGE_LIMITS, looksLikeTar, readImageArchive, type ImageLimits } from './stream.js';
import { MARKERS } from './wanted.js';

const RPM_DATABASE = MARKERS.find(m => m.id === 'rpmdb')?.pattern ?? /$^/;

// `reldiff deps a.tar b.tar`: an image archive read into its dependency sets, one per ecosystem.

export interface ImageSets {
  sets: DependencySet[];
  /** The config blob's digest: the image id `docker images` shows. */
  id: string;
  warnings: string[];
}

/**
 * Whether a file is a tar archive, from its first block (content, not name: `app.tar`, `image`, `x.oci`). A gzip
 * file (`docker save | gzip`) is refused with the fix: its layers cannot be skipped without inflating everything.
 */
export async function isTarFile(path: string, label = path): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, 512, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
      throw new ReldiffError('bad-image', `${label} is gzip-compressed`, `Decompress it first (gunzip -k ${label}); docker save writes an image uncompressed`);
    }
    return looksLikeTar(head.subarray(0, bytesRead));
  } catch (error) {
    if (error instanceof ReldiffError) throw error;
    return false; // a folder opens but cannot be read: the lockfile reader says what it is
  } finally {
    await handle.close();
  }
}

export async function readImage(path: string, label: string, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): Promise<ImageSets> {
  const contents = await readImageArchive(path, limits, label);
  const layout = readLayout(label, contents);
  checkLayers(label, layout, contents);
  const files = mergeLayers(layout.layers.map(l => contents.layers.get(l)).filter(l => l !== undefined));
  const id = layout.configPath.startsWith('blobs/') ? layout.configPath.slice(6).replace('/', ':') : `sha256:${layout.configPath.replace(/\.json$/, '').split('/').pop() ?? ''}`;
  const rpm = [...files.keys()].find(p => RPM_DATABASE.test(p));
  if (rpm) contents.warnings.push(`${label} keeps its OS packages in ${rpm} (RPM), which reldiff does not read yet: only its Python, Node and runtime changes are compared`);
  return { sets: imageDependencySets(files, layout, label), id, warnings: contents.warnings };
}
