import { planBisect } from './bisect/plan.js';
import { hashOf, type BlobCache } from './cache/blob-cache.js';
import { readDependencySetCached } from './cache/dependency-sets.js';
import { DigestStore, digestKey, digestOf, restoreCounts, ruleKey, withCommits, withoutCommits, type SourceDigest } from './cache/source-digest.js';
import { applyAttribution, packageStates } from './deps/attribute.js';
import { walkLockfile, type LockfileWalker } from './deps/lockfile-walk.js';
import { diffDependencySets } from './deps/diff.js';
import { isLfsPointer, lfsPointerError, lfsPointerWarning, missingBlob, missingBlobWarning, missingLockfileError, submoduleWarning, symlinkWarning } from './deps/file-checks.js';
import { foldPlatformBinaries } from './deps/platform-binaries.js';
import { readProjectContexts } from './deps/project-facts.js';
import type { ProjectContext } from './deps/project-kind.js';
import { ReldiffError } from './errors.js';
import { MAX_HUNK_LINES_PER_FILE } from './git/patch.js';
import { detectFormat, isLockfilePath } from './lockfiles/index.js';
import { readDependencySet, type ReadInclude } from './lockfiles/read.js';
import { fetchRequirementFiles } from './lockfiles/requirements.js';
import type { Report } from './report/model.js';
import { buildReport } from './report/build.js';
import { rankItems } from './risk/rank.js';
import { scoreDependency, scoreSource } from './risk/score.js';
import { defaultWeights, type Weights } from './risk/weights.js';
import { rules as allRules } from './rules/index.js';
import { languageForPath } from './rules/parse.js';
import { analyzeSources, attachBlame } from './rules/run.js';
import type { Commit, DependencyChange, DependencySet, Excerpt, FileChange, Finding, RepoReader, RuleSettings, Sha, SourceInput } from './types.js';
import { diffRuntimeFiles } from './runtimes/diff.js';
import { relieveHeap } from './util/memory.js';
import { VERSION } from './version.js';
import { addTo } from './util/arrays.js';

// The main pipeline of `reldiff <from> <to>`: read through the RepoReader seam, then pure stages.

export interface AnalyzeOptions {
  from?: string;
  to?: string;
  weights?: Weights;
  rules?: RuleSettings['rules'];
  /** Paths (source files) and package names to leave out; lockfiles to read. */
  isIgnoredPath?: (path: string) => boolean;
  isIgnoredPackage?: (name: string) => boolean;
  isLockfileIncluded?: (path: string) => boolean;
  /** Paths the config adds as dependency files (their format is told by content). */
  isLockfileAdded?: (path: string) => boolean;
  /** Called between stages, for registry enrichment and other facts that need I/O. */
  enrich?: (changes: DependencyChange[], context: { toDate: string; projects?: ReadonlyMap<string, ProjectContext> }) => Promise<{ warnings: string[] }>;
  /** What earlier runs computed from the same blobs (see cache/blob-cache.ts); nothing is kept without it. */
  cache?: BlobCache;
  /** Every returned FileChange keeps its hunks (the evidence matcher reads their added lines): no file is skipped. */
  keepHunks?: boolean;
}

/** What a reader must offer beyond the seam to compute defaults and guard against shallow clones. */
export interface GitSource extends RepoReader {
  defaultFrom(to: Sha): Promise<{ ref: string; sha: Sha }>;
  assertHistoryComplete(from: Sha, to: Sha): Promise<void>;
  relation(from: Sha, to: Sha): Promise<'same' | 'ancestor' | 'descendant' | 'diverged'>;
}

export interface Analysis {
  report: Report;
  changes: FileChange[];
  commits: Commit[];
}

export async function analyzeRefs(reader: GitSource, options: AnalyzeOptions = {}): Promise<Analysis> {
  const weights = options.weights ?? defaultWeights;
  const toRef = options.to ?? 'HEAD';
  // Both refs at once; when both are wrong, `to` is the one named, as when they were asked in turn.
  const fromRef = options.from;
  const [toResult, fromResult] = await Promise.allSettled([reader.resolve(toRef), fromRef === undefined ? undefined : reader.resolve(fromRef)]);
  if (toResult.status === 'rejected') throw toResult.reason;
  if (fromResult.status === 'rejected') throw fromResult.reason;
  const toSha = toResult.value;
  const from = fromRef !== undefined && fromResult.value !== undefined ? { ref: fromRef, sha: fromResult.value } : await reader.defaultFrom(toSha);
  const [complete, relationResult] = await Promise.allSettled([reader.assertHistoryComplete(from.sha, toSha), reader.relation(from.sha, toSha)]);
  if (complete.status === 'rejected') throw complete.reason;
  if (relationResult.status === 'rejected') throw relationResult.reason;
  const relation = relationResult.value;
  if (relation === 'descendant') {
    // Every change would read backwards (upgrades as downgrades, additions as removals) with no commit to blame.
    throw new ReldiffError('bad-ref', `${from.ref} is newer than ${toRef}: the refs look swapped`,
      `Put the older ref first: reldiff ${toRef} ${from.ref}`);
  }

  const isAdded = options.isLockfileAdded ?? (() => false);
  // Asked several times per changed file, and each ask tries every format's name test: remembered per path.
  const dependencyFiles = new Map<string, boolean>();
  const isDependencyFile = (p: string): boolean => {
    let known = dependencyFiles.get(p);
    if (known === undefined) dependencyFiles.set(p, known = isLockfilePath(p) || isAdded(p));
    return known;
  };
  const isIgnoredPath = options.isIgnoredPath ?? (() => false);
  // What earlier runs read from the same blob pairs: those files need no patch this time (cache/source-digest.ts).
  const rulesKey = ruleKey(options.rules ?? {});
  const store = options.cache ? new DigestStore(options.cache, hashOf([from.sha, toSha, rulesKey])) : undefined;
  const digests = new Map<string, SourceDigest>();
  const isKnown = store === undefined || options.keepHunks ? undefined : (file: FileChange, isTextByAttributes = false): boolean => {
    // Dependency files are read whole at both refs, and their history by revision: no reader uses their patch.
    if (isDependencyFile(file.path)) return true;
    // Binary or text by the work tree's .gitattributes (a file over 8 MB): no digest can say which, the patch does.
    if (isTextByAttributes) return false;
    const key = digestKey(file, rulesKey);
    const digest = store.get(key);
    if (!digest || (!digest.rules && !isIgnoredPath(file.path))) return false;
    digests.set(key, digest);
    return true;
  };
  const [commits, changes] = await Promise.all([reader.commits(from.sha, toSha), reader.changes(from.sha, toSha, p => !isDependencyFile(p), isKnown)]);
  const warnings: string[] = relation === 'diverged'
    ? [`${from.ref} is not an ancestor of ${toRef}: the commits listed are those in ${toRef} and not in ${from.ref}`] : [];
  // Each changed source file's digest: kept from an earlier run, or read from this run's patch (and kept below).
  const digestByFile = new Map<FileChange, { key: string; digest: SourceDigest; fresh: boolean }>();
  for (const c of changes) {
    if (isDependencyFile(c.path) || c.unreadable || c.symlink || c.submodule) continue;
    const key = digestKey(c, rulesKey);
    const kept = digests.get(key);
    if (kept) restoreCounts(c, kept);
    digestByFile.set(c, { key, digest: kept ?? digestOf(c), fresh: kept === undefined });
  }
  const isIncluded = options.isLockfileIncluded ?? (() => true);

  const refs = { from: from.ref, to: toRef };
  const lockfileChanges = await screenDependencyFiles(reader,
    changes.flatMap(splitLockfileRename).filter(c => isDependencyFile(c.path) && isIncluded(c.path)), refs, warnings);
  for (const c of await requirementsWithChangedIncludes(reader, toSha, changes, lockfileChanges, isAdded)) if (isIncluded(c.path)) lockfileChanges.push(c);
  const cut = changes.filter(c => c.truncated).map(c => c.path);
  if (cut.length > 0) {
    warnings.push(`${cut.length} file${cut.length === 1 ? '' : 's'} changed by more than ${MAX_HUNK_LINES_PER_FILE} lines: counted in full, but only the first lines were checked for deleted cleanup (${cut.slice(0, 3).join(', ')}${cut.length > 3 ? ', ...' : ''})`);
  }
  const lockPaths = new Set(lockfileChanges.map(c => c.path));
  for (const w of await unreadRequirements(reader, toSha, changes.filter(c => !lockPaths.has(c.path) && !isDependencyFile(c.path)))) warnings.push(w);
  const sourceChanges = screenSources(changes.filter(c => !lockPaths.has(c.path) && !isDependencyFile(c.path) && !isIgnoredPath(c.path)), refs, warnings);
  // The two halves interleave: one waits on git or a registry while the other parses.
  const [{ kept: keptDependencies, projects: contexts }, findings] = await Promise.all([
    (async () => {
      const isIgnoredPackage = options.isIgnoredPackage ?? (() => false);
      const walker: LockfileWalker = request => walkLockfile(reader, request, options.cache);
      const locked = await diffLockfiles(reader, walker, from.sha, toSha, lockfileChanges, warnings, refs, options.cache);
      // Runtimes pinned by Dockerfiles, version files, manifests and workflows: one more set per file (issue 17).
      for (const c of await diffRuntimeFiles(reader, from.sha, toSha, changes.filter(c => isIncluded(c.path) && !isIgnoredPath(c.path)))) locked.push(c);
      const kept = foldPlatformBinaries(locked.filter(d => !isIgnoredPackage(d.name)));
      // Pushed one by one: a spread of 100,000+ warnings or findings into push() overflows the call stack.
      // Read before the registry step: which upgrades ship (and so are looked inside) depends on what the repo builds.
      const projects = await readProjectContexts(reader, toSha, kept);
      if (options.enrich) for (const w of (await options.enrich(kept, { toDate: commits.at(-1)?.date ?? '', projects })).warnings) warnings.push(w);
      return { kept, projects };
    })(),
    findLeaks(reader, from.sha, toSha, sourceChanges, options.rules ?? {}, warnings, file => digestByFile.get(file)?.digest.rules,
      (file, result) => { const entry = digestByFile.get(file); if (entry) entry.digest.rules = result; }),
  ]);
  keepDigests(store, digestByFile, changes);

  const findingsByFile = groupBy(findings, f => f.file);
  const items = [
    ...keptDependencies.map(d => scoreDependency(d, weights, contexts.get(d.lockfile))),
    ...sourceChanges.map(c => scoreSource(c, findingsByFile.get(c.path) ?? [], weights, digestByFile.get(c)?.digest)),
  ];
  const report = buildReport({
    version: VERSION,
    from: { ref: from.ref, commit: from.sha },
    to: { ref: toRef, commit: toSha },
    commits, dependencies: keptDependencies, findings, ranked: rankItems(items, weights), warnings, weights,
    plan: reportCommits => planBisect(from.sha, toSha, reportCommits, weights),
  });
  return { report, changes, commits };
}

interface ReadLockfile { file: FileChange; before: DependencySet | undefined; after: DependencySet | undefined }

/** The refs as the user named them, for messages. */
interface RefNames { from: string; to: string }

/**
 * Changed dependency files that cannot be read as lockfiles are said by name: a symbolic link (its blob is the link
 * text) is skipped with a warning, a blob missing from the object store ends the run at `to` (what would ship is
 * unknown) and leaves the file's changes out with a warning at `from`.
 */
async function screenDependencyFiles(reader: RepoReader, files: FileChange[], refs: RefNames, warnings: string[]): Promise<FileChange[]> {
  const links = files.filter(f => f.symlink);
  const linkBlobs = links.map(f => f.blob ?? f.oldBlob).filter((b): b is string => b !== undefined);
  const targets = linkBlobs.length > 0 ? await reader.readBlobs(linkBlobs) : new Map<string, string | undefined>();
  const linked = new Set<string>();
  for (const link of links) {
    if (linked.has(link.path)) continue;
    linked.add(link.path);
    const blob = link.blob ?? link.oldBlob;
    warnings.push(symlinkWarning(link.path, blob === undefined ? undefined : targets.get(blob), 'a lockfile'));
  }
  const kept: FileChange[] = [];
  for (const file of files) {
    // A file replaced by a link (or a link by a file) shows twice: both halves go, or half a set would read as removed.
    if (linked.has(file.path)) continue;
    const atTo = missingBlob(file, 'to');
    if (atTo) throw missingLockfileError(file.path, refs.to, atTo);
    const atFrom = missingBlob(file, 'from');
    if (atFrom) {
      warnings.push(missingBlobWarning(file.oldPath ?? file.path, refs.from, atFrom, 'its dependency changes are left out'));
      continue;
    }
    kept.push(file);
  }
  return kept;
}

/** Source files with a blob missing from the object store are skipped, each named with the ref that lacks it. */
function screenSources(files: FileChange[], refs: RefNames, warnings: string[]): FileChange[] {
  for (const file of files) if (file.submodule) warnings.push(submoduleWarning(file.path, file.submodule));
  return files.filter(file => {
    const missing = file.unreadable?.[0];
    if (!missing) return true;
    const path = missing.side === 'from' ? file.oldPath ?? file.path : file.path;
    warnings.push(missingBlobWarning(path, missing.side === 'from' ? refs.from : refs.to, missing.blob, 'skipped'));
    return false;
  });
}

async function diffLockfiles(reader: RepoReader, walker: LockfileWalker, from: Sha, to: Sha, files: FileChange[], warnings: string[],
  refs: RefNames, cache: BlobCache | undefined): Promise<DependencyChange[]> {
  const read: ReadLockfile[] = [];
  // The two revisions' sets, parsed or kept from an earlier run that parsed the same texts (cache/dependency-sets.ts).
  const parse = (side: { text: string; include?: ReadInclude; included?: ReadonlyMap<string, string | undefined> }, path: string): DependencySet =>
    (cache ? readDependencySetCached(cache, side.text, path, warnings, side.include, side.included) : readDependencySet(side.text, path, warnings, side.include));
  for (const file of files) {
    const oldPath = file.oldPath ?? file.path;
    const [before, after] = await Promise.all([
      file.status === 'added' ? undefined : readWithIncludes(reader, from, oldPath),
      file.status === 'deleted' ? undefined : readWithIncludes(reader, to, file.path),
    ]);
    // An LFS pointer is a few lines naming the real file: read as a lockfile it would be an empty or a wrong set.
    if (after?.text !== undefined && isLfsPointer(after.text)) throw lfsPointerError(file.path, refs.to);
    if (before?.text !== undefined && isLfsPointer(before.text)) {
      warnings.push(lfsPointerWarning(oldPath, refs.from));
      continue;
    }
    // A lockfile that cannot be read at <to> is what would ship: that is an error, never a silently shorter list.
    let setAfter: DependencySet | undefined;
    try {
      setAfter = after?.text === undefined ? undefined : parse({ ...after, text: after.text }, file.path);
    } catch (error) {
      if (error instanceof ReldiffError) throw new ReldiffError(error.code, `${error.message} (at ${to.slice(0, 10)})`, error.hint);
      throw error;
    }
    let setBefore: DependencySet | undefined;
    try {
      setBefore = before?.text === undefined ? undefined : parse({ ...before, text: before.text }, file.path);
    } catch (error) {
      // Broken only at <from> (and repaired since): its changes cannot be known, so they are left out, said once.
      if (!(error instanceof ReldiffError)) throw error;
      warnings.push(`${error.message} at ${from.slice(0, 10)}; its dependency changes are left out. The file is readable at ${to.slice(0, 10)}`);
      continue;
    }
    read.push({ file, before: setBefore, after: setAfter });
  }
  const all: DependencyChange[] = [];
  for (const { file, before, after } of pairFormatChanges(read, warnings)) {
    const changes = diffDependencySets(before, after);
    await attribute(walker, from, to, file.path, before, changes);
    // A set that changed without its own file changing (through an include) names the commits that touched it.
    for (const change of changes) if (change.commits.length === 0) change.commits = [...file.commits];
    for (const change of changes) all.push(change);
  }
  return all;
}

/**
 * A release that moves from one lockfile format to another (Pipfile.lock to uv.lock, package-lock.json to
 * pnpm-lock.yaml) deletes one file and adds the other. Read apart, every package would show as removed and added
 * again; paired (one deleted and one added, same ecosystem, same folder), only real version changes remain.
 */
export function pairFormatChanges(read: readonly ReadLockfile[], warnings: string[]): ReadLockfile[] {
  const dirOf = (path: string): string => path.slice(0, path.lastIndexOf('/') + 1);
  const keyOf = (set: DependencySet, path: string): string => `${set.ecosystem}\0${dirOf(path)}`;
  const gone = new Map<string, ReadLockfile[]>();
  const fresh = new Map<string, ReadLockfile[]>();
  for (const entry of read) {
    if (entry.before && !entry.after && entry.file.status === 'deleted') {
      const key = keyOf(entry.before, entry.file.path);
      addTo(gone, key, entry);
    } else if (entry.after && !entry.before && entry.file.status === 'added') {
      const key = keyOf(entry.after, entry.file.path);
      addTo(fresh, key, entry);
    }
  }
  const replaced = new Map<ReadLockfile, ReadLockfile | undefined>();
  for (const [key, olds] of gone) {
    const news = fresh.get(key) ?? [];
    const [old] = olds;
    const [next] = news;
    if (olds.length !== 1 || news.length !== 1 || !old || !next) continue;
    replaced.set(old, undefined);
    replaced.set(next, { file: next.file, before: old.before, after: next.after });
    warnings.push(`${old.file.path} was replaced by ${next.file.path}: compared as one dependency set, so only real version changes are listed`);
  }
  const out: ReadLockfile[] = [];
  for (const entry of read) {
    if (!replaced.has(entry)) out.push(entry);
    else {
      const merged = replaced.get(entry);
      if (merged) out.push(merged);
    }
  }
  return out;
}

/**
 * A requirements file whose own text did not change can still change its set through a file it includes
 * (`-r base.txt`, `-c constraints.txt`): such files count as changed too.
 */
async function requirementsWithChangedIncludes(reader: RepoReader, to: Sha, changes: FileChange[], lockfiles: FileChange[],
  isAdded: (path: string) => boolean): Promise<FileChange[]> {
  const changedPaths = new Set(changes.flatMap(c => [c.path, ...(c.oldPath ? [c.oldPath] : [])]));
  const candidates = [...changedPaths].filter(p => /\.(txt|in)$/.test(p) && !isLockfilePath(p));
  if (candidates.length === 0) return [];
  const known = new Set(lockfiles.map(c => c.path));
  // By name, and the files "lockfiles.include" adds (`deps/prod.txt`) when their content reads as requirements.
  const requirementFiles = (await reader.listFiles(to)).filter(p => !known.has(p) && (detectFormat(p, '')?.id === 'requirements' || isAdded(p)));
  const affected: FileChange[] = [];
  for (const path of requirementFiles) {
    const own = await reader.readFile(to, path);
    if (own === undefined || detectFormat(path, own)?.id !== 'requirements') continue;
    const files = await fetchRequirementFiles(path, p => (p === path ? Promise.resolve(own) : reader.readFile(to, p)));
    const included = changes.filter(c => c.path !== path && files.has(c.path));
    if (included.length > 0) {
      // Its own history is silent: the commits that changed what it includes made the change.
      const commits = [...new Set(included.flatMap(c => c.commits))];
      affected.push({ path, status: 'modified', binary: false, additions: 0, deletions: 0, added: [], removed: [], hunks: [], commits });
    }
  }
  return affected;
}

const MAX_UNREAD_CHECKS = 50;

/**
 * Changed `.txt` files that look like requirements by their content (pins, hashes, `-r`/`-c` lines) but whose name
 * or place reldiff does not know: say so, with the config line that reads them, rather than show no change.
 */
async function unreadRequirements(reader: RepoReader, to: Sha, changes: readonly FileChange[]): Promise<string[]> {
  const candidates = changes.filter(c => c.status !== 'deleted' && !c.binary && !c.symlink && /\.txt$/i.test(c.path)).map(c => c.path).slice(0, MAX_UNREAD_CHECKS);
  if (candidates.length === 0) return [];
  const texts = await reader.readFiles(to, candidates);
  const unread = candidates.filter(p => {
    const text = texts.get(p);
    return text !== undefined && detectFormat(p, text)?.id === 'requirements';
  });
  if (unread.length === 0) return [];
  const shown = unread.slice(0, 3).join(', ') + (unread.length > 3 ? `, and ${unread.length - 3} more` : '');
  return [`${shown} look${unread.length === 1 ? 's' : ''} like requirements but ${unread.length === 1 ? 'was' : 'were'} not read as dependencies: add ${unread.length === 1 ? 'it' : 'them'} to "lockfiles": { "include": [...] } in reldiff.config.json`];
}

/** A dependency file's text, and for requirements files the files it includes (`-r`, `-c`) at the same ref. */
async function readWithIncludes(reader: RepoReader, at: Sha, path: string): Promise<{ text: string | undefined; include?: ReadInclude;
  included?: ReadonlyMap<string, string | undefined> }> {
  // Told by content, not by name: a file added through "lockfiles.include" (`deps/prod.txt`) follows its `-r` too.
  const text = await reader.readFile(at, path);
  if (text === undefined || detectFormat(path, text)?.id !== 'requirements') return { text };
  const files = await fetchRequirementFiles(path, p => (p === path ? Promise.resolve(text) : reader.readFile(at, p)));
  return { text: files.get(path), include: p => files.get(p), included: files };
}

async function attribute(walker: LockfileWalker, from: Sha, to: Sha, path: string, start: DependencySet | undefined,
  changes: DependencyChange[]): Promise<void> {
  if (changes.length === 0) return;
  const names = changes.map(c => c.name);
  const touched = await walker({ from, to, path, ecosystem: changes[0]?.ecosystem ?? 'npm', names, start: [...packageStates(start, names)] });
  applyAttribution(changes, touched);
}

/**
 * Keeps the digest of every file this run read the patch of: source files with what the rules said, ignored ones
 * without (a later run that does not ignore them reads their patch again). A pure rename or a mode change is never
 * asked for again (its patch says what a tree diff cannot), so it is not kept.
 */
function keepDigests(store: DigestStore | undefined, digests: ReadonlyMap<FileChange, { key: string; digest: SourceDigest; fresh: boolean }>,
  changes: readonly FileChange[]): void {
  if (!store) return;
  for (const c of changes) {
    const entry = digests.get(c);
    if (!entry || c.status === 'renamed' || c.status === 'copied' || c.blob === c.oldBlob) continue;
    store.keep(entry.key, entry.digest, entry.fresh);
  }
  store.close();
}

function isRuleLanguage(path: string): boolean {
  return languageForPath(path) !== undefined;
}

/** Files read and checked per batch: bounds memory on releases that touch thousands of files. */
const RULE_BATCH = 256;

type RuleResult = NonNullable<SourceDigest['rules']>;

/**
 * `known(file)`: what the rules said of the same blob pair in an earlier run (then the file is neither read nor
 * parsed); `learned(file, result)` hears what they say of every other file, for the next run.
 */
async function findLeaks(reader: RepoReader, from: Sha, to: Sha, files: FileChange[], rules: RuleSettings['rules'],
  warnings: string[], known: (file: FileChange) => RuleResult | undefined, learned: (file: FileChange, result: RuleResult) => void): Promise<Finding[]> {
  // Every rule turned off in the config: no reason to read a single file.
  if (allRules.every(rule => rules?.[rule.id] === 'off')) {
    for (const f of files) learned(f, { findings: [], warnings: [] });
    return [];
  }
  // Deletions count: a diff that only removes cleanup code is a finding of its own (removed-cleanup).
  // A symbolic link's blob is its target's name, not code.
  const isCandidate = (f: FileChange): boolean => !f.binary && !f.symlink && f.status !== 'deleted' && f.additions + f.deletions > 0 && isRuleLanguage(f.path);
  const results = new Map<FileChange, RuleResult>();
  for (const f of files) {
    const result = known(f) ?? (isCandidate(f) ? undefined : { findings: [], warnings: [] });
    if (result) results.set(f, result);
  }
  const candidates = files.filter(f => !results.has(f));
  for (let i = 0; i < candidates.length; i += RULE_BATCH) {
    const batch = candidates.slice(i, i + RULE_BATCH);
    const [newTexts, oldTexts] = await Promise.all([
      reader.readFiles(to, batch.map(f => f.path)),
      reader.readFiles(from, batch.filter(f => f.status !== 'added').map(f => f.oldPath ?? f.path)),
    ]);
    const inputs: SourceInput[] = batch.map(change => {
      const input: SourceInput = { path: change.path, change };
      const text = newTexts.get(change.path);
      const oldText = change.status === 'added' ? undefined : oldTexts.get(change.oldPath ?? change.path);
      if (text !== undefined) input.text = text;
      if (oldText !== undefined) input.oldText = oldText;
      return input;
    });
    // One file at a time, so that each file's findings and warnings are its own to keep; the same order as one call.
    for (const input of [...inputs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
      const result = await analyzeSources([input], rules ? { rules } : {});
      for (const f of result.findings) {
        const text = newTexts.get(f.file);
        if (text !== undefined) f.excerpt = excerptAround(text, f.line);
      }
      results.set(input.change, { findings: result.findings.map(withoutCommits), warnings: result.warnings });
    }
    relieveHeap();
  }
  const findings: Finding[] = [];
  for (const f of files) {
    const result = results.get(f);
    if (!result) continue;
    if (!known(f)) learned(f, result);
    for (const w of result.warnings) warnings.push(w);
    for (const finding of withCommits(result.findings, f.commits)) findings.push(finding);
  }
  // Ordered as the rule engine orders them (file, line, rule), whichever run found them.
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)));
  return attachBlame(findings, (path, lines) => reader.blame(from, to, path, lines));
}

/** Two lines either side of a hit, each cut at 200 characters, so that a report can show the code. */
export function excerptAround(text: string, line: number, context = 2): Excerpt {
  const lines = text.split('\n');
  let start = Math.max(1, line - context);
  let end = Math.min(lines.length, line + context);
  while (start < line && !lines[start - 1]?.trim()) start++;
  while (end > line && !lines[end - 1]?.trim()) end--;
  return { start, lines: lines.slice(start - 1, end).map(l => (l.length > 200 ? `${l.slice(0, 197)}...` : l)) };
}

/**
 * Git pairs a deleted lockfile with an added one when they look alike; two lockfiles are two dependency sets unless
 * the file was really moved (nearly the same content).
 */
function splitLockfileRename(change: FileChange): FileChange[] {
  if (change.status !== 'renamed' || !change.oldPath || (change.similarity ?? 0) >= 90) return [change];
  const { oldPath, similarity: _similarity, ...rest } = change;
  return [{ ...rest, path: oldPath, status: 'deleted' }, { ...rest, status: 'added' }];
}

function groupBy<T>(list: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of list) addTo(map, key(item), item);
  return map;
}
