// https://yaml.org/spec/1.2.2/ (the block/flow subset that pnpm and yarn berry write)
import { isAlias, isCollection, isPair, parseAllDocuments, type Document } from 'yaml';

// pnpm and yarn berry lockfiles use a small, fixed part of YAML: indented block maps and sequences, one-line
// flow collections, quoted and plain scalars. Reading only that part line by line is ~10x faster than a full
// YAML parser on a 15 MB lockfile. Anything outside the subset falls back to the `yaml` package, so a valid
// file never gets a wrong answer, only a slower one. Scalars stay strings: lockfiles are compared as text.

export type YamlValue = string | YamlMap | YamlValue[];
export type YamlMap = { [key: string]: YamlValue };
export type YamlDocs = { ok: true; docs: YamlMap[]; isFallback?: boolean } | { ok: false; line: number; message: string };

class Unsupported extends Error {
  constructor(readonly line: number, message: string) { super(message); }
}

interface Frame { indent: number; map?: YamlMap; seq?: YamlValue[] }
interface Pending { map?: YamlMap; key?: string; seq?: YamlValue[]; indent: number; isSkipped?: boolean }

/**
 * Which entries to build, by depth (0 = a document's top-level keys) and key. Skipped blocks are stepped over
 * without allocating: on a 15 MB lockfile most of the time goes into building objects nobody reads. A hint
 * only: the full-parser fallback builds everything.
 */
export type KeepEntry = (depth: number, key: string) => boolean;

/** Every document in the text, each a map; falls back to the full `yaml` parser outside the subset. */
export function parseYamlDocs(text: string, keep?: KeepEntry): YamlDocs {
  try {
    return { ok: true, docs: parseSubset(text, keep) };
  } catch (error) {
    if (!(error instanceof Unsupported)) throw error;
    const full = parseFull(text);
    // Where the subset reader stopped is usually the offending line; the full parser may notice it later.
    return full.ok ? full : { ...full, line: Math.min(full.line, error.line) };
  }
}

function newMap(): YamlMap {
  // No prototype: a package literally named `__proto__` must stay a plain key.
  return Object.create(null) as YamlMap;
}

function parseSubset(text: string, keep: KeepEntry | undefined): YamlMap[] {
  let skipIndent = -1;
  const docs: YamlMap[] = [];
  let root = newMap();
  let hasContent = false;
  let stack: Frame[] = [{ indent: 0, map: root }];
  let pending: Pending | undefined;
  let pos = 0;
  let lineNo = 0;
  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let line = text.slice(pos, end);
    pos = end + 1;
    lineNo++;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent++;
    if (indent === line.length || line.charCodeAt(indent) === 35 /* # */) {
      if (pos > text.length) break;
      continue;
    }
    if (line.charCodeAt(indent) === 9) throw new Unsupported(lineNo, 'tab indentation');
    if (indent === 0 && (line.startsWith('---') || line.startsWith('...'))
      && (line.length === 3 || line.charCodeAt(3) === 32)) {
      if (line.length > 3 && line.slice(3).trim() !== '' && !line.slice(3).trim().startsWith('#')) {
        throw new Unsupported(lineNo, 'content after document marker');
      }
      if (pending) closePending(pending);
      pending = undefined;
      if (hasContent) docs.push(root);
      root = newMap();
      hasContent = false;
      stack = [{ indent: 0, map: root }];
      continue;
    }
    hasContent = true;
    const isItem = line.charCodeAt(indent) === 45 /* - */ && (line.length === indent + 1 || line.charCodeAt(indent + 1) === 32);
    if (skipIndent >= 0) {
      if (indent > skipIndent || (indent === skipIndent && isItem)) { if (pos > text.length) break; continue; }
      skipIndent = -1;
    }
    if (pending) {
      if (indent > pending.indent || (indent === pending.indent && isItem && pending.map)) {
        const frame: Frame = isItem ? { indent, seq: [] } : { indent, map: newMap() };
        const value = frame.seq ?? frame.map!;
        if (pending.map) pending.map[pending.key!] = value; else pending.seq!.push(value);
        stack.push(frame);
      } else {
        closePending(pending);
      }
      pending = undefined;
    }
    let top = stack[stack.length - 1]!;
    while (top.indent > indent || (top.seq && top.indent === indent && !isItem && stack.length > 1)) {
      stack.pop();
      top = stack[stack.length - 1]!;
    }
    if (top.indent !== indent) throw new Unsupported(lineNo, 'unexpected indentation');
    const next = isItem ? readItem(line, indent, top, stack, lineNo, keep) : readEntry(line, indent, top, lineNo, keep, stack.length - 1);
    if (next?.isSkipped) { skipIndent = next.indent; pending = undefined; } else pending = next;
    if (pos > text.length) break;
  }
  if (pending) closePending(pending);
  if (hasContent) docs.push(root);
  return docs;
}

function closePending(p: Pending): void {
  if (p.map) p.map[p.key!] = ''; else p.seq!.push('');
}

function readEntry(line: string, indent: number, top: Frame, lineNo: number, keep: KeepEntry | undefined, depth: number): Pending | undefined {
  if (!top.map) throw new Unsupported(lineNo, 'map entry inside a sequence');
  let key: string;
  let rest: number;
  const c = line.charCodeAt(indent);
  if (c === 34 /* " */ || c === 39 /* ' */) {
    const [value, after] = readQuoted(line, indent, lineNo);
    if (line.charCodeAt(after) !== 58 /* : */) throw new Unsupported(lineNo, 'expected ":" after a quoted key');
    key = value;
    rest = after + 1;
  } else {
    if (c === 63 /* ? */ || c === 38 /* & */ || c === 42 /* * */ || c === 33 /* ! */ || c === 123 || c === 91) {
      throw new Unsupported(lineNo, 'complex key');
    }
    let colon = line.indexOf(': ', indent);
    if (colon < 0) {
      if (!line.endsWith(':')) throw new Unsupported(lineNo, 'expected "key: value"');
      colon = line.length - 1;
    }
    key = line.slice(indent, colon);
    if (key.includes(' #')) throw new Unsupported(lineNo, 'comment inside a key');
    rest = colon + 1;
  }
  const raw = line.slice(rest).trim();
  const isKept = !keep || keep(depth, key);
  if (raw === '' || raw.startsWith('#')) return isKept ? { map: top.map, key, indent } : { indent, isSkipped: true };
  if (isKept) top.map[key] = readScalarOrFlow(raw, lineNo);
  return undefined;
}

function readItem(line: string, indent: number, top: Frame, stack: Frame[], lineNo: number, keep: KeepEntry | undefined): Pending | undefined {
  if (!top.seq) throw new Unsupported(lineNo, 'sequence item inside a map');
  const raw = line.slice(indent + 1).trim();
  if (raw === '' || raw.startsWith('#')) return { seq: top.seq, indent };
  if (raw.startsWith('- ')) throw new Unsupported(lineNo, 'nested compact sequence');
  const c = raw.charCodeAt(0);
  const looksLikeEntry = c === 34 || c === 39 ? /^(["']).*?\1:(\s|$)/.test(raw) : /^[^{[][^#]*?:(\s|$)/.test(raw);
  if (!looksLikeEntry) {
    top.seq.push(readScalarOrFlow(raw, lineNo));
    return undefined;
  }
  const map = newMap();
  top.seq.push(map);
  const inner = indent + 1 + (line.length - indent - 1 - line.slice(indent + 1).trimStart().length);
  const frame: Frame = { indent: inner, map };
  stack.push(frame);
  return readEntry(line, inner, frame, lineNo, keep, stack.length - 1);
}

function readScalarOrFlow(raw: string, lineNo: number): YamlValue {
  const c = raw.charCodeAt(0);
  if (c === 123 /* { */ || c === 91 /* [ */) {
    const [value, end] = readFlow(raw, 0, lineNo);
    const tail = raw.slice(end).trim();
    if (tail !== '' && !tail.startsWith('#')) throw new Unsupported(lineNo, 'text after a flow collection');
    return value;
  }
  if (c === 34 || c === 39) {
    const [value, end] = readQuoted(raw, 0, lineNo);
    const tail = raw.slice(end).trim();
    if (tail !== '' && !tail.startsWith('#')) throw new Unsupported(lineNo, 'text after a quoted scalar');
    return value;
  }
  if (c === 38 || c === 42 || c === 33 || c === 124 /* | */ || c === 62 /* > */ || c === 37 /* % */ || c === 64 || c === 96) {
    throw new Unsupported(lineNo, 'anchor, alias, tag or block scalar');
  }
  const hash = raw.indexOf(' #');
  const value = hash < 0 ? raw : raw.slice(0, hash).trimEnd();
  return value === '~' || value === 'null' ? '' : value;
}

function readQuoted(s: string, start: number, lineNo: number): [string, number] {
  const q = s.charCodeAt(start);
  if (q === 39) {
    let out = '';
    let i = start + 1;
    for (;;) {
      const j = s.indexOf("'", i);
      if (j < 0) throw new Unsupported(lineNo, 'unterminated quote');
      out += s.slice(i, j);
      if (s.charCodeAt(j + 1) === 39) { out += "'"; i = j + 2; continue; }
      return [out, j + 1];
    }
  }
  let i = start + 1;
  let escaped = false;
  while (i < s.length) {
    const ch = s.charCodeAt(i);
    if (ch === 92 /* \ */) { escaped = true; i += 2; continue; }
    if (ch === 34) break;
    i++;
  }
  if (i >= s.length) throw new Unsupported(lineNo, 'unterminated quote');
  const body = s.slice(start + 1, i);
  if (!escaped) return [body, i + 1];
  try {
    return [JSON.parse(s.slice(start, i + 1)) as string, i + 1];
  } catch {
    throw new Unsupported(lineNo, 'YAML-only escape in a double-quoted scalar');
  }
}

function readFlow(s: string, start: number, lineNo: number, depth = 0): [YamlValue, number] {
  if (depth > 64) throw new Unsupported(lineNo, 'flow collections nested too deeply');
  const isMap = s.charCodeAt(start) === 123;
  const close = isMap ? 125 : 93;
  const map = isMap ? newMap() : undefined;
  const seq: YamlValue[] = [];
  let i = start + 1;
  for (;;) {
    while (s.charCodeAt(i) === 32) i++;
    if (i >= s.length) throw new Unsupported(lineNo, 'flow collection spans lines');
    if (s.charCodeAt(i) === close) return [map ?? seq, i + 1];
    let key = '';
    if (isMap) {
      [key, i] = readFlowScalar(s, i, lineNo);
      while (s.charCodeAt(i) === 32) i++;
      if (s.charCodeAt(i) !== 58) throw new Unsupported(lineNo, 'expected ":" in a flow map');
      i++;
      while (s.charCodeAt(i) === 32) i++;
    }
    let value: YamlValue;
    const c = s.charCodeAt(i);
    if (c === 123 || c === 91) [value, i] = readFlow(s, i, lineNo, depth + 1);
    else [value, i] = readFlowScalar(s, i, lineNo);
    if (map) map[key] = value; else seq.push(value);
    while (s.charCodeAt(i) === 32) i++;
    if (s.charCodeAt(i) === 44) i++;
    else if (s.charCodeAt(i) !== close) throw new Unsupported(lineNo, 'expected "," in a flow collection');
  }
}

function readFlowScalar(s: string, start: number, lineNo: number): [string, number] {
  const c = s.charCodeAt(start);
  if (c === 34 || c === 39) return readQuoted(s, start, lineNo);
  if (c === 38 || c === 42 || c === 33) throw new Unsupported(lineNo, 'anchor, alias or tag');
  let i = start;
  while (i < s.length) {
    const ch = s.charCodeAt(i);
    if (ch === 44 || ch === 125 || ch === 93 || ch === 123 || ch === 91) break;
    if (ch === 58) {
      const next = s.charCodeAt(i + 1);
      if (Number.isNaN(next) || next === 32 || next === 44 || next === 125 || next === 93) break;
    }
    i++;
  }
  const value = s.slice(start, i).trim();
  return [value === '~' || value === 'null' ? '' : value, i];
}

function parseFull(text: string): YamlDocs {
  try {
    return parseFullUnsafe(text);
  } catch (error) {
    // The yaml package throws from toJS on some inputs (an alias before its anchor, nesting deeper than the
    // stack): for untrusted text that is a parse failure, not a crash.
    const message = error instanceof RangeError ? 'nested too deeply' : (error as Error).message.split('\n')[0] ?? 'invalid YAML';
    return { ok: false, line: 1, message };
  }
}

function parseFullUnsafe(text: string): YamlDocs {
  const docs: YamlMap[] = [];
  for (const doc of parseAllDocuments(text, { uniqueKeys: false, strict: false })) {
    const error = doc.errors[0];
    if (error) return { ok: false, line: error.linePos?.[0].line ?? 1, message: error.message.split('\n')[0] ?? 'invalid YAML' };
    // Many aliases of one small node are fine (yaml's own maxAliasCount refuses 500 of them); what is refused is
    // expansion: nested anchors (a "billion laughs") turn a 1 KB file into gigabytes once toJS copies them out.
    const bomb = aliasExpansion(doc, text);
    if (bomb) return { ok: false, ...bomb };
    const value = normalize(doc.toJS({ maxAliasCount: -1 }));
    if (value === '') continue;
    if (typeof value === 'string' || Array.isArray(value)) return { ok: false, line: 1, message: 'a document is not a mapping' };
    docs.push(value);
  }
  return { ok: true, docs, isFallback: true };
}

/** Nodes that aliases may add to a document once expanded, beyond the document's own: far more than any real lockfile. */
export const MAX_ALIAS_EXPANSION = 1_000_000;

/**
 * Where alias expansion would go past MAX_ALIAS_EXPANSION nodes (or an alias would contain itself), counted on the
 * parsed tree before anything is copied: each anchored node's expanded size is computed once, so this is linear.
 */
function aliasExpansion(doc: Document.Parsed, text: string): { line: number; message: string } | undefined {
  const sizes = new Map<unknown, number>();
  const inProgress = new Set<unknown>();
  let added = 0;
  const lineAt = (node: unknown): number => {
    const offset = (node as { range?: [number, number, number] | null }).range?.[0] ?? 0;
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    return line;
  };
  class Refused { constructor(readonly line: number, readonly message: string) {} }
  const size = (node: unknown): number => {
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target === undefined) return 1;
      if (inProgress.has(target)) throw new Refused(lineAt(node), 'an alias refers to a node that contains it');
      const n = size(target);
      added += n;
      if (added > MAX_ALIAS_EXPANSION) {
        throw new Refused(lineAt(node), `YAML aliases expand to more than ${MAX_ALIAS_EXPANSION.toLocaleString('en-US')} nodes, which no real lockfile does (an alias bomb)`);
      }
      return n;
    }
    if (isPair(node)) return size(node.key) + size(node.value);
    if (!isCollection(node)) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    inProgress.add(node);
    let n = 1;
    for (const item of node.items) n += size(item);
    inProgress.delete(node);
    sizes.set(node, n);
    return n;
  };
  try {
    size(doc.contents);
    return undefined;
  } catch (error) {
    if (error instanceof Refused) return { line: error.line, message: error.message };
    throw error;
  }
}

function normalize(value: unknown): YamlValue {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(normalize);
  if (value instanceof Map) {
    const map = newMap();
    for (const [k, v] of value) map[String(k)] = normalize(v);
    return map;
  }
  if (typeof value === 'object') {
    const map = newMap();
    for (const [k, v] of Object.entries(value)) map[k] = normalize(v);
    return map;
  }
  return String(value);
}
