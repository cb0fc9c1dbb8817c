import { noCache, type BlobCache } from '../cache/blob-cache.js';
import { GitError, ReldiffError } from '../errors.js';
import type { Commit, FileChange, LineRange, RepoReader, Sha } from '../types.js';
import { BlobReader, gitLines, gitText, gitTextOrUndefined, gitWithInput } from './exec.js';
import { PatchParser } from './patch.js';

const SHA = /^[0-9a-f]{40}$/;
const SHALLOW_HINT = 'Fetch the full history: `git fetch --unshallow --tags` (in GitHub Actions: `fetch-depth: 0` on actions/checkout)';

/**
 * Refuses what must never reach git as a ref: options, empty values, control characters. Spaces stay: git's own
 * expressions hold them (`:/fix the leak`, `main@{2 days ago}`), and a ref always travels as one argument.
 */
export function validateRef(ref: string): void {
  if (ref === '' || ref.startsWith('-') || /[\x00-\x1f\x7f]/.test(ref) || ref.trim() !== ref || ref.length > 1000) {
    throw new ReldiffError('bad-ref', `'${printable(ref)}' is not a git ref`,
      'Give a tag, branch, commit id or expression such as HEAD~3 (values starting with "-" are refused)');
  }
}

function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, '?').slice(0, 80);
}

/** Finds the top of the work tree that contains `dir`, or says how to point reldiff at one. */
export async function findRepositoryRoot(dir: string): Promise<string> {
  const { stat } = await import('node:fs/promises');
  const isFolder = await stat(dir).then(s => s.isDirectory(), () => false);
  if (!isFolder) throw new ReldiffError('not-a-repo', `${dir} does not exist or is not a folder`, 'Check the --repo path');
  const top = await gitTextOrUndefined(dir, ['rev-parse', '--show-toplevel']);
  if (top?.trim()) return top.trim();
  const gitDir = await gitTextOrUndefined(dir, ['rev-parse', '--git-dir']);
  if (gitDir?.trim()) return dir; // a bare repository
  throw new ReldiffError('not-a-repo', `${dir} is not inside a git repository`,
    'Run reldiff inside a clone or pass --repo <dir>');
}

export class GitRepoReader implements RepoReader {
  private blobs: BlobReader | undefined;
  private shallow: Promise<Set<string>> | undefined;

  /**
   * `cache` keeps what a pair of commits always gives (the commits between them, which of them touched each path, a
   * file's history): commits are named by their content, so the same pair is the same history on every run.
   */
  constructor(readonly root: string, private readonly cache: BlobCache = noCache) {}

  close(): void {
    this.blobs?.close();
    this.blobs = undefined;
  }

  async resolve(ref: string): Promise<Sha> {
    validateRef(ref);
    // Resolved as given, then peeled: `${ref}^{commit}` would change what `:/message` searches for.
    // The peel goes through the cat-file process the run reads blobs with: one process fewer per ref.
    const named = (await gitTextOrUndefined(this.root, ['rev-parse', '--verify', '--quiet', '--end-of-options', ref]))?.trim();
    const peeled = named && SHA.test(named) ? await this.blobReader().objectId(`${named}^{commit}`) : undefined;
    const sha = peeled?.type === 'commit' ? peeled.oid : undefined;
    if (sha && SHA.test(sha)) return sha;
    if ((await this.shallowBoundaries()).size > 0) {
      throw new GitError('shallow-clone', `ref '${printable(ref)}' is not in this shallow clone`, SHALLOW_HINT);
    }
    throw new ReldiffError('unknown-ref', `ref '${printable(ref)}' does not resolve to a commit`,
      'Check the name with `git tag` or `git log --oneline`; fetch tags with `git fetch --tags`');
  }

  /** CONTRACT.md: the newest tag reachable from `to` that does not point at `to`. */
  async defaultFrom(to: Sha): Promise<{ ref: string; sha: Sha }> {
    const out = await gitText(this.root, ['for-each-ref', `--merged=${to}`, '--sort=-v:refname', '--sort=-creatordate',
      '--format=%(objectname)%00%(*objectname)%00%(refname:short)', 'refs/tags']);
    for (const line of out.split('\n')) {
      if (!line) continue;
      const [object, peeled, name] = line.split('\0') as [string, string, string];
      const sha = peeled || object;
      if (sha !== to) return { ref: name, sha: await this.resolve(`refs/tags/${name}`) };
    }
    if ((await this.shallowBoundaries()).size > 0) {
      throw new GitError('shallow-clone', 'no earlier tag is reachable in this shallow clone', SHALLOW_HINT);
    }
    throw new ReldiffError('no-tag', 'no earlier tag is reachable, so there is no default <from>',
      'Name both refs: reldiff <from> <to>');
  }

  /** Fails when `from..to` crosses the edge of a shallow clone: the answer would silently be wrong. */
  async assertHistoryComplete(from: Sha, to: Sha): Promise<void> {
    const boundaries = await this.shallowBoundaries();
    if (boundaries.size === 0) return;
    const range = await gitText(this.root, ['rev-list', `${from}..${to}`]);
    const isCut = range.split('\n').some(sha => boundaries.has(sha));
    const base = await gitTextOrUndefined(this.root, ['merge-base', from, to]);
    if (isCut || !base?.trim()) {
      throw new GitError('shallow-clone', 'the history between the two refs is missing from this shallow clone', SHALLOW_HINT);
    }
  }

  /** How `from` relates to `to` in history: the usual case is an ancestor; `descendant` means the refs look swapped. */
  async relation(from: Sha, to: Sha): Promise<'same' | 'ancestor' | 'descendant' | 'diverged'> {
    if (from === to) return 'same';
    const isAncestor = async (a: Sha, b: Sha): Promise<boolean> =>
      (await gitTextOrUndefined(this.root, ['merge-base', '--is-ancestor', a, b])) !== undefined;
    if (await isAncestor(from, to)) return 'ancestor';
    return (await isAncestor(to, from)) ? 'descendant' : 'diverged';
  }

  private shallowBoundaries(): Promise<Set<string>> {
    this.shallow ??= (async () => {
      const isShallow = (await gitText(this.root, ['rev-parse', '--is-shallow-repository'])).trim() === 'true';
      if (!isShallow) return new Set<string>();
      const file = (await gitText(this.root, ['rev-parse', '--git-path', 'shallow'])).trim();
      const { readFile } = await import('node:fs/promises');
      const { resolve } = await import('node:path');
      const text = await readFile(resolve(this.root, file), 'utf8').catch(() => '');
      return new Set(text.split('\n').filter(Boolean));
    })();
    return this.shallow;
  }

  async commits(from: Sha, to: Sha): Promise<Commit[]> {
    const key = `${from}..${to}`;
    const known = this.cache.get(COMMITS, key, isCommitList);
    if (known) return known;
    const commits: Commit[] = [];
    let record = '';
    const flush = (): void => {
      if (!record) return;
      const [sha, parents, author, date, subject] = record.split('\x1f') as [string, string, string, string, string];
      commits.push({ sha, parents: parents ? parents.split(' ') : [], author, date: isoUtc(date), subject: subject ?? '' });
      record = '';
    };
    await gitLines(this.root, ['log', '--topo-order', '--reverse', '--no-color', '--encoding=UTF-8',
      '--format=%x1e%H%x1f%P%x1f%an%x1f%aI%x1f%s', `${from}..${to}`, '--'], line => {
      if (line.startsWith('\x1e')) { flush(); record = line.slice(1); } else record += line;
    });
    flush();
    this.cache.set(COMMITS, key, commits);
    return commits;
  }

  /**
   * `isTextWanted(path)` false keeps a file's line ranges but not its hunk text (see PatchParser). `isKnown(file)`
   * true for a plain added, deleted or modified file (asked with its path, status and blobs from a tree diff): the
   * caller has what it needs of the patch already, and the file comes back as the tree diff tells it, with no hunks,
   * zero counts and `binary` false. Everything else is read from the patch as without `isKnown`.
   * `isTextByAttributes`: a blob is past MAX_TEXT_CHECK_BYTES, so whether its patch is text or binary is what the work
   * tree's .gitattributes says (see withHiddenText), which no blob pair tells: what an earlier run saw may be stale.
   */
  async changes(from: Sha, to: Sha, isTextWanted?: (path: string) => boolean,
    isKnown?: (file: FileChange, isTextByAttributes: boolean) => boolean): Promise<FileChange[]> {
    const [files, touched] = await Promise.all([
      isKnown ? this.diffUnknownFiles(from, to, isTextWanted, isKnown) : this.diffFiles(from, to, isTextWanted),
      this.commitsPerPath(from, to),
    ]);
    for (const file of files) {
      const shas = [...(touched.get(file.path) ?? []), ...(file.oldPath ? touched.get(file.oldPath) ?? [] : [])];
      // commitsPerPath lists newest first; the report wants oldest first.
      file.commits = [...new Set(shas)].reverse();
    }
    return files;
  }

  /**
   * The patch from..to, read as text wherever the content is text. A blob missing from the object store stops
   * `git diff` at the first one: then the missing blobs are found (a tree walk, no blob read), their files left out of
   * the patch and returned with `unreadable` set, so that the caller skips them with a warning instead of ending.
   */
  private async diffFiles(from: Sha, to: Sha, isTextWanted?: (path: string) => boolean, paths?: ReadonlySet<string>,
    excluded: readonly string[] = []): Promise<FileChange[]> {
    let files: FileChange[];
    let unreadable: FileChange[] = [];
    const only = [...(paths ? [...paths].sort().map(p => `:(top,literal)${p}`) : []), ...excluded.map(p => `:(top,literal,exclude)${p}`)];
    const left = new Set(excluded);
    try {
      files = await this.patch(from, to, isTextWanted, only);
    } catch (error) {
      if (!isUnreadableObject(error)) throw error;
      unreadable = (await this.filesWithMissingBlobs(from, to)).filter(f => (!paths || paths.has(f.path)) && !left.has(f.path));
      if (unreadable.length === 0) throw error;
      files = await this.patch(from, to, isTextWanted, [...only, ...unreadable.map(f => `:(top,literal,exclude)${f.path}`)]);
    }
    files = await this.withHiddenText(from, to, files, isTextWanted);
    return [...files, ...unreadable].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * The patch of the files `isKnown` does not know, the rest from a tree diff (which reads no blob but those rename
   * detection compares). Past MAX_PATCHED_BY_PATH unknown files, or when the patch of the few pairs them otherwise
   * than the tree diff did (rename limits apply to the whole diff), the whole patch is read as without `isKnown`.
   */
  private async diffUnknownFiles(from: Sha, to: Sha, isTextWanted: ((path: string) => boolean) | undefined,
    isKnown: (file: FileChange, isTextByAttributes: boolean) => boolean): Promise<FileChange[]> {
    const tree = await this.treeDiff(from, to);
    if (!tree) return this.diffFiles(from, to, isTextWanted);
    const present = await this.objectSizes([...new Set(tree.flatMap(f => [f.blob, f.oldBlob]).filter((b): b is string => b !== undefined))]);
    const known: FileChange[] = [];
    const unknown: FileChange[] = [];
    for (const file of tree) {
      const isPlain = !file.symlink && !file.submodule && file.status !== 'renamed' && file.blob !== file.oldBlob
        && [file.blob, file.oldBlob].every(b => b === undefined || present.has(b));
      const isTextByAttributes = [file.blob, file.oldBlob].some(b => b !== undefined && (present.get(b) ?? 0) > MAX_TEXT_CHECK_BYTES);
      (isPlain && isKnown(file, isTextByAttributes) ? known : unknown).push(file);
    }
    if (known.length === 0 || (unknown.length > MAX_PATCHED_BY_PATH && known.length > MAX_PATCHED_BY_PATH)) return this.diffFiles(from, to, isTextWanted);
    let patched: FileChange[] = [];
    if (unknown.length > 0) {
      // Named when they are few; else the known ones are left out (a cold run: every source file but the lockfiles).
      patched = unknown.length <= MAX_PATCHED_BY_PATH
        ? await this.diffFiles(from, to, isTextWanted, new Set(unknown.flatMap(f => [f.path, ...(f.oldPath ? [f.oldPath] : [])])))
        : await this.diffFiles(from, to, isTextWanted, undefined, known.map(f => f.path));
      const told = new Map(unknown.map(f => [f.path, f]));
      const isSame = patched.length === unknown.length && patched.every(f => told.get(f.path)?.status === f.status
        && told.get(f.path)?.oldPath === f.oldPath);
      if (!isSame) return this.diffFiles(from, to, isTextWanted);
    }
    return [...known, ...patched].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * `git diff --raw -M`: every changed file's path, status and blobs, and no line diff. Undefined when rename detection
   * meets a blob the object store lacks (the patch path sorts those files out).
   */
  private async treeDiff(from: Sha, to: Sha): Promise<FileChange[] | undefined> {
    let out: string;
    try {
      out = await gitText(this.root, ['diff', '--raw', '-z', '--no-abbrev', '-M', from, to, '--']);
    } catch (error) {
      if (isUnreadableObject(error)) return undefined;
      throw error;
    }
    const files: FileChange[] = [];
    const fields = out.split('\0');
    for (let i = 0; i < fields.length; i++) {
      const m = /^:(\d+) (\d+) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])(\d*)$/.exec(fields[i] ?? '');
      if (!m) continue;
      const [, oldMode, newMode, oldBlob, blob, letter, score] = m as unknown as [string, string, string, string, string, string, string];
      const isPair = letter === 'R' || letter === 'C';
      const path = fields[isPair ? i + 2 : i + 1] ?? '';
      const status = letter === 'A' ? 'added' : letter === 'D' ? 'deleted' : letter === 'R' ? 'renamed' : letter === 'C' ? 'copied' : 'modified';
      const file: FileChange = { path, status, binary: false, additions: 0, deletions: 0, added: [], removed: [], hunks: [], commits: [] };
      if (isPair) {
        file.oldPath = fields[i + 1] ?? '';
        if (score) file.similarity = Number(score);
      }
      if (!/^0+$/.test(blob)) file.blob = blob;
      if (!/^0+$/.test(oldBlob)) file.oldBlob = oldBlob;
      // A type change (T), a link or a submodule reads differently in a patch: the patch tells those.
      if (letter === 'T' || oldMode === '120000' || newMode === '120000') file.symlink = true;
      if (oldMode === '160000' || newMode === '160000') file.submodule = {};
      files.push(file);
      i += isPair ? 2 : 1;
    }
    return files;
  }

  private async patch(from: Sha, to: Sha, isTextWanted: ((path: string) => boolean) | undefined, pathspecs: readonly string[],
    extra: readonly string[] = []): Promise<FileChange[]> {
    const parser = new PatchParser(isTextWanted);
    // No user diff driver, textconv or external diff: what is read is the committed content.
    await gitLines(this.root, ['-c', 'core.attributesFile=/dev/null', 'diff', '--no-color', '--no-ext-diff', '--no-textconv', '--full-index',
      '-U0', '-M', '--src-prefix=a/', '--dst-prefix=b/', ...extra, from, to, '--', ...pathspecs], line => parser.push(line));
    return parser.finish();
  }

  /**
   * `.gitattributes` (`*.py -diff`, `binary`, a driver with `binary = true`) makes git call text files binary, and no
   * rule would see them. Text is told by content instead, as git does without attributes: no NUL byte in the first
   * 8000 bytes of either side. Such files are diffed again with `--text`.
   */
  private async withHiddenText(from: Sha, to: Sha, files: FileChange[], isTextWanted?: (path: string) => boolean): Promise<FileChange[]> {
    const flagged = files.filter(f => f.binary && !f.symlink && (f.blob !== undefined || f.oldBlob !== undefined));
    if (flagged.length === 0) return files;
    const ids = [...new Set(flagged.flatMap(f => [f.blob, f.oldBlob]).filter((b): b is string => b !== undefined))];
    const sizes = await this.objectSizes(ids);
    const small = ids.filter(id => (sizes.get(id) ?? Infinity) <= MAX_TEXT_CHECK_BYTES);
    const heads = new Map<string, boolean>();
    const reader = this.blobReader();
    await Promise.all(small.map(async id => { heads.set(id, isTextContent(await reader.read(id))); }));
    const isText = (id: string | undefined): boolean => id === undefined || heads.get(id) === true;
    const text = flagged.filter(f => isText(f.blob) && isText(f.oldBlob));
    if (text.length === 0) return files;
    const paths = [...new Set(text.flatMap(f => [f.path, ...(f.oldPath ? [f.oldPath] : [])]))];
    const redone = new Map((await this.patch(from, to, isTextWanted, paths.map(p => `:(top,literal)${p}`), ['--text'])).map(f => [f.path, f]));
    return files.map(f => (text.includes(f) ? redone.get(f.path) ?? f : f));
  }

  /** Object id -> size in bytes; absent ids are missing from the object store. */
  private async objectSizes(ids: readonly string[]): Promise<Map<string, number>> {
    const sizes = new Map<string, number>();
    if (ids.length === 0) return sizes;
    const out = await gitWithInput(this.root, ['cat-file', '--batch-check=%(objectname) %(objectsize)', '--buffer'], `${ids.join('\n')}\n`);
    for (const line of out.split('\n')) {
      const [id, size] = line.split(' ');
      if (id && size && /^\d+$/.test(size)) sizes.set(id, Number(size));
    }
    return sizes;
  }

  /** Every changed file one of whose blobs the object store lacks, from a raw tree diff that reads no blob. */
  private async filesWithMissingBlobs(from: Sha, to: Sha): Promise<FileChange[]> {
    const out = await gitText(this.root, ['diff', '--raw', '-z', '--no-abbrev', '--no-renames', from, to, '--']);
    const entries: { path: string; status: string; blobs: { side: 'from' | 'to'; blob: string }[] }[] = [];
    const fields = out.split('\0');
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const m = /^:(\d+) (\d+) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])/.exec(fields[i] ?? '');
      if (!m) continue;
      const blobs: { side: 'from' | 'to'; blob: string }[] = [];
      // Submodule commits (160000) live in another repository; only blobs are looked for here.
      if (!/^0+$/.test(m[3] as string) && m[1] !== '160000') blobs.push({ side: 'from', blob: m[3] as string });
      if (!/^0+$/.test(m[4] as string) && m[2] !== '160000') blobs.push({ side: 'to', blob: m[4] as string });
      entries.push({ path: fields[i + 1] ?? '', status: m[5] as string, blobs });
    }
    const present = await this.objectSizes([...new Set(entries.flatMap(e => e.blobs.map(b => b.blob)))]);
    return entries.flatMap(e => {
      const missing = e.blobs.filter(b => !present.has(b.blob));
      if (missing.length === 0) return [];
      const status = e.status === 'A' ? 'added' : e.status === 'D' ? 'deleted' : 'modified';
      const change: FileChange = { path: e.path, status, binary: false, additions: 0, deletions: 0, added: [], removed: [], hunks: [],
        commits: [], unreadable: missing };
      const blob = e.blobs.find(b => b.side === 'to')?.blob;
      const oldBlob = e.blobs.find(b => b.side === 'from')?.blob;
      if (blob) change.blob = blob;
      if (oldBlob) change.oldBlob = oldBlob;
      return [change];
    });
  }

  /**
   * Which commits in from..to touched each path, following renames: a commit that touched `old` before
   * `old` was renamed to `new` counts for `new`.
   */
  private async commitsPerPath(from: Sha, to: Sha): Promise<Map<string, Sha[]>> {
    const key = `${from}..${to}`;
    const known = this.cache.get(COMMITS_PER_PATH, key, isPathCommits);
    if (known) return new Map(known);
    let isWhole = true;
    const perCommit: { sha: Sha; entries: { path: string; oldPath?: string }[] }[] = [];
    const args = (renames: string): string[] => ['log', '--topo-order', '--format=%x1e%H', '--name-status', '-z', renames, `${from}..${to}`, '--'];
    // Rename detection reads blobs; with one missing from the store, the commits are still listed, without renames.
    const out = await gitText(this.root, args('-M')).catch(async (error: unknown) => {
      if (!isUnreadableObject(error)) throw error;
      isWhole = false; // what the store lacks today may be fetched tomorrow: not kept
      return gitText(this.root, args('--no-renames'));
    });
    for (const block of out.split('\x1e')) {
      if (!block) continue;
      const { sha, rest } = splitLogBlock(block);
      const fields = rest.split('\0');
      const entries: { path: string; oldPath?: string }[] = [];
      for (let i = 0; i < fields.length; i++) {
        const status = (fields[i] ?? '').trim();
        if (!status) continue;
        if (status.startsWith('R') || status.startsWith('C')) {
          entries.push({ oldPath: fields[i + 1] ?? '', path: fields[i + 2] ?? '' });
          i += 2;
        } else {
          entries.push({ path: fields[i + 1] ?? '' });
          i += 1;
        }
      }
      perCommit.push({ sha, entries });
    }
    // Newest first: a rename seen later maps the old name onto the final one for older commits.
    const finalName = new Map<string, string>();
    const result = new Map<string, Sha[]>();
    for (const { sha, entries } of perCommit) {
      for (const e of entries) {
        const name = finalName.get(e.path) ?? e.path;
        const list = result.get(name);
        if (list) list.push(sha);
        else result.set(name, [sha]);
        if (e.oldPath) finalName.set(e.oldPath, name);
      }
    }
    if (isWhole) this.cache.set(COMMITS_PER_PATH, key, [...result]);
    return result;
  }

  private blobReader(): BlobReader {
    this.blobs ??= new BlobReader(this.root);
    return this.blobs;
  }

  async readFile(at: Sha, path: string): Promise<string | undefined> {
    const buf = await this.readAt(at, path);
    return buf?.toString('utf8');
  }

  async readFiles(at: Sha, paths: readonly string[]): Promise<Map<string, string | undefined>> {
    const values = await Promise.all(paths.map(p => this.readAt(at, p)));
    return new Map(paths.map((p, i) => [p, values[i]?.toString('utf8')]));
  }

  /**
   * `cat-file --batch` takes one request a line, so a path holding a newline is first turned into its blob id
   * (one `rev-parse`, with the path in an argument of its own).
   */
  private async readAt(at: Sha, path: string): Promise<Buffer | undefined> {
    if (!/[\n\r]/.test(path)) return this.blobReader().read(`${at}:${path}`);
    const id = (await gitTextOrUndefined(this.root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${at}:${path}`]))?.trim();
    return id && SHA.test(id) ? this.blobReader().read(id) : undefined;
  }

  async readBlobs(blobs: readonly string[]): Promise<Map<string, string | undefined>> {
    const reader = this.blobReader();
    const values = await Promise.all(blobs.map(b => reader.read(b)));
    return new Map(blobs.map((b, i) => [b, values[i]?.toString('utf8')]));
  }

  async listFiles(at: Sha): Promise<string[]> {
    // A commit id names its tree for good: kept, a warm run starts no ls-tree.
    const isCommitId = SHA.test(at);
    const known = isCommitId ? this.cache.get(TREE_FILES, at, isPathList) : undefined;
    if (known) return known;
    const out = await gitText(this.root, ['ls-tree', '-r', '-z', '--name-only', '--full-tree', at]);
    const files = out.split('\0').filter(Boolean).sort();
    if (isCommitId) this.cache.set(TREE_FILES, at, files);
    return files;
  }

  async fileHistory(from: Sha, to: Sha, path: string): Promise<{ sha: Sha; blob: string | null }[]> {
    const key = `${from}..${to}\0${path}`;
    const known = this.cache.get(FILE_HISTORY, key, isFileHistory);
    if (known) return known;
    const out = await gitText(this.root, ['log', '--topo-order', '--reverse', '--format=%x1e%H', '--raw', '--no-abbrev',
      '-z', '--no-renames', `${from}..${to}`, '--', `:(top,literal)${path}`]);
    const history: { sha: Sha; blob: string | null }[] = [];
    for (const block of out.split('\x1e')) {
      if (!block) continue;
      const { sha, rest: raw } = splitLogBlock(block);
      const m = /:\d+ \d+ [0-9a-f]+ ([0-9a-f]+) ([A-Z])/.exec(raw);
      if (!m) continue; // a merge without its own change to the file
      history.push({ sha, blob: m[2] === 'D' ? null : (m[1] as string) });
    }
    this.cache.set(FILE_HISTORY, key, history);
    return history;
  }

  async blame(from: Sha, to: Sha, path: string, lines: readonly LineRange[]): Promise<Map<number, Sha>> {
    const result = new Map<number, Sha>();
    if (lines.length === 0) return result;
    const args = ['blame', '--porcelain', '--no-textconv'];
    for (const r of lines) args.push('-L', `${r.start},${r.end}`);
    args.push(`${from}..${to}`, '--', path);
    const boundary = new Set<string>();
    let current: { sha: string; line: number; count: number } | undefined;
    try {
      await gitLines(this.root, args, line => {
        const header = /^([0-9a-f]{40}) \d+ (\d+)(?: (\d+))?$/.exec(line);
        if (header) {
          current = { sha: header[1] as string, line: Number(header[2]), count: 1 };
          result.set(current.line, current.sha);
        } else if (line === 'boundary' && current) boundary.add(current.sha);
      });
    } catch (error) {
      if (error instanceof GitError) return result; // e.g. a range past the end: blame is a refinement only
      throw error;
    }
    for (const [line, sha] of result) if (boundary.has(sha)) result.delete(line);
    return result;
  }
}

/** Cache kinds (see cache/blob-cache.ts), each keyed by the pair of commits. */
const COMMITS = 'git-commits';
const COMMITS_PER_PATH = 'git-commits-per-path';
const FILE_HISTORY = 'git-file-history';
/** Keyed by one commit id: the paths of its tree. */
const TREE_FILES = 'git-tree-files';

const isSha = (v: unknown): v is string => typeof v === 'string' && SHA.test(v);

function isCommitList(value: unknown): value is Commit[] {
  return Array.isArray(value) && value.every(c => c !== null && typeof c === 'object' && isSha(c.sha) && Array.isArray(c.parents)
    && c.parents.every(isSha) && typeof c.author === 'string' && typeof c.date === 'string' && typeof c.subject === 'string');
}

function isPathCommits(value: unknown): value is [string, Sha[]][] {
  return Array.isArray(value) && value.every(e => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string'
    && Array.isArray(e[1]) && e[1].every(isSha));
}

function isPathList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(p => typeof p === 'string' && p !== '');
}

function isFileHistory(value: unknown): value is { sha: Sha; blob: string | null }[] {
  return Array.isArray(value) && value.every(h => h !== null && typeof h === 'object' && isSha(h.sha)
    && (h.blob === null || (typeof h.blob === 'string' && /^[0-9a-f]{40,64}$/.test(h.blob))));
}

/** Past this many files whose patch is needed, one whole `git diff` costs less than naming them all. */
const MAX_PATCHED_BY_PATH = 256;

/** Past this size a file git calls binary is not read to check: it stays binary. */
const MAX_TEXT_CHECK_BYTES = 8 * 1024 * 1024;

/** Git's own rule without attributes: text has no NUL byte in its first 8000 bytes. */
function isTextContent(buf: Buffer | undefined): boolean {
  return buf !== undefined && !buf.subarray(0, 8000).includes(0);
}

/** `git diff` or `log -M` stopped at a blob the object store lacks (a partial clone, a damaged or filtered mirror). */
function isUnreadableObject(error: unknown): boolean {
  return error instanceof GitError && /unable to read|bad object|missing blob|could not read|invalid object/i.test(`${error.message}\n${error.stderr}`);
}

/** A `%x1e%H` record of `git log -z`: the sha, then NUL and newline, then the commit's file entries. */
function splitLogBlock(block: string): { sha: Sha; rest: string } {
  const sha = block.slice(0, 40);
  return { sha, rest: block.slice(40).replace(/^\0?\n?/, '') };
}

function isoUtc(date: string): string {
  const d = new Date(date);
  return Number.isNaN(d.getTime()) ? date : d.toISOString().replace('.000Z', 'Z');
}
