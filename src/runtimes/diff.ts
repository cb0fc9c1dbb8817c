import { diffDependencySets } from '../deps/diff.js';
import { AttributionWalk, packageStates, type PackageStates } from '../deps/attribute.js';
import type { DependencyChange, FileChange, RepoReader, Sha } from '../types.js';
import { isRuntimeFile, readRuntimePins } from './pins.js';
import { addRuntimeSignals } from './signals.js';

// `reldiff A B`: the runtimes that the changed Dockerfiles, version files, manifests and workflows pin, each file a
// dependency set of ecosystem `runtime`, with the commits that moved each pin (walked through the file's history).

export async function diffRuntimeFiles(reader: RepoReader, from: Sha, to: Sha, files: readonly FileChange[]): Promise<DependencyChange[]> {
  const runtimeFiles = files.filter(f => isRuntimeFile(f.path) && !f.binary && !f.symlink && !f.unreadable && !f.submodule);
  if (runtimeFiles.length === 0) return [];
  // Both sides in two batches: a monorepo release can touch thousands of package.json files.
  const [olds, news] = await Promise.all([
    reader.readFiles(from, runtimeFiles.filter(f => f.status !== 'added').map(f => f.oldPath ?? f.path)),
    reader.readFiles(to, runtimeFiles.filter(f => f.status !== 'deleted').map(f => f.path)),
  ]);
  const all: DependencyChange[] = [];
  for (const file of runtimeFiles) {
    const oldPath = file.oldPath ?? file.path;
    const before = file.status === 'added' ? undefined : olds.get(oldPath);
    const after = file.status === 'deleted' ? undefined : news.get(file.path);
    const setBefore = before === undefined ? undefined : { ...readRuntimePins(oldPath, before), path: file.path };
    const setAfter = after === undefined ? undefined : readRuntimePins(file.path, after);
    const changes = diffDependencySets(setBefore?.packages.length ? setBefore : undefined, setAfter?.packages.length ? setAfter : undefined);
    if (changes.length === 0) continue;
    await attributePins(reader, from, to, file.path, packageStates(setBefore), changes);
    // A pin that moved through a rename (no revision of this path changed it) keeps the file's own commits.
    for (const change of changes) if (change.commits.length === 0) change.commits = [...file.commits];
    addRuntimeSignals(changes);
    for (const change of changes) all.push(change);
  }
  return all;
}

async function attributePins(reader: RepoReader, from: Sha, to: Sha, path: string, start: PackageStates, changes: DependencyChange[]): Promise<void> {
  const history = await reader.fileHistory(from, to, path);
  const walk = new AttributionWalk(changes, start);
  const blobs = await reader.readBlobs(history.flatMap(h => (h.blob ? [h.blob] : [])));
  for (const revision of history) {
    const text = revision.blob ? blobs.get(revision.blob) : undefined;
    walk.step(revision.sha, text === undefined ? new Map() : packageStates(readRuntimePins(path, text)));
  }
  const touched = walk.touchedByName();
  for (const change of changes) change.commits = [...(touched[change.name] ?? [])];
}
