// The shared vocabulary of reldiff. Pure data only: every module may import this file.

export type Sha = string;
export type Severity = 'low' | 'medium' | 'high' | 'critical';
export type Level = Severity;
export const LEVELS: readonly Level[] = ['low', 'medium', 'high', 'critical'];

// runtime: interpreters, base images, C library and allocator; deb, apk and rpm: OS packages read from an image archive.
export type Ecosystem = 'npm' | 'pypi' | 'cargo' | 'go' | 'rubygems' | 'conda' | 'runtime' | 'deb' | 'apk' | 'rpm';
export type ChangeKind =
  | 'added' | 'removed' | 'major' | 'minor' | 'patch' | 'prerelease' | 'downgrade' | 'reresolved' | 'other';

// ---------------------------------------------------------------- git

export interface Commit {
  sha: Sha;
  parents: Sha[];
  subject: string;
  author: string;
  /** ISO-8601 author date. */
  date: string;
}

export type FileStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'type-changed';

/** Inclusive, 1-based line range. */
export interface LineRange { start: number; end: number }

export interface Hunk {
  oldStart: number; oldLines: number;
  newStart: number; newLines: number;
  /** The hunk's lines with their '+', '-' or ' ' prefix, as in a unified diff. */
  lines: string[];
}

export interface FileChange {
  path: string;
  /** Set for renames and copies. */
  oldPath?: string;
  status: FileStatus;
  /** Rename or copy similarity, 0..100. */
  similarity?: number;
  binary: boolean;
  additions: number;
  deletions: number;
  /** Lines of the file at `to` that were added or changed. */
  added: LineRange[];
  /** Lines of the file at `from` that were removed or changed. */
  removed: LineRange[];
  hunks: Hunk[];
  /** Set when the diff was too large to keep whole: ranges and counts are complete, the hunk text is cut. */
  truncated?: boolean;
  /** The file's blob id at `to` (absent for deleted files and for pure renames without an index line). */
  blob?: string;
  /** The file's blob id at `from` (absent for added files and for pure renames without an index line). */
  oldBlob?: string;
  /** A symbolic link (mode 120000) on either side: its blob is the link's target, not file content. */
  symlink?: boolean;
  /**
   * A submodule (gitlink, mode 160000) on either side: the ids are commits of another repository, not blobs, and
   * what changed inside it is not in this diff. Absent side: the submodule was added or removed.
   */
  submodule?: { from?: Sha; to?: Sha };
  /** Blobs of this file that the object store lacks (a partial clone, a damaged mirror): its diff is unknown. */
  unreadable?: { side: 'from' | 'to'; blob: string }[];
  /** Commits in from..to that touched the file, oldest first. */
  commits: Sha[];
}

/** The repository seam: the core asks, and never runs git (ARCHITECTURE.md §3). */
export interface RepoReader {
  resolve(ref: string): Promise<Sha>;
  commits(from: Sha, to: Sha): Promise<Commit[]>;
  /**
   * `isTextWanted(path)` false: line ranges only, no hunk text (saves memory on huge lockfile diffs).
   * `isKnown(file)` true (asked with what a tree diff tells: path, status, blobs): the caller already knows what it
   * needs of that file's patch, which may then come back with no hunks and zero counts (see GitRepoReader.changes).
   */
  changes(from: Sha, to: Sha, isTextWanted?: (path: string) => boolean, isKnown?: (file: FileChange) => boolean): Promise<FileChange[]>;
  readFile(at: Sha, path: string): Promise<string | undefined>;
  readFiles(at: Sha, paths: readonly string[]): Promise<Map<string, string | undefined>>;
  listFiles(at: Sha): Promise<string[]>;
  /** Commits in from..to (oldest first) that changed `path`, with the blob of `path` after each. */
  fileHistory(from: Sha, to: Sha, path: string): Promise<{ sha: Sha; blob: string | null }[]>;
  readBlobs(blobs: readonly string[]): Promise<Map<string, string | undefined>>;
  /** For lines of `path` at `to`: which commit in from..to last wrote them (absent: older than `from`). */
  blame(from: Sha, to: Sha, path: string, lines: readonly LineRange[]): Promise<Map<number, Sha>>;
}

// ---------------------------------------------------------------- lockfiles

export type FormatId =
  | 'npm-lock' | 'npm-ls' | 'yarn-classic' | 'yarn-berry' | 'pnpm-lock' | 'bun-lock'
  | 'requirements' | 'pip-list' | 'poetry-lock' | 'uv-lock' | 'pipfile-lock' | 'pdm-lock' | 'pylock' | 'conda-lock' | 'conda-list' | 'pixi-lock'
  | 'cargo-lock' | 'go-mod' | 'go-sum' | 'gemfile-lock'
  | 'runtime-pins' | 'image-archive';

export interface PackageFacts {
  installScript?: boolean;
  /** Native code that the lockfile itself shows (platform wheels, `requiresBuild`, `built`...). */
  native?: boolean;
  resolved?: string;
  integrity?: string;
  optional?: boolean;
  peer?: boolean;
}

export interface LockedPackage {
  name: string;
  version: string;
  direct: boolean;
  dev: boolean;
  /** Where this copy is installed, to keep nested and duplicate versions apart. */
  installPath?: string;
  facts: PackageFacts;
}

export interface DependencySet {
  format: FormatId;
  ecosystem: Ecosystem;
  /** The lockfile's path in the repository, or the file given to `reldiff deps`. */
  path: string;
  /** Sorted by name, version, installPath. */
  packages: LockedPackage[];
}

export interface ParseError { code: string; message: string; hint: string; line?: number }

export type Parsed<T> =
  | { ok: true; value: T; warnings: string[] }
  | { ok: false; error: ParseError };

export interface LockfileFormat {
  id: FormatId;
  ecosystem: Ecosystem;
  /** File name first, then content sniffing. `text` may be empty when only the name is known. */
  detect(path: string, text: string): boolean;
  parse(text: string, path: string): Parsed<DependencySet>;
  /**
   * Optional fast path for walking hundreds of revisions: each package name with its copies as `version|integrity`,
   * without building the full set. Undefined when the text is not readable this way (the caller then parses).
   */
  states?(text: string): Map<string, string[]> | undefined;
}

// ---------------------------------------------------------------- changes and findings

/** A reason or signal as data; wording lives in report/reasons.ts. */
export interface Reason { id: string; args: Record<string, string | number> }

export interface Signal { id: string; detail: string }

export interface DependencyChange {
  ecosystem: Ecosystem;
  lockfile: string;
  name: string;
  /** Highest version before, or null when added. */
  from: string | null;
  /** Highest version after, or null when removed. */
  to: string | null;
  /** Every installed version before and after (sorted). */
  fromVersions: string[];
  toVersions: string[];
  change: ChangeKind;
  direct: boolean;
  dev: boolean;
  before?: PackageFacts;
  after?: PackageFacts;
  signals: Signal[];
  commits: Sha[];
}

export interface Finding {
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  message: string;
  commits: Sha[];
  /** Set when a `reldiff-ignore` comment silenced the hit: the reason given. */
  ignored?: string;
  /** The lines around the hit at `to`, for reports that show code. */
  excerpt?: Excerpt;
}

export interface Excerpt { start: number; lines: string[] }

export type ItemKind = 'source' | 'dependency';

export interface ScoredItem {
  /** Stable across runs: same change, same id. */
  id: string;
  kind: ItemKind;
  /** Risk points before squashing into 0..1. */
  points: number;
  reasons: Reason[];
  title: string;
  file?: string;
  /** Source items: the file's language, from its name. */
  language?: string;
  dependency?: { ecosystem: Ecosystem; name: string; lockfile: string };
  commits: Sha[];
}

// ---------------------------------------------------------------- seams for the analysis stages

/** A changed source file as the rule engine receives it. */
export interface SourceInput {
  path: string;
  /** The file's text at `to` (absent for deleted files). */
  text?: string;
  /** The file's text at `from` (absent for added files). */
  oldText?: string;
  change: FileChange;
}

export interface RuleSettings {
  /** Per rule id: 'off' or a severity that replaces the rule's own. */
  rules?: Record<string, 'off' | Severity>;
}

/** Everything that may go wrong without invalidating the rest of the report. */
export type Warnings = string[];
