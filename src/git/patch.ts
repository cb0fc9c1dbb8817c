import type { FileChange, FileStatus, Hunk, LineRange } from '../types.js';

// Pure parser for `git diff -U0 -M` output, fed one line at a time so that a huge diff streams through.
// One `diff --git` section per file; content lines always start with '+', '-', ' ' or '\', so a line that
// starts with "diff --git " is always a new section.

/** Past this many kept hunk lines in one file, ranges are still counted but the text is dropped. */
export const MAX_HUNK_LINES_PER_FILE = 20_000;

interface Section {
  header: string;
  oldPath?: string;
  newPath?: string;
  status: FileStatus;
  similarity?: number;
  binary: boolean;
  hunks: Hunk[];
  additions: number;
  deletions: number;
  keptLines: number;
  truncated: boolean;
  blob?: string;
  oldBlob?: string;
  isSymlink: boolean;
  isSubmodule: boolean;
  isTextKept: boolean;
}

export class PatchParser {
  /** `isTextWanted(path)` false: count and range the file's hunks but drop their text (lockfiles: read whole instead). */
  constructor(private readonly isTextWanted: (path: string) => boolean = () => true) {}

  private readonly files: FileChange[] = [];
  private current: Section | undefined;
  private hunk: Hunk | undefined;
  private inHunk = false;

  push(line: string): void {
    if (line.startsWith('diff --git ')) {
      this.flush();
      const header = line.slice('diff --git '.length);
      this.current = { header, status: 'modified', binary: false, hunks: [], additions: 0, deletions: 0, keptLines: 0,
        truncated: false, isSymlink: false, isSubmodule: false, isTextKept: this.isTextWanted(splitHeader(header)[1] ?? '') };
      this.inHunk = false;
      return;
    }
    const s = this.current;
    if (!s) return;
    if (this.inHunk) {
      const c = line.charCodeAt(0);
      if (c === 43 /* + */ || c === 45 /* - */ || c === 32 || c === 92 /* \ */) {
        if (c === 43) s.additions++;
        else if (c === 45) s.deletions++;
        if (c !== 92 && this.hunk && s.isTextKept) {
          if (s.keptLines < MAX_HUNK_LINES_PER_FILE) {
            this.hunk.lines.push(line);
            s.keptLines++;
          } else s.truncated = true;
        }
        return;
      }
    }
    if (line.startsWith('@@')) {
      const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!m) return;
      this.hunk = { oldStart: Number(m[1]), oldLines: m[2] === undefined ? 1 : Number(m[2]),
        newStart: Number(m[3]), newLines: m[4] === undefined ? 1 : Number(m[4]), lines: [] };
      s.hunks.push(this.hunk);
      this.inHunk = true;
      return;
    }
    if (line.startsWith('--- ')) s.oldPath = stripPrefix(unquote(line.slice(4)), 'a/');
    else if (line.startsWith('+++ ')) s.newPath = stripPrefix(unquote(line.slice(4)), 'b/');
    else if (line.startsWith('new file mode')) { s.status = 'added'; this.mode(s, line.slice(-6)); }
    else if (line.startsWith('deleted file mode')) { s.status = 'deleted'; this.mode(s, line.slice(-6)); }
    else if (line.startsWith('rename from ')) { s.status = 'renamed'; s.oldPath = unquote(line.slice(12)); }
    else if (line.startsWith('rename to ')) s.newPath = unquote(line.slice(10));
    else if (line.startsWith('copy from ')) { s.status = 'copied'; s.oldPath = unquote(line.slice(10)); }
    else if (line.startsWith('copy to ')) s.newPath = unquote(line.slice(8));
    else if (line.startsWith('similarity index ')) s.similarity = Number.parseInt(line.slice(17), 10);
    else if (line.startsWith('index ')) {
      const m = /^index ([0-9a-f]+)\.\.([0-9a-f]+)(?: (\d+))?/.exec(line);
      s.oldBlob = m?.[1];
      s.blob = m?.[2];
      if (m?.[3]) this.mode(s, m[3]);
    } else if (line.startsWith('old mode ') || line.startsWith('new mode ')) this.mode(s, line.slice(-6));
    else if (line.startsWith('Binary files ') || line === 'GIT binary patch') s.binary = true;
  }

  private mode(s: Section, mode: string): void {
    s.isSymlink ||= mode === '120000';
    s.isSubmodule ||= mode === '160000';
  }

  /** All files, sorted by path. */
  finish(): FileChange[] {
    this.flush();
    return this.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private flush(): void {
    const s = this.current;
    if (!s) return;
    this.current = undefined;
    this.hunk = undefined;
    const [headerOld, headerNew] = splitHeader(s.header);
    const newPath = s.newPath === '/dev/null' ? undefined : s.newPath;
    const oldPath = s.oldPath === '/dev/null' ? undefined : s.oldPath;
    const path = (s.status === 'deleted' ? oldPath ?? headerOld : newPath ?? headerNew) ?? '';
    const change: FileChange = {
      path,
      status: s.status,
      binary: s.binary,
      additions: s.additions,
      deletions: s.deletions,
      added: rangesOf(s.hunks, 'new'),
      removed: rangesOf(s.hunks, 'old'),
      hunks: s.hunks,
      commits: [],
    };
    if (s.status === 'renamed' || s.status === 'copied') {
      change.oldPath = oldPath ?? headerOld ?? path;
      if (s.similarity !== undefined) change.similarity = s.similarity;
    }
    const blob = s.blob && !/^0+$/.test(s.blob) ? s.blob : undefined;
    const oldBlob = s.oldBlob && !/^0+$/.test(s.oldBlob) ? s.oldBlob : undefined;
    if (s.isSubmodule) {
      // The ids are commits of the submodule's own repository; its two "Subproject commit" lines are not code.
      change.submodule = { ...(oldBlob ? { from: oldBlob } : {}), ...(blob ? { to: blob } : {}) };
      change.additions = 0;
      change.deletions = 0;
      change.added = [];
      change.removed = [];
      change.hunks = [];
    } else {
      if (blob) change.blob = blob;
      if (oldBlob) change.oldBlob = oldBlob;
    }
    if (s.isSymlink) change.symlink = true;
    if (s.truncated) change.truncated = true;
    this.files.push(change);
  }
}

function rangesOf(hunks: Hunk[], side: 'old' | 'new'): LineRange[] {
  const ranges: LineRange[] = [];
  for (const h of hunks) {
    const count = side === 'new' ? h.newLines : h.oldLines;
    const start = side === 'new' ? h.newStart : h.oldStart;
    if (count > 0) ranges.push({ start, end: start + count - 1 });
  }
  return ranges;
}

function stripPrefix(path: string, prefix: string): string {
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/** `a/x b/x` where both sides are the same path (binary and mode-only changes have no ---/+++ lines). */
function splitHeader(header: string): [string | undefined, string | undefined] {
  if (header.startsWith('"')) {
    const end = closingQuote(header);
    const left = unquote(header.slice(0, end + 1));
    const right = unquote(header.slice(end + 2));
    return [stripPrefix(left, 'a/'), stripPrefix(right, 'b/')];
  }
  const half = (header.length - 1) / 2;
  if (Number.isInteger(half) && header.slice(2, half) === header.slice(half + 3)) {
    const p = header.slice(2, half);
    return [p, p];
  }
  const i = header.indexOf(' b/');
  return i < 0 ? [undefined, undefined] : [stripPrefix(header.slice(0, i), 'a/'), header.slice(i + 3)];
}

function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', '"': '"', '\\': '\\', a: '\x07', b: '\b', f: '\f', r: '\r', v: '\v' };

/** Undoes git's C-style quoting of unusual path names, including octal-escaped UTF-8 bytes. */
export function unquote(text: string): string {
  const trimmed = text.replace(/\t$/, '');
  if (!trimmed.startsWith('"') || !trimmed.endsWith('"')) return trimmed;
  const bytes: number[] = [];
  const body = trimmed.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(Number.parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(...Buffer.from(ESCAPES[next] ?? next, 'utf8'));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
