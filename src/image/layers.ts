// Union of image layers as the container sees it (https://github.com/opencontainers/image-spec/blob/main/layer.md):
// each layer's whiteouts delete from the layers below it, `.wh..wh..opq` empties a folder of everything below,
// then the layer's own files land on top.

/** What one layer holds of the paths reldiff wants (see wanted.ts). */
export interface LayerFiles {
  /** Path -> text of wanted files; markers hold an empty string. */
  files: Map<string, string>;
  /** Paths deleted by `.wh.<name>` entries. */
  whiteouts: string[];
  /** Folders emptied by `.wh..wh..opq`. */
  opaque: string[];
}

export function emptyLayer(): LayerFiles {
  return { files: new Map(), whiteouts: [], opaque: [] };
}

/** Records a whiteout entry; false when `path` is not one. */
export function addWhiteout(layer: LayerFiles, path: string): boolean {
  const slash = path.lastIndexOf('/');
  const dir = slash < 0 ? '' : path.slice(0, slash);
  const name = path.slice(slash + 1);
  if (!name.startsWith('.wh.')) return false;
  if (name === '.wh..wh..opq') layer.opaque.push(dir);
  else layer.whiteouts.push(dir === '' ? name.slice(4) : `${dir}/${name.slice(4)}`);
  return true;
}

/** The path itself and every folder above it, deepest first ('' last: the root). */
function* selfAndParents(path: string): Generator<string> {
  yield path;
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) yield path.slice(0, i);
  yield '';
}

/**
 * The files the last layer shows, lowest layer first in `layers`. Each kept path looks its own folders up in the
 * layer's whiteouts (a set), so a layer with 100,000 whiteouts costs the depth of each path, not a scan per whiteout.
 */
export function mergeLayers(layers: readonly LayerFiles[]): Map<string, string> {
  const merged = new Map<string, string>();
  for (const layer of layers) {
    if (layer.whiteouts.length > 0 || layer.opaque.length > 0) {
      const gone = new Set(layer.whiteouts);
      const emptied = new Set(layer.opaque);
      for (const path of [...merged.keys()]) {
        let isFirst = true;
        for (const p of selfAndParents(path)) {
          // An opaque folder hides what is below it, not the folder itself.
          if ((p !== '' && gone.has(p)) || (!isFirst && emptied.has(p))) {
            merged.delete(path);
            break;
          }
          isFirst = false;
        }
      }
    }
    for (const [path, text] of layer.files) merged.set(path, text);
  }
  return merged;
}
