import { npmLockStates, parseNpmLock } from '../lockfiles/npm-lock.js';
import { changedBlocks, copiesOfPackages, type BlockSyntax, type Copies, type LinePlace, type Side } from './text-blocks.js';

// package-lock.json as npm writes it (JSON.stringify with two spaces): top-level keys at indent 2, and in "packages"
// (v2, v3) or "dependencies" (v1) one entry per install path or name, its head `    "node_modules/x": {` at indent
// 4 and its closing brace at indent 4. Read alone, a run of whole entries gives the copies it gives in the file,
// provided the file is laid out that way: a revision is a base for the next one's diff only when it is exactly what
// JSON.stringify writes (so no key appears twice and every indent-4 line is an entry's), and a changed entry must be
// too, its commas must match its neighbours, and an entry key the diff adds must not be in the rest of the file.
// Anything else (a line of the root object other than "name"/"version", lockfileVersion, another layout) is left to a
// full parse.

/** Whether a fully parsed revision is laid out as npm writes it, so that its entries can be read alone. */
export function isNpmBlockBase(text: string): boolean {
  try {
    return text === `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  } catch {
    return false;
  }
}

/** What the changed entries of a package-lock.json held before and hold after, or undefined when the text cannot decide. */
export function changedNpmBlocks(oldText: string, newText: string): { removed: Copies; added: Copies } | undefined {
  return changedBlocks(oldText, newText, npmSyntax);
}

const HEAD = /^ {4}("(?:[^"\\]|\\.)*"): \{(\},?)?$/;
const CLOSER = /^ {4}\},?$/;
/** Root-object lines that no package's state depends on (`npm version` rewrites them). */
const NEUTRAL_ROOT = /^ {2}"(?:name|version)": "(?:[^"\\]|\\.)*",?$/;

/** Leading spaces, counted up to 5: the layout only needs below 4, 4, and deeper. */
function indentOf(line: string): number {
  let n = 0;
  while (n < 5 && line.charCodeAt(n) === 32) n++;
  return n;
}

const npmSyntax: BlockSyntax = {
  // An entry's head, or a line of the root object.
  opensBlock: line => line.charCodeAt(0) === 32 && line.charCodeAt(1) === 32 && (line.charCodeAt(2) !== 32 || (line.charCodeAt(3) === 32 && line.charCodeAt(4) === 34)),
  place(lines, n): LinePlace {
    const line = lines[n] ?? '';
    const indent = indentOf(line);
    // The root object's own lines are in no entry: read() refuses any of them in a change but "name" and "version".
    if (indent < 4) return null;
    return entryAt(lines, n);
  },
  read(before: Side, after: Side) {
    const old = readSide(before);
    const now = readSide(after);
    if (!old || !now || old.hasPackages !== now.hasPackages) return undefined;
    // A key the diff brings in that the rest of the file already holds: JSON.parse would keep only the last one.
    for (const key of now.keys) {
      if (!old.keys.has(key) && holdsHead(before, key)) return undefined;
    }
    const removed = copiesOf(old.entries, old.hasPackages);
    const added = copiesOf(now.entries, now.hasPackages);
    return removed && added ? { removed, added } : undefined;
  },
};

/** The entry that holds line n (its head at indent 4 through its closing brace), or undefined. */
function entryAt(lines: readonly string[], n: number): readonly [number, number] | undefined {
  let head = n;
  while (head >= 0 && indentOf(lines[head] ?? '') > 4) head--;
  const headLine = lines[head] ?? '';
  if (head === n && CLOSER.test(headLine)) {
    head--;
    while (head >= 0 && indentOf(lines[head] ?? '') > 4) head--;
    const m = HEAD.exec(lines[head] ?? '');
    return m && m[2] === undefined ? [head, n + 1] : undefined;
  }
  const m = HEAD.exec(lines[head] ?? '');
  if (!m) return undefined;
  if (m[2] !== undefined) return head === n ? [head, head + 1] : undefined;
  let end = head + 1;
  while (end < lines.length && indentOf(lines[end] ?? '') > 4) end++;
  return CLOSER.test(lines[end] ?? '') ? [head, end + 1] : undefined;
}

interface Entry { section: string; key: string; value: unknown }

/** The entries of lines [start, end), each checked as JSON.stringify writes it, with the commas its neighbours need. */
function readSide(side: Side): { entries: Entry[]; keys: Set<string>; hasPackages: boolean } | undefined {
  const { lines, start, end } = side;
  const entries: Entry[] = [];
  const keys = new Set<string>();
  // The line above the run keeps its text, and must still be followed as its comma says.
  if (start > 0 && !commaFits(lines, start - 1)) return undefined;
  let k = start;
  let section: string | undefined;
  while (k < end) {
    const line = lines[k] ?? '';
    if (indentOf(line) === 2) {
      if (!NEUTRAL_ROOT.test(line) || !commaFits(lines, k)) return undefined;
      k++;
      continue;
    }
    const place = entryAt(lines, k);
    if (!place || place[0] !== k || place[1] > end) return undefined;
    section ??= sectionOf(lines, k);
    if (section !== 'packages' && section !== 'dependencies') return undefined;
    const entry = readEntry(lines, place[0], place[1], section);
    if (!entry || keys.has(`${section}\0${entry.key}`) || !commaFits(lines, place[1] - 1)) return undefined;
    keys.add(`${section}\0${entry.key}`);
    entries.push(entry);
    k = place[1];
  }
  return { entries, keys, hasPackages: hasPackagesSection(lines) };
}

/** One entry's value, when its lines are exactly what JSON.stringify writes for it at this depth. */
function readEntry(lines: readonly string[], start: number, end: number, section: string): Entry | undefined {
  const text = lines.slice(start, end).join('\n').replace(/,$/, '');
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(`{${text}}`) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const keys = Object.keys(parsed);
  if (keys.length !== 1) return undefined;
  const key = keys[0] as string;
  const value = parsed[key];
  if (`    ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replace(/\n/g, '\n    ')}` !== text) return undefined;
  return { section, key, value };
}

/** A closing brace or a root line has a comma exactly when another member follows it. */
function commaFits(lines: readonly string[], n: number): boolean {
  const line = lines[n] ?? '';
  const next = lines[n + 1] ?? '';
  if (CLOSER.test(line) || HEAD.exec(line)?.[2] !== undefined) return line.endsWith(',') === HEAD.test(next);
  if (indentOf(line) === 2 && !line.endsWith('{')) return line.endsWith(',') === (indentOf(next) === 2);
  // A section's opening line (or the root's): what follows it is checked on its own.
  return indentOf(line) <= 2 && line.endsWith('{');
}

/** Line numbers of the root object's own lines (indent 2), per text: where each section opens. */
const rootLines = new WeakMap<readonly string[], number[]>();

function rootLinesOf(lines: readonly string[]): number[] {
  let known = rootLines.get(lines);
  if (!known) {
    known = [];
    for (let k = 0; k < lines.length; k++) {
      const line = lines[k] as string;
      if (line.charCodeAt(0) === 32 && line.charCodeAt(1) === 32 && line.charCodeAt(2) !== 32) known.push(k);
    }
    rootLines.set(lines, known);
  }
  return known;
}

/** The top-level key whose object holds line n: the nearest root line above it. */
function sectionOf(lines: readonly string[], n: number): string | undefined {
  const roots = rootLinesOf(lines);
  let lo = 0;
  let hi = roots.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((roots[mid] as number) < n) lo = mid + 1;
    else hi = mid;
  }
  const above = lo > 0 ? roots[lo - 1] : undefined;
  return above === undefined ? undefined : /^ {2}"([a-z]+)": \{$/.exec(lines[above] ?? '')?.[1];
}

function hasPackagesSection(lines: readonly string[]): boolean {
  return rootLinesOf(lines).some(k => (lines[k] ?? '').startsWith('  "packages": {'));
}

/** Each text's entry heads (`    "key": {`), built the first time a diff brings in a key. */
const headLines = new WeakMap<readonly string[], Set<string>>();

/** Whether the head line of `key` (section\0key) is in the text outside lines [start, end), whose own keys the caller knows. */
function holdsHead(side: Side, sectionKey: string): boolean {
  const key = sectionKey.slice(sectionKey.indexOf('\0') + 1);
  let heads = headLines.get(side.lines);
  if (!heads) {
    heads = new Set();
    for (const line of side.lines) {
      if (line.charCodeAt(4) !== 34 || line.charCodeAt(3) !== 32 || line.charCodeAt(5) === 32) continue;
      const m = HEAD.exec(line);
      if (m) heads.add(m[1] as string);
    }
    headLines.set(side.lines, heads);
  }
  return heads.has(JSON.stringify(key));
}

/** The copies of the entries, read by the parser's own code on a lockfile of those entries alone. */
function copiesOf(entries: readonly Entry[], hasPackages: boolean): Copies | undefined {
  // v2 keeps v1's "dependencies" beside "packages" for old npm versions; the states come from "packages" only.
  const own = entries.filter(e => e.section === (hasPackages ? 'packages' : 'dependencies'));
  if (own.length === 0) return new Map();
  const members = Object.fromEntries(own.map(e => [e.key, e.value]));
  if (hasPackages) return npmLockStates(JSON.stringify({ lockfileVersion: 3, packages: members }));
  const parsed = parseNpmLock(JSON.stringify({ lockfileVersion: 1, dependencies: members }), 'package-lock.json');
  return parsed.ok ? copiesOfPackages(parsed.value.packages) : undefined;
}
