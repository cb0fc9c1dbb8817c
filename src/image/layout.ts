import { posix } from 'node:path';
import { ReldiffError } from '../errors.js';
import type { ArchiveContents } from './stream.js';

// Which blobs make the image, in which order: `manifest.json` of `docker save`
// (https://github.com/moby/docker-image-spec/blob/main/spec.md) or `index.json` of an OCI image layout
// (https://github.com/opencontainers/image-spec/blob/main/image-layout.md), through the archive's own symlinks.

export interface ImageConfig {
  env: string[];
  labels: Record<string, string>;
  history: { createdBy: string; isEmpty: boolean }[];
}

export interface ImageLayout {
  /** The config blob's path: its digest is the image id. */
  configPath: string;
  config: ImageConfig;
  /** Layer blob paths, lowest first. */
  layers: string[];
  annotations: Record<string, string>;
  tags: string[];
}

const MAX_LINK_HOPS = 40;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
const stringMap = (v: unknown): Record<string, string> =>
  (isRecord(v) ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string')) : {});

function bad(archive: string, what: string): ReldiffError {
  return new ReldiffError('bad-image', `${archive}: ${what}`, 'Give an archive written by docker save, podman save or an OCI tool (skopeo copy oci-archive:...)');
}

/** A path of the archive after its symlinks, refusing a loop or a link out of the archive. */
export function resolveLink(archive: string, path: string, links: ReadonlyMap<string, string>): string {
  let current = posix.normalize(path);
  for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
    const target = links.get(current);
    if (target === undefined) return current;
    current = posix.normalize(target.startsWith('/') ? target.slice(1) : posix.join(posix.dirname(current), target));
    if (current.startsWith('../')) throw bad(archive, `${path} links outside the archive (${target})`);
  }
  throw bad(archive, `${path} is a symbolic link loop`);
}

function parseJson(archive: string, contents: ArchiveContents, path: string, what: string): unknown {
  const real = resolveLink(archive, path, contents.links);
  const text = contents.json.get(real);
  if (text === undefined) throw bad(archive, `${what} ${path} is missing from the archive`);
  try {
    return JSON.parse(text);
  } catch {
    throw bad(archive, `${what} ${path} is not valid JSON`);
  }
}

const blobPath = (digest: string): string => `blobs/${digest.replace(':', '/')}`;

function readConfig(value: unknown): ImageConfig {
  const root = isRecord(value) ? value : {};
  const config = isRecord(root['config']) ? root['config'] : {};
  const history = Array.isArray(root['history']) ? root['history'] : [];
  return {
    env: strings(config['Env']),
    labels: stringMap(config['Labels']),
    history: history.filter(isRecord).map(h => ({ createdBy: typeof h['created_by'] === 'string' ? h['created_by'] : '', isEmpty: h['empty_layer'] === true })),
  };
}

export function readLayout(archive: string, contents: ArchiveContents): ImageLayout {
  const warnings = contents.warnings;
  if (contents.json.has('manifest.json')) {
    const manifest = parseJson(archive, contents, 'manifest.json', 'the manifest');
    const images = Array.isArray(manifest) ? manifest.filter(isRecord) : [];
    const first = images[0];
    if (!first || typeof first['Config'] !== 'string') throw bad(archive, 'manifest.json names no image (no Config)');
    if (images.length > 1) warnings.push(`${archive} holds ${images.length} images; compared the first (${strings(first['RepoTags'])[0] ?? 'untagged'})`);
    const configPath = resolveLink(archive, first['Config'], contents.links);
    return { configPath, config: readConfig(parseJson(archive, contents, configPath, 'the image config')),
      layers: strings(first['Layers']).map(l => resolveLink(archive, l, contents.links)), annotations: {}, tags: strings(first['RepoTags']) };
  }
  if (contents.json.has('index.json')) return readOciIndex(archive, contents, parseJson(archive, contents, 'index.json', 'the index'), 0, {});
  throw bad(archive, 'is a tar archive but not an image (no manifest.json or index.json at its top)');
}

function readOciIndex(archive: string, contents: ArchiveContents, index: unknown, depth: number, annotations: Record<string, string>): ImageLayout {
  const manifests = isRecord(index) && Array.isArray(index['manifests']) ? index['manifests'].filter(isRecord) : [];
  // Attestation manifests carry platform unknown/unknown; the image is the first real platform.
  const pick = manifests.find(m => !(isRecord(m['platform']) && m['platform']['os'] === 'unknown')) ?? manifests[0];
  if (!pick || typeof pick['digest'] !== 'string' || depth > 4) throw bad(archive, 'index.json names no image manifest');
  const own = { ...annotations, ...stringMap(pick['annotations']) };
  const manifest = parseJson(archive, contents, blobPath(pick['digest']), 'the manifest');
  if (isRecord(manifest) && Array.isArray(manifest['manifests'])) return readOciIndex(archive, contents, manifest, depth + 1, own);
  const config = isRecord(manifest) && isRecord(manifest['config']) ? manifest['config']['digest'] : undefined;
  if (typeof config !== 'string') throw bad(archive, `manifest ${pick['digest']} names no config`);
  const layers = isRecord(manifest) && Array.isArray(manifest['layers']) ? manifest['layers'].filter(isRecord) : [];
  const configPath = resolveLink(archive, blobPath(config), contents.links);
  return {
    configPath, config: readConfig(parseJson(archive, contents, configPath, 'the image config')),
    layers: layers.map(l => resolveLink(archive, blobPath(typeof l['digest'] === 'string' ? l['digest'] : ''), contents.links)),
    annotations: { ...own, ...(isRecord(manifest) ? stringMap(manifest['annotations']) : {}) },
    tags: own['org.opencontainers.image.ref.name'] ? [own['org.opencontainers.image.ref.name']] : [],
  };
}

/** Every layer the layout names must have been read as a tar: one that is not is an error, never a gap. */
export function checkLayers(archive: string, layout: ImageLayout, contents: ArchiveContents): void {
  for (const layer of layout.layers) {
    if (contents.layers.has(layer)) continue;
    if (contents.other.has(layer) || contents.json.has(layer)) throw bad(archive, `layer ${layer} is not a tar archive (neither gzip nor tar)`);
    throw bad(archive, `layer ${layer} is missing from the archive`);
  }
}
