import type { Node } from '@vscode/tree-sitter-wasm';
import { isCalledAtImport, WARN_ONCE_NAME, functionName, lineOf, isOneShot } from './ast.js';
import { APPENDS, contextFact, evictionFact, growthVerdict, paramsAround, siteKeyFact, type EvictionFact } from './growth-facts.js';
import { isLiteralKey, moduleContainers, moduleGrowthSites } from './growth.js';
import { RELATED_LINES_ARG, type Hit, type Rule, type SourceFile } from './types.js';

/** Values other rules own (callbacks, exceptions, tasks), so one line gets one finding. */
export function isCallbackValue(value: Node | null, fn: Node): boolean {
  if (!value) return false;
  if (value.type === 'lambda') return true;
  if (value.type === 'identifier') {
    return fn.descendantsOfType('function_definition')
      .some(def => !!def && def.startIndex !== fn.startIndex && def.childForFieldName('name')?.text === value.text);
  }
  return false;
}

/** `def register(fn): REGISTRY[...] = fn; return fn` runs at import time for each decorated function. */
export function isDecoratorRegistration(fn: Node, value: Node | null): boolean {
  return !!value && value.type === 'identifier' && new RegExp(`\\breturn\\s+${value.text}\\s*$`, 'm').test(fn.text);
}

function detect(file: SourceFile): Hit[] {
  const containers = moduleContainers(file);
  if (containers.size === 0) return [];
  const evictions = new Map<string, EvictionFact>();
  const hits: Hit[] = [];
  for (const site of moduleGrowthSites(file, containers)) {
    const name = site.base ?? site.target;
    const container = containers.get(site.base ?? '');
    if (!container || isLiteralKey(site.key) || site.method === 'update' && site.value?.type === 'dictionary') continue;
    if (isOneShot(file, site.fn) || isCallbackValue(site.value, site.fn)) continue;
    if (isDecoratorRegistration(site.fn, site.value)) continue;
    if (/\b(exc_info|__traceback__)\b/.test(site.value?.text ?? '')) continue;
    if (/create_task|ensure_future|^weakref\.|^(WeakMethod|ref|proxy)\(/.test(site.value?.text ?? '')) continue;
    if (isCalledAtImport(file, site.fn) || WARN_ONCE_NAME.test(site.base ?? '')) continue;
    if (!evictions.has(name)) evictions.set(name, evictionFact(file, name));
    const verdict = growthVerdict(
      siteKeyFact(site, paramsAround(file, site.fn)), contextFact(file, site.fn), evictions.get(name) ?? {},
      APPENDS.has(site.method) || container.kind === 'list',
    );
    if (!verdict) continue;
    hits.push({
      line: lineOf(site.node),
      severity: verdict.severity,
      args: { name, kind: container.kind, function: functionName(site.fn), facts: verdict.facts, [RELATED_LINES_ARG]: String(container.line) },
    });
  }
  return hits;
}

const rule: Rule = {
  id: 'py-module-container-growth',
  meta: {
    // The floor is low: on 45 MB of real code every hit was a cache over a bounded key set (bench/rules-precision.js).
    // Facts at the site raise it (growth-facts.ts): a per-call key, a per-request function, no removal.
    severity: 'low',
    upTo: 'high',
    severityFacts: 'high when the key is new on every call (time, ids, request data, serialized data, f-strings of '
      + 'the arguments), the function runs per request or event (route decorators, handler parameters such as '
      + '`request`, handler names) and nothing in the module removes entries; medium with one of those two facts '
      + 'missing; low when entries are removed somewhere but nothing bounds the size, or nothing shows the keys are '
      + 'unbounded. A size check, a reset, `clear()` or a constant key: no finding.',
    description: 'A module-level dict, list or set that grows inside a function and is never pruned or bounded',
    why: 'Module globals live until the process exits; a container filled per call with no removal and no size bound '
      + 'keeps every entry (and everything it references) forever.',
    message: 'module-level {{kind}} `{{name}}` grows in {{function}}(): {{facts}}',
  },
  languages: ['python'],
  examples: {
    leaky: [
      {
        code: '_seen = {}\n\ndef handle(event):\n    _seen[event.id] = event\n    return process(event)\n', lines: [4],
        severity: 'high', says: ['keyed by request data (`event.id`)', 'runs per request or event', 'grows without bound'],
      },
      {
        code: 'from collections import defaultdict\nHITS = defaultdict(list)\n\ndef track(request):\n    HITS[request.path].append(request)\n',
        lines: [5], severity: 'high',
      },
      {
        code: 'RESULTS = []\n\ndef on_message(msg):\n    RESULTS.append(msg.body)\n', lines: [4],
        severity: 'high', says: ['adds request data (`msg.body`)'],
      },
      {
        code: 'from flask import request\n_cache = {}\n\n@app.route("/page")\ndef page():\n    _cache[request.path] = render()\n    return _cache[request.path]\n',
        lines: [6], severity: 'high', says: ['`_cache`', 'keyed by request data (`request.path`)', '`@app.route`', 'nothing in the module removes entries'],
        note: 'module dict keyed per request, never pruned',
      },
      {
        code: 'import json\n_results = {}\n\ndef lookup(data):\n    _results[json.dumps(data)] = compute(data)\n', lines: [5],
        severity: 'medium', says: ['keyed by serialized data', 'grows with every distinct key'], note: 'unbounded key, not known to run per request',
      },
      {
        code: 'import time\n_timings = {}\n\ndef record(name):\n    _timings[f"{name}-{time.time()}"] = name\n', lines: [5],
        severity: 'medium', says: ['keyed by the time'],
      },
      {
        code: '_log = []\n\n@router.post("/items")\nasync def create(item):\n    _log.append(item)\n', lines: [5],
        severity: 'medium', says: ['`@router.post`', 'one more entry every time'], note: 'per request, key unknown',
      },
      {
        code: '_sessions = {}\n\ndef login(request):\n    _sessions[request.session_id] = request.user\n\ndef logout(request):\n    del _sessions[request.session_id]\n',
        lines: [4], severity: 'low', says: ['entries are removed (`del _sessions[`)', 'only if every entry is removed'],
        note: 'unbounded key, but eviction present',
      },
      {
        code: '_registry = {}\n\ndef remember(name, value):\n    _registry[name] = value\n', lines: [4],
        severity: 'low', says: ['nothing shows its keys are more than a small set'], note: 'key of unknown range',
      },
    ],
    fine: [
      {
        code: 'from collections import OrderedDict\n_seen = OrderedDict()\n\ndef handle(event):\n    _seen[event.id] = True\n'
          + '    if len(_seen) > 10_000:\n        _seen.popitem(last=False)\n',
        note: 'bounded by eviction',
      },
      { code: 'from collections import deque\nRECENT = deque(maxlen=100)\n\ndef handle(event):\n    RECENT.append(event)\n', note: 'deque(maxlen=)' },
      { code: 'from cachetools import TTLCache\nCACHE = TTLCache(maxsize=1024, ttl=60)\n\ndef get(key):\n    CACHE[key] = load(key)\n', note: 'TTLCache' },
      { code: 'def handle(events):\n    seen = {}\n    for e in events:\n        seen[e.id] = e\n    return seen\n', note: 'local dict' },
      { code: 'HANDLERS = {}\n\ndef register(name):\n    def deco(fn):\n        HANDLERS[name] = fn\n        return fn\n    return deco\n', note: 'import-time registry' },
      { code: 'STATS = {}\n\ndef count(event):\n    STATS["total"] = STATS.get("total", 0) + 1\n', note: 'fixed keys' },
      { code: 'PENDING = set()\n\ndef start(job):\n    PENDING.add(job.id)\n\ndef finish(job):\n    PENDING.discard(job.id)\n', note: 'removed elsewhere' },
      { code: '_typecache = set()\n\ndef iscoroutine(obj):\n    if len(_typecache) < 100:\n        _typecache.add(type(obj))\n', note: 'size-guarded (asyncio.coroutines)' },
      { code: 'ALIASES = {"latin_1": "iso-8859-1"}\n\ndef add_alias(alias, canonical):\n    ALIASES[alias] = canonical\n', note: 'lookup table with a registration API (email.charset)' },
      { code: 'import weakref\n_handlers = []\n\ndef track(handler):\n    _handlers.append(weakref.ref(handler))\n', note: 'weak references' },
      { code: 'opmap = {}\n\ndef def_op(name, op):\n    opmap[name] = op\n\ndef_op("POP_TOP", 1)\ndef_op("ROT_TWO", 2)\n', note: 'filled by calls at import time (opcode.py)' },
      { code: 'MAX_RETRIES = 3\nNAMES = ("a", "b")\n\ndef handle(event):\n    return NAMES[event.kind % MAX_RETRIES]\n', note: 'module constants' },
      { code: 'import enum\nclass Kind(enum.Enum):\n    A = 1\n_counts = {}\n\ndef handle(request):\n    _counts[Kind.A] = _counts.get(Kind.A, 0) + 1\n', note: 'keyed by an enum member, per request' },
      { code: '_by_status = {}\n\ndef on_response(response):\n    _by_status[DEFAULT_STATUS] = response.status\n', note: 'keyed by a constant' },
      { code: '_recent = {}\n\ndef handle(request):\n    _recent[request.path] = request\n    if len(_recent) > 500:\n        _recent.clear()\n', note: 'per-request key, bounded by a size check' },
    ],
  },
  detect,
};
export default rule;
