import { languageOf } from '../source/language.js';
import { isDevTool } from '../deps/dev-tools.js';
import type { ProjectContext } from '../deps/project-kind.js';
import type { DependencyChange, FileChange, Finding, Reason, ScoredItem } from '../types.js';
import { fileKindOf, hotPathWord, type PathKind } from './path-kind.js';
import { sourceHeuristics } from './source-heuristics.js';
import type { Weights } from './weights.js';

// Risk points per change, every point backed by a reason record. Wording lives in report/reasons.ts.

/**
 * Stable across runs: the same change gets the same id. The target version is part of it, so that acknowledging
 * one upgrade does not also wave through the next one.
 */
export function dependencyItemId(c: Pick<DependencyChange, 'ecosystem' | 'lockfile' | 'name' | 'to'>): string {
  return `dep:${c.ecosystem}:${c.lockfile}:${c.name}@${c.to ?? 'removed'}`;
}

/**
 * Stable across runs for the same change: the path and the content it has at `to`. A later edit to the file is a new
 * change with a new id, so acknowledging one version of a file never waves through the next.
 */
export function sourceItemId(file: Pick<FileChange, 'path' | 'blob' | 'status' | 'submodule'>): string {
  return `src:${file.path}@${file.status === 'deleted' ? 'deleted' : (file.blob ?? file.submodule?.to ?? 'unknown').slice(0, 12)}`;
}

const OS_PACKAGES: ReadonlySet<string> = new Set(['deb', 'apk', 'rpm']);

const added = (c: DependencyChange): string[] => c.toVersions.filter(v => !c.fromVersions.includes(v));
const removed = (c: DependencyChange): string[] => c.fromVersions.filter(v => !c.toVersions.includes(v));

/** `project`: what the repository around the lockfile builds, which decides whether its pins ship at all. */
export function scoreDependency(change: DependencyChange, w: Weights, project?: ProjectContext): ScoredItem {
  const reasons: Reason[] = [];
  let points = w.change[change.change];
  const isCopies = change.change === 'other' && change.fromVersions.length > 0 && change.toVersions.length > 0;
  if (isCopies) {
    reasons.push({ id: 'dep-copies', args: { added: added(change).join(', '), removed: removed(change).join(', '),
      kept: change.toVersions.filter(v => change.fromVersions.includes(v)).join(', ') } });
  } else reasons.push({ id: `dep-${change.change}`, args: { from: change.from ?? '', to: change.to ?? '' } });
  const isTool = isDevTool(change.name);
  if (isTool) {
    reasons.push({ id: 'dep-tool', args: {} });
  } else if (change.direct) {
    points += w.direct;
    // A runtime is not a package the code imports: everything the service does runs on it.
    reasons.push({ id: change.ecosystem === 'runtime' ? 'dep-runtime' : change.change === 'removed' ? 'dep-direct-removed' : 'dep-direct', args: {} });
  } else reasons.push({ id: OS_PACKAGES.has(change.ecosystem) ? 'dep-os-package' : 'dep-transitive', args: {} });
  for (const s of change.signals) {
    points += w.signals[s.id] ?? w.defaultSignal;
    reasons.push({ id: 'signal', args: { signal: s.id, detail: s.detail } });
  }
  if (change.dev && project?.kind === 'frontend-app') {
    reasons.push({ id: 'dep-dev-bundled', args: { why: project.why } });
  } else if (change.dev || isTool) {
    points *= w.devFactor;
    if (change.dev) reasons.push({ id: 'dep-dev', args: {} });
  }
  if (project?.kind === 'library') {
    points *= w.libraryPinFactor;
    reasons.push({ id: 'dep-library-pins', args: { why: project.why } });
  }
  const title = isCopies ? `${change.name} ${change.fromVersions.join(', ')} -> ${change.toVersions.join(', ')} (copies)`
    : change.change === 'added' ? `${change.name} ${change.to ?? ''} (added)`
    : change.change === 'removed' ? `${change.name} ${change.from ?? ''} (removed)`
    : `${change.name} ${change.from ?? ''} -> ${change.to ?? ''} (${change.change})`;
  return {
    id: dependencyItemId(change), kind: 'dependency', points, reasons, title,
    dependency: { ecosystem: change.ecosystem, name: change.name, lockfile: change.lockfile },
    commits: change.commits,
  };
}


/** `known`: what an earlier run read from the same patch (cache/source-digest.ts), when this run did not read it. */
export function scoreSource(file: FileChange, findings: readonly Finding[], w: Weights,
  known?: { heuristics: readonly Reason[]; kind: PathKind }): ScoredItem {
  const reasons: Reason[] = [];
  let points = 0;
  const counted = findings.filter(f => !f.ignored);
  for (const f of [...findings].sort((a, b) => a.line - b.line || (a.rule < b.rule ? -1 : 1))) {
    if (f.ignored) {
      reasons.push({ id: 'finding-ignored', args: { rule: f.rule, line: f.line, reason: f.ignored } });
      continue;
    }
    points += w.finding[f.severity];
    reasons.push({ id: 'finding', args: { rule: f.rule, severity: f.severity, line: f.line, message: f.message } });
  }
  if (file.submodule) {
    points += w.source.submodule;
    reasons.push({ id: 'src-submodule', args: { from: file.submodule.from?.slice(0, 10) ?? '', to: file.submodule.to?.slice(0, 10) ?? '' } });
  } else if (file.binary) {
    points += w.source.binary;
    reasons.push({ id: 'src-binary', args: {} });
  } else if ((file.status === 'renamed' || file.status === 'copied') && file.additions + file.deletions === 0) {
    points += w.source.pureRename;
    reasons.push({ id: 'src-rename', args: { from: file.oldPath ?? '', similarity: file.similarity ?? 100 } });
  } else {
    points += w.source.perLog2Lines * Math.log2(1 + file.additions + file.deletions);
    reasons.push({ id: 'src-lines', args: { added: file.additions, removed: file.deletions } });
  }
  if (file.status === 'added') {
    points += w.source.addedFile;
    reasons.push({ id: 'src-added-file', args: {} });
  }
  for (const h of known?.heuristics ?? sourceHeuristics(file)) {
    points += h.id === 'src-removed-cleanup' ? w.source.removedCleanup
      : h.id === 'src-error-handling' ? w.source.errorHandling : w.source.moduleState;
    reasons.push(h);
  }
  const kind = known?.kind ?? fileKindOf(file);
  const hot = kind === 'runtime' && file.status !== 'deleted' ? hotPathWord(file.path) : undefined;
  if (hot !== undefined && !file.binary) {
    points += w.source.hotPath;
    reasons.push({ id: 'src-hot-path', args: { word: hot } });
  }
  if (file.status === 'deleted') {
    points *= w.source.deletedFileFactor;
    reasons.push({ id: 'src-deleted-file', args: {} });
  }
  // A submodule under vendor/ is still another project's code that ships: its bump is an upgrade, not a copy.
  if (kind !== 'runtime' && !(file.submodule && kind === 'vendored')) {
    points *= w.source.kindFactor[kind];
    reasons.push({ id: `src-kind-${kind}`, args: {} });
  }
  const title = file.status === 'renamed' ? `${file.oldPath ?? ''} -> ${file.path}` : file.path;
  // The commits that wrote (or removed) the flagged lines made the finding: they, not every commit that touched
  // the file, carry this item's risk, so that "test these commits first" starts with the one that wrote the leak.
  const findingCommits = [...new Set(counted.flatMap(f => f.commits))].filter(sha => file.commits.includes(sha));
  const commits = findingCommits.length > 0 ? file.commits.filter(sha => findingCommits.includes(sha)) : [...file.commits];
  const language = languageOf(file.path);
  return { id: sourceItemId(file), kind: 'source', points, reasons, title, file: file.path, ...(language ? { language } : {}), commits };
}
