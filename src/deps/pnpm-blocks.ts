import { baseKey, parsePnpmLock, pickDocument } from '../lockfiles/pnpm-lock.js';
import { parseYamlDocs } from '../lockfiles/yaml-lite.js';
import { blockAt } from './block-search.js';
import { changedBlocks, copiesOfPackages, type BlockSyntax, type Copies, type LinePlace, type Side } from './text-blocks.js';

// pnpm-lock.yaml as pnpm writes it: top-level sections at indent 0, and under `packages:` (and, from lockfile 9,
// `snapshots:`) one entry per key at indent 2. A package's state (version and integrity, see packageStates) comes
// from its node: the `packages` entry in 5.x/6, the `snapshots` entry with the `packages` entry of its base key (the
// key without peer suffixes) in 9. `importers` and the other sections only say what is direct or dev, so a change
// there moves no state, provided the file still parses. So a diff is read as: the changed entries, and in 9 every
// snapshot whose base key's `packages` entry changed, each side parsed alone as a lockfile of those entries by the
// parser's own code. A key written twice (YAML keeps the last), anchors, a byte-order mark, a changed top-level
// line, a change above the last document (pnpm 11's env document) or in a base whose picked document is not the
// last one, and anything the line-based YAML subset would not read, are left to a full parse.

const isNeutral = (line: string): boolean => {
  const trimmed = line.trimStart();
  return trimmed === '' || trimmed === '\r' || trimmed.charCodeAt(0) === 35;
};
const indentOf = (line: string): number => {
  let n = 0;
  while (line.charCodeAt(n) === 32) n++;
  return n;
};
const isDocMarker = (line: string): boolean =>
  (line.startsWith('---') || line.startsWith('...')) && (line.length === 3 || line.charCodeAt(3) === 32 || line.charCodeAt(3) === 13);
const ENTRY_SECTIONS = new Set(['packages', 'snapshots']);

/** A head's key as yaml-lite reads it (quoted or plain), or undefined when it is not that simple. */
function keyOf(raw: string): string | undefined {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const c = line.charCodeAt(2);
  if (c === 39) {
    let j = 3;
    for (;;) {
      j = line.indexOf("'", j);
      if (j < 0) return undefined;
      if (line.charCodeAt(j + 1) !== 39) break;
      j += 2;
    }
    return line.charCodeAt(j + 1) === 58 ? line.slice(3, j).replace(/''/g, "'") : undefined;
  }
  if (c === 34) {
    const j = line.indexOf('"', 3);
    if (j < 0 || line.slice(3, j).includes('\\') || line.charCodeAt(j + 1) !== 58) return undefined;
    return line.slice(3, j);
  }
  if (c === 63 || c === 38 || c === 42 || c === 33 || c === 123 || c === 91 || c === 45) return undefined;
  let colon = line.indexOf(': ', 2);
  if (colon < 0) {
    if (!line.endsWith(':')) return undefined;
    colon = line.length - 1;
  }
  const key = line.slice(2, colon);
  return key.includes(' #') ? undefined : key;
}

/** Where everything sits in one text: its entries, its sections, its last document. */
interface Layout {
  /** Entry blocks [start, end) in order, with their section and key. */
  blocks: { start: number; end: number; section: string; key: string }[];
  /** Per section, key -> index in `blocks`. */
  bySection: Map<string, Map<string, number>>;
  /** 9.x: base key -> the snapshot keys on it. */
  snapshotsOf: Map<string, string[]>;
  /** Top-level lines of the last document: line number -> key (undefined for a line that is not `key:`). */
  sections: { line: number; key: string | undefined }[];
  lastDoc: number;
  lockfileVersionLine: string | undefined;
  /** `snapshots:` with entries, `snapshots: {}`, or absent (`none`); anything else is `other`. */
  snapshots: 'entries' | 'empty' | 'none' | 'other';
  /** A key written twice, or a head that is not simple: nothing of this text is read alone. */
  unsure: boolean;
}

const layouts = new WeakMap<readonly string[], Layout>();

function layoutOf(lines: readonly string[]): Layout {
  const known = layouts.get(lines);
  if (known) return known;
  let lastDoc = 0;
  for (let k = 0; k < lines.length; k++) if (isDocMarker(lines[k] as string)) lastDoc = k + 1;
  const layout: Layout = { blocks: [], bySection: new Map(), snapshotsOf: new Map(), sections: [], lastDoc,
    lockfileVersionLine: undefined, snapshots: 'none', unsure: false };
  let section: string | undefined;
  for (let k = lastDoc; k < lines.length; k++) {
    const line = lines[k] as string;
    if (isNeutral(line)) continue;
    const indent = indentOf(line);
    if (indent === 0) {
      const m = /^([A-Za-z]+):( .*)?\r?$/.exec(line);
      section = m?.[1];
      // A section written twice: YAML keeps the last, and the first one's entries would be read as if they counted.
      if (section !== undefined && layout.sections.some(s => s.key === section)) layout.unsure = true;
      layout.sections.push({ line: k, key: section });
      if (section === 'lockfileVersion') layout.lockfileVersionLine = line.replace(/\r$/, '');
      if (section === 'snapshots') layout.snapshots = m?.[2] === undefined ? 'entries' : m[2].trim() === '{}' ? 'empty' : 'other';
      continue;
    }
    if (indent !== 2 || section === undefined || !ENTRY_SECTIONS.has(section)) continue;
    const key = keyOf(line);
    let end = k + 1;
    while (end < lines.length && (isNeutral(lines[end] as string) || indentOf(lines[end] as string) > 2)) end++;
    if (key === undefined) layout.unsure = true;
    else {
      let keys = layout.bySection.get(section);
      if (!keys) layout.bySection.set(section, (keys = new Map()));
      if (keys.has(key)) layout.unsure = true;
      keys.set(key, layout.blocks.length);
      layout.blocks.push({ start: k, end, section, key });
      if (section === 'snapshots') {
        const base = baseKey(key);
        const list = layout.snapshotsOf.get(base);
        if (list) list.push(key);
        else layout.snapshotsOf.set(base, [key]);
      }
    }
    k = end - 1;
  }
  layouts.set(lines, layout);
  return layout;
}

/** The top-level section that holds line n of the last document, or undefined above it. */
function sectionAt(layout: Layout, n: number): { line: number; key: string | undefined } | undefined {
  let found: { line: number; key: string | undefined } | undefined;
  for (const s of layout.sections) {
    if (s.line > n) break;
    found = s;
  }
  return found;
}

const pnpmSyntax: BlockSyntax = {
  opensBlock: line => !isNeutral(line) && (line.charCodeAt(0) !== 32 || (line.charCodeAt(1) === 32 && line.charCodeAt(2) !== 32)),
  place(lines, n): LinePlace {
    const layout = layoutOf(lines);
    const block = blockAt(layout.blocks, n);
    return block ? [block.start, block.end] : null;
  },
  // Each run of changed entries only adds its keys: in 9.x two runs (a `packages` entry, its snapshot) may reach the
  // same snapshot, which must be read once, so the copies are read after the last run (changedPnpmBlocks).
  read(before: Side, after: Side) {
    const old = changedKeys(before);
    const now = changedKeys(after);
    if (!old || !now || !pending) return undefined;
    pending.oldLines = before.lines;
    pending.newLines = after.lines;
    for (const [into, from] of [[pending.old, old], [pending.now, now]] as const) {
      for (const [section, keys] of from) {
        const list = into.get(section);
        if (list) list.push(...keys);
        else into.set(section, [...keys]);
      }
    }
    return { removed: new Map(), added: new Map() };
  },
};

/** The keys the runs of the current diff changed, per side and section. */
let pending: { old: Map<string, string[]>; now: Map<string, string[]>; oldLines?: readonly string[]; newLines?: readonly string[] } | undefined;

/**
 * The keys of the entries in lines [start, end), by section; undefined when a line there is neither in an entry nor
 * in a section that moves no state, or such a section no longer reads as a map.
 */
function changedKeys(side: Side): Map<string, string[]> | undefined {
  const layout = layoutOf(side.lines);
  if (layout.unsure) return undefined;
  const keys = new Map<string, string[]>();
  const checked = new Set<number>();
  for (let k = side.start; k < side.end; k++) {
    const line = side.lines[k] as string;
    const block = blockAt(layout.blocks, k);
    if (block) {
      if (block.start === k) {
        const list = keys.get(block.section);
        if (list) list.push(block.key);
        else keys.set(block.section, [block.key]);
      }
      continue;
    }
    if (isNeutral(line)) continue;
    // A top-level line, a line above the last document, or a stray line in an entry section.
    if (k < layout.lastDoc || indentOf(line) === 0) return undefined;
    const section = sectionAt(layout, k);
    if (!section || section.key === undefined || ENTRY_SECTIONS.has(section.key) || section.key === 'lockfileVersion') return undefined;
    if (!checked.has(section.line)) {
      checked.add(section.line);
      if (!sectionReads(side.lines, layout, section.line)) return undefined;
    }
  }
  return keys;
}

/** Whether a section of no entries (importers and the like) reads alone as a map through the YAML subset. */
function sectionReads(lines: readonly string[], layout: Layout, line: number): boolean {
  const next = layout.sections.find(s => s.line > line)?.line ?? lines.length;
  const yaml = parseYamlDocs(lines.slice(line, next).join('\n'));
  if (!yaml.ok || yaml.isFallback || yaml.docs.length !== 1) return false;
  const value = Object.values(yaml.docs[0] ?? {})[0];
  return value === '' || (typeof value === 'object' && value !== null && !Array.isArray(value));
}

/** Each side's copies of the changed entries (and, in 9.x, of every snapshot on a changed base), read alone. */
function copiesOf(lines: readonly string[], layout: Layout, changed: Map<string, string[]>, bases: ReadonlySet<string>): Copies | undefined {
  if (!layout.lockfileVersionLine) return undefined;
  const v9 = layout.snapshots !== 'none';
  if (layout.snapshots === 'other') return undefined;
  const packages = new Set<string>(changed.get('packages') ?? []);
  const snapshots = new Set<string>(changed.get('snapshots') ?? []);
  if (v9) {
    for (const base of bases) {
      for (const key of layout.snapshotsOf.get(base) ?? []) snapshots.add(key);
      if (layout.bySection.get('packages')?.has(base)) packages.add(base);
    }
    for (const key of snapshots) if (layout.bySection.get('packages')?.has(baseKey(key))) packages.add(baseKey(key));
  }
  if (packages.size === 0 && snapshots.size === 0) return new Map();
  const text = (section: string, keys: ReadonlySet<string>): string => {
    if (keys.size === 0) return `${section}: {}`;
    const own = layout.bySection.get(section) as Map<string, number>;
    const out = [`${section}:`];
    for (const key of keys) {
      const block = layout.blocks[own.get(key) as number]!;
      for (let k = block.start; k < block.end; k++) out.push(lines[k] as string);
    }
    return out.join('\n');
  };
  const mini = [layout.lockfileVersionLine, text('packages', packages), ...(v9 ? [text('snapshots', snapshots)] : [])].join('\n') + '\n';
  // The entries must read through the line-based subset, as in a file that is its base's own shape.
  const yaml = parseYamlDocs(mini);
  if (!yaml.ok || yaml.isFallback) return undefined;
  const parsed = parsePnpmLock(mini, 'pnpm-lock.yaml');
  return parsed.ok ? copiesOfPackages(parsed.value.packages) : undefined;
}

/**
 * Whether a fully parsed revision can be the base of the next one's diff: it reads through the YAML subset (no
 * anchors, no block scalars) and its project is its last document, so that a diff below the last document marker
 * cannot change which document the parser picks.
 */
export function isPnpmBlockBase(text: string): boolean {
  if (text.charCodeAt(0) === 0xfeff) return false;
  const yaml = parseYamlDocs(text);
  if (!yaml.ok || yaml.isFallback || yaml.docs.length === 0) return false;
  return pickDocument(yaml.docs) === yaml.docs[yaml.docs.length - 1];
}

/** What the changed entries of a pnpm-lock.yaml held before and hold after, or undefined when the text cannot decide. */
export function changedPnpmBlocks(oldText: string, newText: string): { removed: Copies; added: Copies } | undefined {
  if (oldText.charCodeAt(0) === 0xfeff || newText.charCodeAt(0) === 0xfeff) return undefined;
  const keys: NonNullable<typeof pending> = (pending = { old: new Map(), now: new Map() });
  try {
    if (!changedBlocks(oldText, newText, pnpmSyntax)) return undefined;
  } finally {
    pending = undefined;
  }
  const { oldLines, newLines } = keys;
  if (!oldLines || !newLines || (keys.old.size === 0 && keys.now.size === 0)) return { removed: new Map(), added: new Map() };
  const oldLayout = layoutOf(oldLines);
  const newLayout = layoutOf(newLines);
  if (oldLayout.snapshots !== newLayout.snapshots) return undefined;
  // 9.x: a snapshot reads its base key's `packages` entry, so either changing moves every snapshot on that base.
  const bases = new Set<string>();
  if (newLayout.snapshots !== 'none') {
    for (const side of [keys.old, keys.now]) {
      for (const key of side.get('packages') ?? []) bases.add(key);
      for (const key of side.get('snapshots') ?? []) bases.add(baseKey(key));
    }
  }
  const removed = copiesOf(oldLines, oldLayout, keys.old, bases);
  const added = copiesOf(newLines, newLayout, keys.now, bases);
  return removed && added ? { removed, added } : undefined;
}
