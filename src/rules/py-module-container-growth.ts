import type { Node } from '@vscode/tree-sitter-wasm';
import { containerKind, isCalledAtImport, WARN_ONCE_NAME, hasModuleContainerText, functionName, hasEviction, lineOf, moduleBindings, isOneShot } from './ast.js';
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
  const evicted = new Map<string, boolean>();
  const hits: Hit[] = [];
  for (const site of moduleGrowthSites(file, containers)) {
    const container = containers.get(site.base ?? '');
    if (!container || isLiteralKey(site.key) || site.method === 'update' && site.value?.type === 'dictionary') continue;
    if (isOneShot(file, site.fn) || isCallbackValue(site.value, site.fn)) continue;
    if (isDecoratorRegistration(site.fn, site.value)) continue;
    if (/\b(exc_info|__traceback__)\b/.test(site.value?.text ?? '')) continue;
    if (/create_task|ensure_future|^weakref\.|^(WeakMethod|ref|proxy)\(/.test(site.value?.text ?? '')) continue;
    if (isCalledAtImport(file, site.fn) || WARN_ONCE_NAME.test(site.base ?? '')) continue;
    if (!evicted.has(site.base ?? '')) evicted.set(site.base ?? '', hasEviction(file, site.base ?? site.target));
    if (evicted.get(site.base ?? '')) continue;
    hits.push({
      line: lineOf(site.node),
      args: { name: site.base ?? site.target, kind: container.kind, function: functionName(site.fn), [RELATED_LINES_ARG]: String(container.line) },
    });
  }
  return hits;
}

const rule: Rule = {
  id: 'py-module-container-growth',
  meta: {
    // low, not medium: on 45 MB of real code every hit was a cache over a bounded key set (see bench/rules-precision.js).
    severity: 'low',
    description: 'A module-level dict, list or set that grows inside a function and is never pruned or bounded',
    why: 'Module globals live until the process exits; a container filled per call with no removal and no size bound '
      + 'keeps every entry (and everything it references) forever.',
    message: '{{name}} is a module-level {{kind}} that grows in {{function}}() and is never pruned or bounded',
  },
  languages: ['python'],
  examples: {
    leaky: [
      { code: '_seen = {}\n\ndef handle(event):\n    _seen[event.id] = event\n    return process(event)\n', lines: [4] },
      { code: 'from collections import defaultdict\nHITS = defaultdict(list)\n\ndef track(request):\n    HITS[request.path].append(request)\n', lines: [5] },
      { code: 'RESULTS = []\n\ndef on_message(msg):\n    RESULTS.append(msg.body)\n', lines: [4] },
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
    ],
  },
  detect,
};
export default rule;
