import { open } from 'node:fs/promises';
import type { DependencySet } from '../types.js';
import { mergeLayers } from './layers.js';
import { checkLayers, readLayout } from './layout.js';
import { imageDependencySets } from './packages.js';
import { DEFAULT_IMAGE_LIMITS, looksLikeTar, readImageArchive, type ImageLimits } from './stream.js';

// `reldiff deps a.tar b.tar`: an image archive read into its dependency sets, one per ecosystem.

export interface ImageSets {
  sets: DependencySet[];
  /** The config blob's digest: the image id `docker images` shows. */
  id: string;
  warnings: string[];
}

/** Whether a file is a tar archive, from its first block (content, not name: `app.tar`, `image`, `x.oci`). */
export async function isTarFile(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, 512, 0);
    return looksLikeTar(head.subarray(0, bytesRead));
  } catch {
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
  return { sets: imageDependencySets(files, layout, label), id, warnings: contents.warnings };
}
