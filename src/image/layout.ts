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

/** `app:1`, `docker.io/library/app:1` and `app` (`:latest`) name one image, as docker does. */
function normalTag(tag: string): string {
  const name = tag.trim().replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
  return name.includes('@') || name.lastIndexOf(':') > name.lastIndexOf('/') ? name : `${name}:latest`;
}

interface Candidate<T> { tags: string[]; id: string; item: T }

/**
 * The image `pick` names (a tag, or the start of its id) among an archive's several (`docker save a:1 b:2`);
 * without `pick`, the only one. Several and none picked is refused with the names to pick from: comparing the
 * first would be a guess.
 */
function choose<T>(archive: string, candidates: readonly Candidate<T>[], pick: string | undefined): T | undefined {
  const names = candidates.map(c => c.tags[0] ?? `untagged ${c.id.slice(0, 19)}`);
  const list = names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', ');
  if (pick !== undefined) {
    const want = normalTag(pick);
    const id = /^(sha256:)?[0-9a-f]{12,64}$/.test(pick) ? `sha256:${pick.replace(/^sha256:/, '')}` : undefined;
    const found = candidates.find(c => c.tags.some(t => normalTag(t) === want) || (id !== undefined && c.id.startsWith(id)));
    if (!found) throw new ReldiffError('bad-image', `${archive} holds no image ${pick} (it holds ${list})`, `Pick one of them after a #, e.g. ${archive}#${pickName(candidates[0])}`);
    return found.item;
  }
  if (candidates.length > 1) {
    throw new ReldiffError('bad-image', `${archive} holds ${candidates.length} images (${list})`, `Pick the one to compare after a #, e.g. ${archive}#${pickName(candidates[0])}`);
  }
  return candidates[0]?.item;
}

const pickName = (c: Candidate<unknown> | undefined): string => c?.tags[0] ?? c?.id.slice(7, 19) ?? '';

/** The image id a docker save config path names: `<hex>.json` or `blobs/sha256/<hex>`. */
export const configId = (path: string): string => (path.startsWith('blobs/') ? path.slice(6).replace('/', ':') : `sha256:${path.replace(/\.json$/, '').split('/').pop() ?? ''}`);

/** `pick`: which image of an archive that holds several (a tag or an id prefix, from `a.tar#app:1`). */
export function readLayout(archive: string, contents: ArchiveContents, pick?: string): ImageLayout {
  if (contents.json.has('manifest.json')) {
    const manifest = parseJson(archive, contents, 'manifest.json', 'the manifest');
    const images = (Array.isArray(manifest) ? manifest.filter(isRecord) : []).filter(m => typeof m['Config'] === 'string');
    const first = choose(archive, images.map(m => ({ tags: strings(m['RepoTags']), id: configId(String(m['Config'])), item: m })), pick);
    if (!first || typeof first['Config'] !== 'string') throw bad(archive, 'manifest.json names no image (no Config)');
    const configPath = resolveLink(archive, first['Config'], contents.links);
    return { configPath, config: readConfig(parseJson(archive, contents, configPath, 'the image config')),
      layers: strings(first['Layers']).map(l => resolveLink(archive, l, contents.links)), annotations: {}, tags: strings(first['RepoTags']) };
  }
  if (contents.json.has('index.json')) return readOciIndex(archive, contents, parseJson(archive, contents, 'index.json', 'the index'), 0, {}, pick);
  throw bad(archive, 'is a tar archive but not an image (no manifest.json or index.json at its top)');
}

// How OCI layouts name an image: the ref.name annotation (skopeo, buildx), containerd's own (ctr export).
const refNames = (m: Record<string, unknown>): string[] => {
  const a = stringMap(m['annotations']);
  return [a['io.containerd.image.name'], a['org.opencontainers.image.ref.name']].filter((t): t is string => t !== undefined && t !== '');
};

function readOciIndex(archive: string, contents: ArchiveContents, index: unknown, depth: number, annotations: Record<string, string>, chosen?: string): ImageLayout {
  const manifests = isRecord(index) && Array.isArray(index['manifests']) ? index['manifests'].filter(isRecord) : [];
  // Attestation manifests carry platform unknown/unknown; the image is the first real platform.
  const real = manifests.filter(m => !(isRecord(m['platform']) && m['platform']['os'] === 'unknown'));
  // The top index of a layout can name several images by their ref names; the platforms of one image (a nested
  // index, or entries without names) are one image, read at its first real platform.
  const named = depth === 0 ? real.filter(m => refNames(m).length > 0 && typeof m['digest'] === 'string') : [];
  const digests = [...new Set((named.length > 0 ? named : real).map(m => String(m['digest'])))];
  const pick = depth === 0 && (chosen !== undefined || (named.length > 0 && digests.length > 1))
    ? choose(archive, digests.map(d => {
      const same = (named.length > 0 ? named : real).filter(m => m['digest'] === d);
      return { tags: same.flatMap(refNames), id: d, item: same[0] as Record<string, unknown> };
    }), chosen)
    : real[0] ?? manifests[0];
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
