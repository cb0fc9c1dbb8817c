// Release notes by version: which later release says it fixed a leak (the version moved to may have it), and which
// release in the range announced keeping more (a cache, a pool, keep-alive), a regression that reads like a feature.
// Pure: the texts come from changelogs in archives, registry descriptions and GitHub releases.

export interface NotesSection { version: string; lines: string[] }
export interface NoteQuote { version: string; quote: string; source: string }

const V = String.raw`\[?v?(\d+\.\d+(?:\.\d+)?(?:[-.+]?[0-9A-Za-z.]+)?)\]?`;
/**
 * A version heading: Markdown `## 1.2.0`, `## [1.2.0] - 2024-01-01`, `### pkg 1.2.0`; a line that is only a version,
 * maybe with a date (reST `1.2.0 (2024-01-01)` above its underline); `Version 1.2.0`. A list item or a sentence that
 * starts with a number ("- 2.0x faster") is not one.
 */
const VERSION_HEADING = new RegExp([
  String.raw`^\s*#{1,6}\s*(?:[A-Za-z][\w.@/-]*\s+)?${V}(?:\s|[(:,—-]|$)`,
  String.raw`^\s*${V}\s*(?:[(:,—-].*|\s\(?\d{4}-\d{2}-\d{2}.*)?$`,
  String.raw`^\s*(?:version|release)\s+${V}(?:\s|[(:,—-]|$)`,
].join('|'), 'i');
const versionOf = (match: RegExpExecArray): string | undefined => match[1] ?? match[2] ?? match[3];
/** A leak named as fixed: "fix memory leak", "plugged a leak", "memory no longer grows". */
const LEAK_FIX = /\b(fix(e[sd])?|fixing|plug(s|ged)?|resolve[sd]?|prevent(s|ed)?|avoid(s|ed)?|stop(s|ped)?|close[sd]?)\b.{0,80}\b(leak(s|ed|ing|y)?|memleak|memory (growth|usage|consumption|bloat)|unbounded|out of memory|oom)\b|\bmemory leak\b|\bleak(ed|ing)? (fix|fixed)\b|\bno longer leaks?\b/i;
/** Keeping more between requests, announced as a feature. */
const RETENTION = /\b(cach(e|es|ed|ing)|pool(s|ed|ing)?|keep-?alive|retain(s|ed)?|memoi[sz](e|es|ed|ation)|reuse[sd]? (connections?|sessions?|buffers?))\b/i;
/** Lines kept from a registry description or readme: version headings and the lines either pattern can match. */
const KEEP = new RegExp(`${LEAK_FIX.source}|${RETENTION.source}|\\bleak`, 'i');
const MAX_KEPT = 400;
const MAX_QUOTE = 160;

const clip = (line: string): string => {
  const text = line.replace(/^\s*([-*+]|\d+\.)\s+/, '').replace(/\s+/g, ' ').trim();
  return text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE - 1)}…` : text;
};

/** What is cached of a long description: its version headings and the lines that could be quoted, in order. */
export function keptNoteLines(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (out.length >= MAX_KEPT) break;
    if (VERSION_HEADING.test(line) && line.length < 120) out.push(line.trim());
    else if (KEEP.test(line)) out.push(clip(line));
  }
  return out;
}

/** Lines grouped under the nearest version heading above them; lines before any heading are dropped. */
export function versionSections(lines: readonly string[]): NotesSection[] {
  const sections: NotesSection[] = [];
  let current: NotesSection | undefined;
  for (const line of lines) {
    const heading = line.length < 120 ? VERSION_HEADING.exec(line) : null;
    const version = heading ? versionOf(heading) : undefined;
    if (version) {
      current = { version, lines: [] };
      sections.push(current);
    } else current?.lines.push(line);
  }
  return sections;
}

type Compare = (a: string, b: string) => number;

function safeCompare(compare: Compare, a: string, b: string): number | undefined {
  try {
    return compare(a, b);
  } catch {
    return undefined;
  }
}

function quotes(sections: readonly NotesSection[], source: string, pattern: RegExp, keep: (version: string) => boolean, skip?: RegExp): NoteQuote[] {
  const out: NoteQuote[] = [];
  for (const section of sections) {
    if (!keep(section.version)) continue;
    for (const line of section.lines) {
      if (!pattern.test(line) || (skip && skip.test(line))) continue;
      const quote = clip(line);
      if (quote !== '' && !out.some(q => q.quote === quote)) out.push({ version: section.version, quote, source });
    }
  }
  return out;
}

/** Leak fixes in releases newer than `to`. */
export function laterLeakFixes(sections: readonly NotesSection[], source: string, to: string, compare: Compare): NoteQuote[] {
  return quotes(sections, source, LEAK_FIX, v => (safeCompare(compare, v, to) ?? 0) > 0);
}

/** Retention announced in the releases after `from` up to `to`; a line that names a leak fix is not a feature. */
export function retentionNotes(sections: readonly NotesSection[], source: string, from: string, to: string, compare: Compare): NoteQuote[] {
  return quotes(sections, source, RETENTION, v => (safeCompare(compare, v, from) ?? 0) > 0 && (safeCompare(compare, v, to) ?? 1) <= 0, LEAK_FIX);
}

/** Oldest fix first (the nearest release to `to`), then by source and text, so that output is the same every run. */
export function sortQuotes(list: readonly NoteQuote[], compare: Compare): NoteQuote[] {
  return [...list].sort((a, b) => (safeCompare(compare, a.version, b.version) ?? 0) || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0)
    || (a.quote < b.quote ? -1 : a.quote > b.quote ? 1 : 0));
}
