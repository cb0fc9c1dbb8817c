import type { Node } from '@vscode/tree-sitter-wasm';
import type { Language, SourceFile } from './types.js';

// Shared node predicates for rules. Analysis is per file and intra-procedural: cheap, and explainable.

export const lineOf = (node: Node): number => node.startPosition.row + 1;

const FUNCTION_TYPES: Record<'python' | 'js', ReadonlySet<string>> = {
  python: new Set(['function_definition', 'lambda']),
  js: new Set([
    'function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition',
    'generator_function_declaration', 'generator_function',
  ]),
};

const family = (language: Language): 'python' | 'js' => (language === 'python' ? 'python' : 'js');

const memos = new WeakMap<SourceFile, Map<string, unknown>>();

/** Computes a per-file fact once: rules share module bindings, growth sites and function ranges. */
export function memo<T>(file: SourceFile, key: string, compute: () => T): T {
  let cache = memos.get(file);
  if (!cache) memos.set(file, (cache = new Map()));
  if (!cache.has(key)) cache.set(key, compute());
  return cache.get(key) as T;
}

/** Every function node of the file, sorted by start. Walking `.parent` is slow in tree-sitter (it descends from the root). */
function functionIndex(file: SourceFile): Node[] {
  return memo(file, 'functions', () => {
    const types = [...FUNCTION_TYPES[family(file.language)]];
    return file.root.descendantsOfType(types).flatMap(n => (n ? [n] : [])).sort((a, b) => a.startIndex - b.startIndex);
  });
}

/** Functions around `node`, innermost first. */
export function enclosingFunctions(file: SourceFile, node: Node): Node[] {
  const functions = functionIndex(file);
  const start = node.startIndex;
  const end = node.endIndex;
  let low = 0;
  let high = functions.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((functions[mid]?.startIndex ?? 0) <= start) low = mid + 1; else high = mid;
  }
  const around: Node[] = [];
  for (let i = low - 1; i >= 0; i--) {
    const fn = functions[i];
    if (fn && fn.endIndex >= end && !(fn.startIndex === start && fn.endIndex === end)) around.push(fn);
  }
  return around;
}

/** The innermost function around `node`, or null at module level. */
export function enclosingFunction(file: SourceFile, node: Node): Node | null {
  return enclosingFunctions(file, node)[0] ?? null;
}

/** True when `name` at `node` refers to a parameter or local of an enclosing function, not the module binding. */
export function isShadowed(file: SourceFile, node: Node, name: string): boolean {
  return enclosingFunctions(file, node).some(fn => isLocalIn(file, fn, name));
}

/** isLocalName, memoised per function and name (growth rules ask the same question many times). */
export function isLocalIn(file: SourceFile, fn: Node, name: string): boolean {
  return memo(file, `locals\0${fn.startIndex}`, () => localNames(fn, file.language)).has(name);
}

export function ancestorOfType(node: Node, types: readonly string[], stopAt?: Node | null): Node | null {
  for (let up = node.parent; up && up !== stopAt; up = up.parent) if (types.includes(up.type)) return up;
  return null;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Module-level bindings: `NAME = value` (Python) or `const|let|var NAME = value` (JS), name → value node. */
export function moduleBindings(file: SourceFile): Map<string, Node> {
  return memo(file, 'bindings', () => findModuleBindings(file));
}

// One query instead of walking top-level statements from JS: every node access is a wasm round trip.
const BINDING_QUERIES = {
  python: `
(module (expression_statement (assignment left: (identifier) @name right: (_) @value)))
(module (expression_statement (assignment right: (assignment left: (identifier) @name right: (_) @value))))`,
  js: `
(program (lexical_declaration (variable_declarator name: (identifier) @name value: (_) @value)))
(program (variable_declaration (variable_declarator name: (identifier) @name value: (_) @value)))
(program (export_statement declaration: (lexical_declaration (variable_declarator name: (identifier) @name value: (_) @value))))
(program (export_statement declaration: (variable_declaration (variable_declarator name: (identifier) @name value: (_) @value))))`,
};

function findModuleBindings(file: SourceFile): Map<string, Node> {
  const bindings = new Map<string, Node>();
  for (const match of file.matches(BINDING_QUERIES[family(file.language)], { maxStartDepth: 0 })) {
    const name = match.captures.find(c => c.name === 'name')?.node;
    const value = match.captures.find(c => c.name === 'value')?.node;
    if (name && value && value.type !== 'assignment') bindings.set(name.text, value);
  }
  return bindings;
}

function collectPythonAssignment(assignment: Node | null, bindings: Map<string, Node>): void {
  if (assignment?.type !== 'assignment') return;
  const left = assignment.childForFieldName('left');
  const right = assignment.childForFieldName('right');
  if (left?.type === 'identifier' && right) {
    if (right.type === 'assignment') collectPythonAssignment(right, bindings);
    bindings.set(left.text, right.type === 'assignment' ? (right.childForFieldName('right') ?? right) : right);
  }
}

/** Class-body attributes (`class A: X = value`), keyed `Class.X` and by bare `X` for `self.X` lookups. */
export function classAttributes(file: SourceFile): Map<string, Node> {
  return memo(file, 'class-attributes', () => findClassAttributes(file));
}

function findClassAttributes(file: SourceFile): Map<string, Node> {
  const attributes = new Map<string, Node>();
  for (const cls of file.root.descendantsOfType('class_definition')) {
    const name = cls?.childForFieldName('name')?.text;
    const body = cls?.childForFieldName('body');
    if (!name || !body) continue;
    for (const statement of body.namedChildren) {
      const assignment = statement?.type === 'expression_statement' ? statement.firstNamedChild : null;
      const own = new Map<string, Node>();
      collectPythonAssignment(assignment, own);
      for (const [attr, value] of own) {
        attributes.set(`${name}.${attr}`, value);
        attributes.set(attr, value);
      }
    }
  }
  return attributes;
}

/** True when `name` is a parameter or a local (not `global`) assignment in `fn`, so it shadows the module binding. */
export function isLocalName(fn: Node, name: string, language: Language): boolean {
  return localNames(fn, language).has(name);
}

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;
const words = (text: string): string[] => text.match(IDENTIFIER) ?? [];

/** Parameters and local bindings of `fn` (one scan of its text), minus Python `global`/`nonlocal` names. */
export function localNames(fn: Node, language: Language): Set<string> {
  const text = fn.text;
  const params = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
  const names = new Set(params ? words(params.text.replace(/(=|:)[^,)]*/g, '')) : []);
  if (params?.type === 'identifier') names.add(params.text);
  if (language === 'python') {
    for (const m of text.matchAll(/^[ \t]*([\w, \t*]+?)[ \t]*(?::[^=\n]*)?=(?!=)/gm)) for (const w of words(m[1] ?? '')) names.add(w);
    for (const m of text.matchAll(/\bfor\s+([\w, \t()]+?)\s+in\b|\bas\s+(\w+)/g)) for (const w of words(m[1] ?? m[2] ?? '')) names.add(w);
    for (const m of text.matchAll(/\b(?:global|nonlocal)\s+([\w \t,]+)/g)) for (const w of words(m[1] ?? '')) names.delete(w);
    return names;
  }
  for (const m of text.matchAll(/\b(?:const|let|var)\s+([\w$]+|\{[^}]*\}|\[[^\]]*\])/g)) {
    for (const w of words((m[1] ?? '').replace(/:\s*[\w$]+/g, ''))) names.add(w);
  }
  return names;
}

const CONTAINER_CALLS = /^(collections\.)?(dict|list|set|defaultdict|OrderedDict|Counter|deque)$/;
const JS_CONTAINERS = /^(Map|Set|Array|Object)$/;

/** Describes a module-level value that is an unbounded container, or undefined (bounded, weak, constant...). */
export function containerKind(value: Node, language: Language): string | undefined {
  if (language === 'python') {
    // A literal with entries is a lookup table; caches start empty.
    if (['dictionary', 'list', 'set'].includes(value.type)) {
      if (hasEntries(value)) return undefined;
      return value.type === 'dictionary' ? 'dict' : value.type;
    }
    if (value.type !== 'call') return undefined;
    const callee = value.childForFieldName('function')?.text ?? '';
    if (!CONTAINER_CALLS.test(callee)) return undefined;
    if (/deque$/.test(callee) && /\bmaxlen\s*=/.test(value.text)) return undefined;
    return callee.replace(/^collections\./, '');
  }
  if (value.type === 'array') return hasEntries(value) ? undefined : 'array';
  if (value.type === 'object') return hasEntries(value) ? undefined : 'object';
  if (value.type === 'new_expression') {
    const ctor = value.childForFieldName('constructor')?.text ?? '';
    const first = value.childForFieldName('arguments')?.namedChild(0);
    if (first?.type === 'array' && hasEntries(first)) return undefined;
    return JS_CONTAINERS.test(ctor) ? ctor : undefined;
  }
  return undefined;
}

const hasEntries = (node: Node): boolean => node.namedChildren.some(child => child !== null && child.type !== 'comment');

/** Evidence anywhere in the file that entries of `name` are removed, the container is reset, or its size is checked. */
export function hasEviction(file: SourceFile, name: string): boolean {
  const id = escapeRegExp(name);
  const patterns = file.language === 'python'
    ? [
      `\\b${id}\\s*\\.\\s*(pop|popitem|popleft|remove|discard|clear)\\b`,
      `\\bdel\\s+${id}\\s*\\[`,
      `\\n[ \\t]+${id}\\s*(:[^=\\n]*)?=[^=]`,
      `\\blen\\s*\\(\\s*${id}\\s*\\)\\s*[<>=!]`,
      `[<>]=?\\s*len\\s*\\(\\s*${id}\\s*\\)`,
      `\\b${id}\\s*\\[[^\\]]*:[^\\]]*\\]\\s*=`,
    ]
    : [
      `\\b${id}\\s*\\.\\s*(delete|clear|shift|pop|splice)\\b`,
      `\\bdelete\\s+${id}\\s*[[.]`,
      `\\b${id}\\s*\\.\\s*(length|size)\\s*([<>]|===?|!==?|=(?!=))`,
      `(^|[^.\\w])(?<!(const|let|var)\\s+)${id}\\s*=[^=>]`,
    ];
  return patterns.some(pattern => new RegExp(pattern).test(file.text));
}

/** Cheap text checks for a module-level container binding, so files without one are never parsed for it. */
export const MODULE_CONTAINER_TEXT: Record<'python' | 'js', RegExp> = {
  python: /^[A-Za-z_]\w*\s*(:[^=\n]*)?=\s*(\{|\[|(collections\.)?(dict|list|set|defaultdict|OrderedDict|Counter|deque)\()/m,
  js: /^(export\s+)?(const|let|var)\s+[\w$]+\s*(:[^=\n]*)?=\s*(new\s+(Map|Set|Array|Object)\b|\[|\{)/m,
};

export const hasModuleContainerText = (file: SourceFile): boolean =>
  MODULE_CONTAINER_TEXT[family(file.language)].test(file.text);

/** Function names that run once (setup, registration, decorators) rather than per request. */
export const ONE_SHOT_NAME = /(^|_)(main|setup|set_up|init|initialize|initialise|configure|config|install|register|bootstrap|load|plugin|decorator)(_|$)|^(register|setup|init|install|configure|bootstrap|use|define|add)([A-Z]|_|$)|(Main|Setup|Init|Install|Register|Bootstrap)$|^__init_subclass__$/;

/**
 * Call nodes whose callee starts where `pattern` matches the text: much cheaper than a query with a
 * text predicate over every call when the name is rare. Matches in comments or strings find no call.
 */
export function callsAt(file: SourceFile, pattern: RegExp): Node[] {
  const calls: Node[] = [];
  for (const match of file.text.matchAll(pattern)) {
    let node = file.root.descendantForIndex(match.index);
    for (let depth = 0; node && depth < 6 && node.type !== 'call_expression' && node.type !== 'call'; depth++) node = node.parent;
    if (node && (node.type === 'call_expression' || node.type === 'call') && node.startIndex === match.index) calls.push(node);
  }
  return calls;
}

/** A method call found from its name in the text: `object.method(args)`. */
export interface MethodCall { call: Node; member: Node; object: Node; method: string; args: Node | null }

/** Method calls whose method name is group 1 of `pattern` (global flag); see callsAt for why text first. */
export function methodCallsAt(file: SourceFile, pattern: RegExp): MethodCall[] {
  const found: MethodCall[] = [];
  for (const match of file.text.matchAll(pattern)) {
    const method = match[1] ?? '';
    const property = file.root.descendantForIndex(match.index + match[0].indexOf(method));
    const member = property?.parent;
    const call = member?.parent;
    if (!member || !call || !['attribute', 'member_expression'].includes(member.type)) continue;
    if (!['call', 'call_expression'].includes(call.type) || call.childForFieldName('function')?.startIndex !== member.startIndex) continue;
    const object = member.childForFieldName('object');
    if (object) found.push({ call, member, object, method, args: call.childForFieldName('arguments') });
  }
  return found;
}

/** Nodes of `type` that start where `pattern` matches (a keyword such as `raise`). */
export function statementsAt(file: SourceFile, pattern: RegExp, type: string): Node[] {
  const nodes: Node[] = [];
  for (const match of file.text.matchAll(pattern)) {
    const node = file.root.descendantForIndex(match.index)?.parent;
    if (node?.type === type && node.startIndex === match.index) nodes.push(node);
  }
  return nodes;
}

/** True when the file calls `fn` at module level: it runs at import time (registration), not per request. */
export function isCalledAtImport(file: SourceFile, fn: Node): boolean {
  const name = functionName(fn);
  if (!name) return false;
  const id = escapeRegExp(name);
  const pattern = file.language === 'python'
    ? new RegExp(`^(\\w+\\s*=\\s*)?${id}\\(`, 'm')
    : new RegExp(`^((export\\s+)?(const|let|var)\\s+[\\w$]+\\s*=\\s*)?${id}\\(`, 'm');
  return pattern.test(file.text);
}

/** Containers that remember which warnings were printed: keyed by a small, fixed set of codes. */
export const WARN_ONCE_NAME = /warn|deprecat|printed|emitted|logged|reported|notified/i;

/** Entry points, examples and benchmarks run once per process: per-call rules stay quiet there. */
export const isOneShotPath = (path: string): boolean =>
  /(^|\/)(bin|scripts?|examples?|benchmarks?|bench|tools?|cli)\//.test(path);

/** True when `fn` or a function around it is named like code that runs once (main, setup, register...). */
export function isOneShot(file: SourceFile, fn: Node): boolean {
  if (isOneShotPath(file.path)) return true;
  return [fn, ...enclosingFunctions(file, fn)].some(f => ONE_SHOT_NAME.test(functionName(f)));
}

export function functionName(fn: Node): string {
  return fn.childForFieldName('name')?.text ?? '';
}
