import type { Node } from '@vscode/tree-sitter-wasm';
import type { Severity } from '../types.js';
import { enclosingFunctions, escapeRegExp, functionName } from './ast.js';
import { decoratorsOf } from './py-decorators.js';
import type { SourceFile } from './types.js';

// What the code shows about one growth site, and the severity those facts earn. Growth rules were all "low"
// after false positives on library caches (keys from a bounded set: names, paths, types); a dict keyed per
// request and never pruned is a different thing, and the difference is in the code: how the key is made,
// whether anything removes entries, and whether the function runs per request. Each fact is said in the message.

/** How a key (or an appended value) is made. */
export interface KeyFact {
  /** fixed: a small closed set (literal, constant, enum member, a type); per-call: new on every call; unknown. */
  kind: 'fixed' | 'per-call' | 'unknown';
  /** Why, for the message: "request data", "the time", "JSON.stringify of data"... */
  why: string;
}

const TIME = /\b(time\.(time|monotonic|perf_counter|time_ns|monotonic_ns)|datetime\.(now|utcnow|today)|(?:datetime\.)?date\.today|Date\.now|performance\.now|process\.hrtime(\.bigint)?|timezone\.now)\s*\(|\bnew\s+Date\s*\(/;
const GENERATED = /\b(uuid\d?|uuid\.uuid\d|randomUUID|crypto\.randomUUID|nanoid|Math\.random|secrets\.token_\w+|random\.\w+|os\.urandom|ObjectId|cuid|ulid)\s*\(/;
const COUNTER = /\+\+|--|\bnext\s*\(\s*[\w.]+\s*\)/;
const SERIALIZED = /\b(JSON\.stringify|json\.dumps|pickle\.dumps|repr|hash)\s*\(/;
/** Objects that arrive with each request, connection or message (flask's `request` is a global proxy). */
const REQUEST_OBJECT = /^(request|req|ctx|context|event|evt|msg|message|payload|body|headers|query|params|session|conn|connection|socket|sock|ws|websocket|scope|environ|update)$/;
/** Names of ids that are new per request or per user. A bare `id` is too common (module ids, element ids). */
const ID_NAME = /^(\w+_id|\w+Id|\w+_uuid|\w+Uuid|uuid|guid|token|nonce|trace_?id|span_?id)$/;
const CONSTANT = /^[A-Z_$][A-Z0-9_$]*$/;

const short = (text: string): string => (text.length > 48 ? `${text.slice(0, 45)}...` : text).replace(/\s+/g, ' ');

/** The identifiers of `node`'s text that are not attribute names (`a.b.c` → `a`). */
function rootNames(text: string): string[] {
  return [...text.matchAll(/(?<![.\w$])[A-Za-z_$][\w$]*/g)].map(m => m[0]);
}

/** How `key` is made; `params` are the enclosing function's parameter names (f-strings of them are per call). */
export function keyFact(key: Node | null, params: ReadonlySet<string>): KeyFact {
  if (!key) return { kind: 'unknown', why: '' };
  const text = key.text.trim();
  if (['string', 'integer', 'number', 'true', 'false', 'none', 'null', 'undefined'].includes(key.type)
    && !key.descendantsOfType(['interpolation', 'template_substitution']).length) return { kind: 'fixed', why: 'a literal' };
  if (CONSTANT.test(text)) return { kind: 'fixed', why: 'a constant' };
  // `Color.RED`, `Kind.Json`, `Status.OK`: members of an enum-like class are a closed set.
  if (/^[A-Z]\w*\.[A-Z]\w*$/.test(text)) return { kind: 'fixed', why: 'an enum member' };
  // One entry per class, not per instance.
  if (/^(type\s*\([^()]*\)|[\w.]+\.__class__|[\w.]+\.constructor|typeof\s+[\w.]+)$/.test(text)) return { kind: 'fixed', why: 'a type' };
  if (TIME.test(text)) return { kind: 'per-call', why: 'the time (new on every call)' };
  if (GENERATED.test(text)) return { kind: 'per-call', why: 'a generated id (new on every call)' };
  if (/^id\s*\(/.test(text) && key.type === 'call') return { kind: 'per-call', why: 'id() of an object (one per object)' };
  if (SERIALIZED.test(text)) return { kind: 'per-call', why: 'serialized data (one key per distinct value)' };
  if (COUNTER.test(text)) return { kind: 'per-call', why: 'a counter (new on every call)' };
  const interpolated = key.descendantsOfType(['interpolation', 'template_substitution']).filter(n => n !== null);
  if (interpolated.some(n => rootNames(n.text).some(name => params.has(name) || REQUEST_OBJECT.test(name)))) {
    return { kind: 'per-call', why: 'a formatted string of the arguments' };
  }
  const names = rootNames(text);
  const request = names.find(name => REQUEST_OBJECT.test(name));
  if (request) return { kind: 'per-call', why: `request data (\`${short(text)}\`)` };
  const id = [...text.matchAll(/[\w$]+/g)].map(m => m[0]).find(name => ID_NAME.test(name));
  if (id) return { kind: 'per-call', why: `an id (\`${id}\`)` };
  return { kind: 'unknown', why: '' };
}

/** Whether the function runs once per request, connection, message or event, and what shows it. */
export interface ContextFact { perCall: boolean; why: string }

const PY_HANDLER_DECORATOR = /^@\s*(?:[\w.]+\.)?(route|get|post|put|patch|delete|head|options|websocket|api_view|receiver|on|event|middleware|before_request|after_request|teardown_request|task|shared_task|view_config|message_handler|callback_query_handler|command|subscriber|consumer|listener)\b/;
const HANDLER_NAME = /^(handle|handler|dispatch|middleware|process_request|process_response|do_(GET|POST|PUT|DELETE|PATCH|HEAD)|(handle|on)_\w+|\w+_handler|handle[A-Z][\w$]*|on[A-Z][\w$]*|[\w$]+Handler|[\w$]+Middleware)$/;
const JS_HANDLER_PARAMS = /^(req|request|res|reply|ctx|socket|ws|conn|connection|event|evt|msg|message)$/;
const PY_HANDLER_PARAMS = /^(request|req|websocket|ws|scope|environ|conn|connection|sock|socket|msg|message|event|update)$/;
/** `x.on('connection', fn)`, `app.get('/x', fn)`, `el.addEventListener('click', fn)`: fn runs per event. */
const JS_REGISTRAR = /^(on|addEventListener|addListener|prependListener|use|get|post|put|patch|delete|all|route|handle|ws|subscribe)$/;

function paramNames(fn: Node): string[] {
  const params = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
  if (!params) return [];
  if (params.type === 'identifier') return [params.text];
  return params.namedChildren.flatMap(p => {
    if (!p) return [];
    if (p.type === 'identifier') return [p.text];
    const name = p.childForFieldName('name') ?? p.childForFieldName('pattern') ?? p.childForFieldName('left') ?? p.namedChild(0);
    return name?.type === 'identifier' ? [name.text] : [];
  });
}

/** Parameter names of `fn` and the functions around it (keys built from them are per call). */
export function paramsAround(file: SourceFile, fn: Node): Set<string> {
  return new Set([fn, ...enclosingFunctions(file, fn)].flatMap(paramNames).filter(name => name !== 'self' && name !== 'cls' && name !== 'this'));
}

/** The first fact showing that `fn` (or a function around it) runs per request, connection or event. */
export function contextFact(file: SourceFile, fn: Node): ContextFact {
  for (const f of [fn, ...enclosingFunctions(file, fn)]) {
    const why = file.language === 'python' ? pythonHandler(f) : jsHandler(f);
    if (why) return { perCall: true, why };
  }
  return { perCall: false, why: '' };
}

function pythonHandler(fn: Node): string | undefined {
  if (fn.type !== 'function_definition') return undefined;
  const name = functionName(fn);
  const decorator = decoratorsOf(fn).find(d => PY_HANDLER_DECORATOR.test(d.text));
  if (decorator) return `runs per request or event (\`${decorator.text.split('(')[0]}\`)`;
  const isAsync = /^async\b/.test(fn.text);
  const param = paramNames(fn).find(p => PY_HANDLER_PARAMS.test(p));
  if (param) return `runs per request or event (${isAsync ? 'async ' : ''}${name}(${param}))`;
  if (HANDLER_NAME.test(name)) return `runs per request or event (${isAsync ? 'async ' : ''}handler ${name}())`;
  return undefined;
}

function jsHandler(fn: Node): string | undefined {
  const params = paramNames(fn);
  const name = functionName(fn) || (fn.parent?.type === 'variable_declarator' ? fn.parent.childForFieldName('name')?.text ?? '' : '');
  if (params[0] === 'req' && params[1] === 'res' || params[0] === 'request' && (params[1] === 'response' || params[1] === 'reply')) {
    return `runs per request (${params.slice(0, 3).join(', ')}) handler`;
  }
  const call = fn.parent?.type === 'arguments' ? fn.parent.parent : null;
  const callee = call?.type === 'call_expression' ? call.childForFieldName('function') : null;
  const method = callee?.type === 'member_expression' ? callee.childForFieldName('property')?.text ?? '' : '';
  if (call && JS_REGISTRAR.test(method)) {
    const first = call.childForFieldName('arguments')?.namedChild(0);
    const event = first && ['string', 'template_string'].includes(first.type) ? first.text : '';
    const routeLike = /^(get|post|put|patch|delete|all|route|use|handle)$/.test(method);
    if (!routeLike ? event : /^['"`]\//.test(event) || method === 'use') {
      return `runs per ${routeLike ? 'request' : 'event'} (\`${callee?.text}(${event || '…'})\`)`;
    }
  }
  const param = params.find(p => JS_HANDLER_PARAMS.test(p));
  if (param && HANDLER_NAME.test(name)) return `runs per request or event (${name}(${param}))`;
  if (HANDLER_NAME.test(name) && name !== 'handle') return `runs per event (handler ${name})`;
  return undefined;
}

/** What in the module removes entries from `name`, or bounds it. */
export interface EvictionFact {
  /** A size check, a reset, a clear, a slice: the container cannot outgrow it. */
  bound?: string;
  /** Some entries are removed (`del`, `pop`, `delete`, `discard`): bounded only if every entry is removed. */
  removal?: string;
}

/** Evidence anywhere in the file that entries of `name` are removed, or that the container is bounded. */
export function evictionFact(file: SourceFile, name: string): EvictionFact {
  const id = escapeRegExp(name);
  const bounds = file.language === 'python'
    ? [
      `\\b${id}\\s*\\.\\s*clear\\s*\\(`,
      `\\n[ \\t]+${id}\\s*(:[^=\\n]*)?=[^=]`,
      `\\blen\\s*\\(\\s*${id}\\s*\\)\\s*[<>=!]`,
      `[<>]=?\\s*len\\s*\\(\\s*${id}\\s*\\)`,
      `\\b${id}\\s*\\[[^\\]]*:[^\\]]*\\]\\s*=`,
      `\\bdel\\s+${id}\\s*\\[[^\\]]*:`,
    ]
    : [
      `\\b${id}\\s*\\.\\s*(clear|shift|splice)\\b`,
      `\\b${id}\\s*\\.\\s*(length|size)\\s*([<>]|===?|!==?|=(?!=))`,
      `(^|[^.\\w])(?<!(const|let|var)\\s+)${id}\\s*=[^=>]`,
    ];
  const removals = file.language === 'python'
    ? [`\\b${id}\\s*\\.\\s*(pop|popitem|popleft|remove|discard)\\b`, `\\bdel\\s+${id}\\s*\\[`]
    : [`\\b${id}\\s*\\.\\s*(delete|pop)\\b`, `\\bdelete\\s+${id}\\s*[[.]`];
  const first = (patterns: string[]): string | undefined => {
    for (const pattern of patterns) {
      const match = new RegExp(pattern).exec(file.text);
      if (match) return match[0].replace(/^[\s\n]+|[\s=]+$/g, '').replace(/\s+/g, ' ').slice(0, 60);
    }
    return undefined;
  };
  const fact: EvictionFact = {};
  const bound = first(bounds);
  const removal = first(removals);
  if (bound) fact.bound = bound;
  if (removal) fact.removal = removal;
  return fact;
}

/** Methods that add one entry per call whatever the value is (a list grows even by a constant). */
export const APPENDS = new Set(['append', 'extend', 'insert', 'appendleft', 'push', 'unshift']);

/** The key fact of a growth site: the key for `x[k] = v` and `set(k, v)`, the value for `add`/`append`/`push`. */
export function siteKeyFact(site: { method: string; key: Node | null; value: Node | null }, params: ReadonlySet<string>): KeyFact {
  const appends = APPENDS.has(site.method);
  const fact = keyFact(site.key ?? (['add', 'update', ...APPENDS].includes(site.method) ? site.value : null), params);
  return appends && fact.kind === 'fixed' ? { kind: 'unknown', why: '' } : fact;
}

/** The facts at one growth site, and the verdict they earn. */
export interface GrowthVerdict { severity: Severity; facts: string }

/**
 * Severity from the facts, never from the rule alone:
 * - a key new on every call, in code that runs per request, nothing removes entries: high;
 * - a key new on every call and nothing removes entries, or code that runs per request and appends: medium;
 * - anything else (a key from an unknown set, or some removal present): low.
 * A bound (size check, reset) or a fixed key is not growth: callers report nothing (`undefined`).
 */
export function growthVerdict(
  key: KeyFact, context: ContextFact, eviction: EvictionFact, appends: boolean,
): GrowthVerdict | undefined {
  if (key.kind === 'fixed' || eviction.bound) return undefined;
  const keyed = key.kind === 'per-call' ? `${appends ? 'adds' : 'keyed by'} ${key.why}` : '';
  const ctx = context.perCall ? context.why : '';
  if (eviction.removal) {
    // Removal without a bound: fine when every entry is removed, a leak when one path forgets. Only worth a
    // (low) finding when the keys are new per call; otherwise the removal is taken as the cleanup it looks like.
    if (key.kind !== 'per-call') return undefined;
    return { severity: 'low', facts: join(keyed, ctx, `entries are removed (\`${eviction.removal}\`) but nothing bounds its size, so it stays small only if every entry is removed`) };
  }
  const never = 'nothing in the module removes entries or bounds its size';
  if (key.kind === 'per-call' && context.perCall) return { severity: 'high', facts: join(keyed, ctx, `${never}: grows without bound`) };
  if (key.kind === 'per-call') return { severity: 'medium', facts: join(keyed, `${never}: grows with every distinct key`) };
  if (context.perCall && appends) return { severity: 'medium', facts: join(ctx, `${never}: one more entry every time`) };
  return { severity: 'low', facts: join(ctx, appends ? never : `${never}, but nothing shows its keys are more than a small set`) };
}

const join = (...parts: string[]): string => parts.filter(Boolean).join('; ');
