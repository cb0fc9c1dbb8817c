import { diffLines } from '../util/line-diff.js';
import type { PackageTree } from './tarball.js';

// What the package's own release notes say between the two versions, when they mention memory.

const CHANGELOG = /^(changelog|changes|history|news|release[-_ ]?notes)(\.(md|markdown|txt|rst))?$/i;
const MEMORY = /\b(memory|leak(s|y|ing|ed)?|memleak|heap|oom|out of memory|caches?|cached|caching|listeners?|timers?|retain(s|ed)?|unbounded)\b/i;
export const MAX_QUOTES = 5;
/** A changelog diff past this many changed lines is a rewrite: read as the lines the old one lacked. */
const MAX_CHANGELOG_EDIT = 20_000;

/** The top-level changelog, else one under docs/ (Python projects keep docs/changelog.rst or docs/changes.rst). */
export function findChangelog(tree: PackageTree): string | undefined {
  const paths = [...tree.files.keys()];
  return paths.filter(path => !path.includes('/') && CHANGELOG.test(path)).sort()[0]
    ?? paths.filter(path => /^docs?\/[^/]+$/i.test(path) && CHANGELOG.test(path.replace(/^docs?\//i, ''))).sort()[0];
}

/** Lines added to the changelog between the versions (or, without an old one, the new version's sections). */
export function changelogEntries(before: PackageTree, after: PackageTree, from: string, to: string): { file: string; lines: string[] } | undefined {
  const file = findChangelog(after);
  if (!file) return undefined;
  const text = after.files.get(file) ?? '';
  const old = before.files.get(findChangelog(before) ?? '');
  if (old !== undefined) {
    const hunks = diffLines(old, text, MAX_CHANGELOG_EDIT);
    // Rewritten past the budget (reformatted, reordered): the lines the old text did not have, in order.
    const known = hunks ? undefined : new Set(old.split('\n'));
    const lines = hunks ? hunks.flatMap(h => h.lines.filter(l => l.startsWith('+')).map(l => l.slice(1)))
      : text.replace(/\n$/, '').split('\n').filter(l => !known?.has(l));
    return { file, lines };
  }
  return { file, lines: sectionBetween(text, from, to) };
}

/** From the first heading naming `to` down to the heading naming `from`. */
export function sectionBetween(text: string, from: string, to: string): string[] {
  const lines = text.split(/\r?\n/);
  const names = (v: string) => new RegExp(`(^|[^0-9.])v?${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^0-9.]|$)`);
  const isHeading = (l: string) => /^(#{1,4}\s|=+$|-+$|\S.*\s\(\d{4}-\d{2}-\d{2}\))/.test(l) || /^v?\d+\.\d+/.test(l);
  const start = lines.findIndex(l => isHeading(l) && names(to).test(l));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && isHeading(l) && names(from).test(l));
  return lines.slice(start, end < 0 ? undefined : end);
}

/** Quotes the memory-related entries, trimmed of list markers and clipped. */
export function memoryQuotes(lines: readonly string[]): string[] {
  const quotes: string[] = [];
  for (const raw of lines) {
    const line = raw.replace(/^\s*([-*+]|\d+\.)\s+/, '').replace(/\s+/g, ' ').trim();
    if (line === '' || line.startsWith('#') || !MEMORY.test(line)) continue;
    const clipped = line.length > 160 ? `${line.slice(0, 159)}…` : line;
    if (!quotes.includes(clipped)) quotes.push(clipped);
  }
  return quotes;
}
