import { parseCargoLock } from '../lockfiles/cargo-lock.js';
import { parsePdmLock } from '../lockfiles/pdm-lock.js';
import { parsePoetryLock } from '../lockfiles/poetry-lock.js';
import { isTable, readToml, type Table } from '../lockfiles/toml.js';
import { parseUvLock } from '../lockfiles/uv-lock.js';
import { normalizePythonName } from '../lockfiles/wheel-tags.js';
import type { DependencySet, Parsed } from '../types.js';
import { blockAt } from './block-search.js';
import { changedBlocks, copiesOfPackages, type BlockSyntax, type Copies, type LinePlace, type Side } from './text-blocks.js';

// uv.lock, poetry.lock, Cargo.lock and pdm.lock are a header (root keys, [metadata], [manifest], [options]) and a
// list of `[[package]]` tables, each with its sub-tables (`[package.dependencies]`...) up to the next table that is
// not one of them. A package's state (version and integrity) comes from its own table, with two exceptions the
// header or other tables bring in: Cargo.lock v1 keeps checksums in [metadata], and uv drops every package whose
// name is a workspace member's (an editable or virtual source, or a name in [manifest] members). So a diff is read
// as the changed tables parsed alone by the format's parser, with the header when it changed (or for Cargo); a
// header change must still parse and leave [manifest] members (uv) and [metadata] (Cargo) as they were; a table
// that may be a member's, or is named as one, is left to a full parse, as are multi-line strings (a line that looks
// like a table header may be inside one), a `package` key outside [[package]], and table headers it cannot read.

export type TomlLockId = 'uv-lock' | 'poetry-lock' | 'cargo-lock' | 'pdm-lock';

interface TomlFormat {
  parse: (text: string, path: string) => Parsed<DependencySet>;
  /** What of the header a package's state depends on, from the header read alone. */
  headerFacts: (table: Table) => string;
  /** Whether the changed tables are read with the header even when it did not change. */
  withHeader: boolean;
  /** uv: tables of a workspace member are dropped by name. */
  members: boolean;
}

const FORMATS: Record<TomlLockId, TomlFormat> = {
  'uv-lock': { parse: parseUvLock, headerFacts: t => JSON.stringify(isTable(t.manifest) ? t.manifest.members ?? null : null), withHeader: false, members: true },
  'poetry-lock': { parse: parsePoetryLock, headerFacts: () => '', withHeader: false, members: false },
  'cargo-lock': { parse: parseCargoLock, headerFacts: t => JSON.stringify(t.metadata ?? null), withHeader: true, members: false },
  'pdm-lock': { parse: parsePdmLock, headerFacts: () => '', withHeader: false, members: false },
};

const trimCr = (line: string): string => (line.endsWith('\r') ? line.slice(0, -1) : line);
const isNeutral = (line: string): boolean => {
  const trimmed = line.trimStart();
  return trimmed === '' || trimmed === '\r' || trimmed.charCodeAt(0) === 35;
};
const isPackageHead = (line: string): boolean => trimCr(line) === '[[package]]';
const isSubTable = (line: string): boolean => line.startsWith('[package.') || line.startsWith('[[package.');
const TABLE_HEAD = /^\[\[?[A-Za-z0-9_.-]+\]\]?\s*(?:#.*)?$/;
/** A source that is not a workspace member's: uv writes members as `{ editable = "." }` or `{ virtual = "." }`. */
const PLAIN_SOURCE = /^source = \{ (?:registry|git|url|path|directory) = "[^"\\]*" \}$/;

interface Layout {
  blocks: { start: number; end: number; name: string | undefined; mayBeMember: boolean }[];
  /** uv: normalised names of the tables that may be a workspace member's. */
  members: Set<string>;
  unsure: boolean;
}

const layouts = new WeakMap<readonly string[], Layout>();

function layoutOf(lines: readonly string[]): Layout {
  const known = layouts.get(lines);
  if (known) return known;
  const layout: Layout = { blocks: [], members: new Set(), unsure: false };
  let inBlock = false;
  let inTop = true;
  for (let k = 0; k < lines.length; k++) {
    const raw = lines[k] as string;
    if (raw.includes('"""') || raw.includes("'''")) layout.unsure = true;
    const line = trimCr(raw);
    if (line.charCodeAt(0) === 91 /* [ */) {
      if (isPackageHead(line)) {
        layout.blocks.push({ start: k, end: k + 1, name: undefined, mayBeMember: false });
        inBlock = true;
        inTop = false;
        continue;
      }
      if (isSubTable(line)) {
        if (!inBlock) layout.unsure = true;
        if (line.startsWith('[package.source]')) (layout.blocks.at(-1) ?? { mayBeMember: false }).mayBeMember = true;
      } else {
        if (!TABLE_HEAD.test(line) || line.includes('package')) layout.unsure = true;
        inBlock = false;
        inTop = false;
      }
    } else if (inTop && /^\s*["']?package["']?\s*[=.]/.test(line)) layout.unsure = true;
    if (!inBlock) continue;
    const block = layout.blocks.at(-1)!;
    block.end = k + 1;
    if (block.name === undefined) {
      const m = /^name = "([^"\\]*)"$/.exec(line);
      if (m) block.name = m[1];
    }
    if (line.startsWith('source') && !PLAIN_SOURCE.test(line)) block.mayBeMember = true;
  }
  for (const block of layout.blocks) {
    if (block.mayBeMember) layout.members.add(normalizePythonName(block.name ?? ''));
  }
  layouts.set(lines, layout);
  return layout;
}

/** The lines of the text outside every [[package]] table, in order. */
function headerOf(lines: readonly string[], layout: Layout): string[] {
  const out: string[] = [];
  let next = 0;
  for (const block of layout.blocks) {
    for (let k = next; k < block.start; k++) out.push(lines[k] as string);
    next = block.end;
  }
  for (let k = next; k < lines.length; k++) out.push(lines[k] as string);
  return out;
}

function syntaxOf(format: TomlFormat): BlockSyntax {
  return {
    opensBlock: line => line.charCodeAt(0) === 91,
    place(lines, n): LinePlace {
      const block = blockAt(layoutOf(lines).blocks, n);
      return block ? [block.start, block.end] : null;
    },
    // Each run only adds its tables and whether it holds a header line: the changed tables are read in one parse
    // per side after the last run (changedTomlBlocks).
    read(before: Side, after: Side) {
      const old = regionOf(before);
      const now = regionOf(after);
      if (!old || !now || !pending) return undefined;
      if (format.members) {
        // A member's table, or one named as a member elsewhere: the parser drops it, by name, from the whole file.
        const oldLayout = layoutOf(before.lines);
        const newLayout = layoutOf(after.lines);
        for (const block of [...old.blocks, ...now.blocks]) {
          const name = normalizePythonName(block.name ?? '');
          if (block.name === undefined || block.mayBeMember || oldLayout.members.has(name) || newLayout.members.has(name)) return undefined;
        }
      }
      pending.old.push(...old.blocks);
      pending.now.push(...now.blocks);
      pending.header ||= old.header || now.header;
      pending.oldLines = before.lines;
      pending.newLines = after.lines;
      return { removed: new Map(), added: new Map() };
    },
  };
}

/** The tables the runs of the current diff changed, per side, and whether a header line changed. */
let pending: { old: Block[]; now: Block[]; header: boolean; oldLines?: readonly string[]; newLines?: readonly string[] } | undefined;

type Block = Layout['blocks'][number];

/** The copies of the changed tables of both sides, read after the last run. */
function readChanged(format: TomlFormat, changed: NonNullable<typeof pending>): { removed: Copies; added: Copies } | undefined {
  const { oldLines, newLines } = changed;
  if (!oldLines || !newLines) return { removed: new Map(), added: new Map() };
  const oldLayout = layoutOf(oldLines);
  const newLayout = layoutOf(newLines);
  if (changed.header) {
    const oldFacts = factsOf(format, headerOf(oldLines, oldLayout));
    const newFacts = factsOf(format, headerOf(newLines, newLayout));
    if (oldFacts === undefined || oldFacts !== newFacts) return undefined;
  }
  const withHeader = changed.header || format.withHeader;
  const removed = copiesOf(format, oldLines, oldLayout, changed.old, withHeader);
  const added = copiesOf(format, newLines, newLayout, changed.now, withHeader);
  return removed && added ? { removed, added } : undefined;
}

function factsOf(format: TomlFormat, header: string[]): string | undefined {
  const doc = readToml(header.join('\n'), 'header', 'uv-lock', '');
  return doc.ok ? format.headerFacts(doc.table) : undefined;
}

/** The changed tables of a side, with the header's lines when it holds more than its tables; undefined when unreadable. */
function copiesOf(format: TomlFormat, lines: readonly string[], layout: Layout, blocks: readonly Block[], withHeader: boolean): Copies | undefined {
  if (blocks.length === 0 && !withHeader) return new Map();
  const wanted = new Set(blocks);
  const out: string[] = [];
  let next = 0;
  for (const block of layout.blocks) {
    if (withHeader) for (let k = next; k < block.start; k++) out.push(lines[k] as string);
    if (wanted.has(block)) for (let k = block.start; k < block.end; k++) out.push(lines[k] as string);
    next = block.end;
  }
  if (withHeader) for (let k = next; k < lines.length; k++) out.push(lines[k] as string);
  // A closing newline: a last line's \r (CRLF) alone at the end of a text is not TOML.
  const parsed = format.parse(`${out.join('\n')}\n`, 'lockfile');
  return parsed.ok ? copiesOfPackages(parsed.value.packages) : undefined;
}

/** The tables in lines [start, end), and whether a header line there (not blank, not a comment) changed. */
function regionOf(side: Side): { blocks: Layout['blocks']; header: boolean } | undefined {
  const layout = layoutOf(side.lines);
  if (layout.unsure) return undefined;
  const blocks: Layout['blocks'] = [];
  let header = false;
  for (let k = side.start; k < side.end; k++) {
    const block = blockAt(layout.blocks, k);
    if (block) {
      if (block.start === k) blocks.push(block);
      k = block.end - 1;
    } else if (!isNeutral(side.lines[k] as string)) header = true;
  }
  return { blocks, header };
}

const syntaxes = new Map<TomlLockId, BlockSyntax>();

/** What the changed [[package]] tables of a TOML lockfile held before and hold after, or undefined when the text cannot decide. */
export function changedTomlBlocks(id: TomlLockId, oldText: string, newText: string): { removed: Copies; added: Copies } | undefined {
  // A text that ends in a bare \r is not TOML, though its tables read alone (each ends with a newline) would be.
  if (oldText.charCodeAt(0) === 0xfeff || newText.charCodeAt(0) === 0xfeff || oldText.endsWith('\r') || newText.endsWith('\r')) return undefined;
  let syntax = syntaxes.get(id);
  if (!syntax) syntaxes.set(id, (syntax = syntaxOf(FORMATS[id])));
  const changed: NonNullable<typeof pending> = (pending = { old: [], now: [], header: false });
  try {
    if (!changedBlocks(oldText, newText, syntax)) return undefined;
  } finally {
    pending = undefined;
  }
  return readChanged(FORMATS[id], changed);
}
