import { isCalledAtImport, WARN_ONCE_NAME, escapeRegExp, functionName, lineOf, isOneShot } from './ast.js';
import { APPENDS, contextFact, evictionFact, growthVerdict, paramsAround, siteKeyFact, type EvictionFact } from './growth-facts.js';
import { isLiteralKey, moduleContainers, moduleGrowthSites } from './growth.js';
import { requestLikeName, settlerName } from './js-values.js';
import { RELATED_LINES_ARG, type Hit, type Rule, type SourceFile } from './types.js';

function detect(file: SourceFile): Hit[] {
  const containers = moduleContainers(file);
  if (containers.size === 0) return [];
  const hits: Hit[] = [];
  const evicted = new Map<string, EvictionFact>();
  for (const site of moduleGrowthSites(file, containers)) {
    const name = site.base ?? '';
    const container = containers.get(name);
    if (!container || isLiteralKey(site.key) || isOneShot(file, site.fn)) continue;
    // Owned by js-request-stored-long-lived and js-pending-promise-map.
    if (requestLikeName(site.value) || settlerName(site.value)) continue;
    if (site.value?.type === 'identifier' && new RegExp(`\\breturn\\s+${escapeRegExp(site.value.text)}\\s*;?\\s*$`, 'm').test(site.fn.text)) continue;
    if (isCalledAtImport(file, site.fn) || WARN_ONCE_NAME.test(site.base ?? '')) continue;
    if (!evicted.has(name)) evicted.set(name, evictionFact(file, name));
    const verdict = growthVerdict(
      siteKeyFact(site, paramsAround(file, site.fn)), contextFact(file, site.fn), evicted.get(name) ?? {},
      APPENDS.has(site.method) || container.kind === 'array',
    );
    if (!verdict) continue;
    hits.push({
      line: lineOf(site.node),
      severity: verdict.severity,
      args: { name, kind: container.kind, function: functionName(site.fn) || 'a function', facts: verdict.facts, [RELATED_LINES_ARG]: String(container.line) },
    });
  }
  return hits;
}

const rule: Rule = {
  id: 'js-module-cache-growth',
  meta: {
    // The floor is low: on 45 MB of real code every hit was a cache over a bounded key set (bench/rules-precision.js).
    // Facts at the site raise it (growth-facts.ts): a per-call key, a per-request function, no removal.
    severity: 'low',
    upTo: 'high',
    severityFacts: 'high when the key is new on every call (`Date.now()`, generated or request ids, request data, '
      + '`JSON.stringify(...)`, template strings of the arguments), the function runs per request or event (`(req, res)`, '
      + "a callback of `on('connection')`, `app.get('/x')`, `addEventListener`, handler names) and nothing in the module "
      + 'deletes entries; medium with one of those two facts missing; low when entries are deleted somewhere but nothing '
      + 'bounds the size, or nothing shows the keys are unbounded. A size check, a reset, `clear()`, a WeakMap, an LRU or '
      + 'a constant key: no finding.',
    description: 'A module-level Map, Set, object or array that grows inside a function with no delete and no bound',
    why: 'Module scope lives as long as the process (or the page); entries inserted per call and never deleted '
      + 'accumulate, with everything they reference.',
    message: 'module-level {{kind}} `{{name}}` grows in {{function}}: {{facts}}',
  },
  languages: ['javascript', 'typescript'],
  examples: {
    leaky: [
      {
        code: 'const cache = new Map();\nexport function render(page) {\n  cache.set(page.url, build(page));\n  return cache.get(page.url);\n}\n', lines: [3],
        severity: 'low', says: ['nothing shows its keys are more than a small set'],
      },
      { code: 'const seen = {};\nexport function track(event) {\n  seen[event.id] = event;\n}\n', lines: [3], severity: 'medium', says: ['keyed by request data (`event.id`)'] },
      { code: 'const history = [];\nexport const log = (entry) => {\n  history.push(entry);\n};\n', lines: [3], severity: 'low' },
      {
        code: "const results = new Map();\napp.get('/search', (req, res) => {\n  results.set(JSON.stringify(req.query), find(req.query));\n  res.json(results.get(JSON.stringify(req.query)));\n});\n",
        lines: [3], severity: 'high', says: ['keyed by serialized data', 'runs per request (req, res) handler', 'grows without bound'],
        note: 'module Map keyed per request, never pruned',
      },
      {
        code: "const events = [];\nserver.on('connection', (socket) => {\n  events.push({ at: Date.now(), remote: socket.remoteAddress });\n});\n",
        lines: [3], severity: 'high', says: ["runs per event (`server.on('connection')`)", 'adds the time'],
      },
      {
        code: 'const timings = {};\nexport function mark(label) {\n  timings[`${label}:${Date.now()}`] = performance.now();\n}\n',
        lines: [3], severity: 'medium', says: ['keyed by the time'],
      },
      {
        code: "const seenAt = {};\nio.on('connection', (socket) => {\n  seenAt[socket.id] = Date.now();\n  socket.on('disconnect', () => { delete seenAt[socket.id]; });\n});\n",
        lines: [3], severity: 'low', says: ['entries are removed (`delete seenAt[`)'], note: 'per-connection key, deleted on disconnect',
      },
    ],
    fine: [
      { code: "import { LRUCache } from 'lru-cache';\nconst cache = new LRUCache({ max: 500 });\nexport function render(page) {\n  cache.set(page.url, build(page));\n}\n", note: 'LRUCache' },
      { code: 'const cache = new WeakMap();\nexport function meta(node) {\n  cache.set(node, compute(node));\n}\n', note: 'WeakMap' },
      {
        code: 'const cache = new Map();\nexport function get(key) {\n  if (cache.size > 1000) cache.clear();\n  cache.set(key, load(key));\n}\n',
        note: 'bounded by a size check',
      },
      { code: 'export function collect(items) {\n  const out = new Map();\n  for (const i of items) out.set(i.id, i);\n  return out;\n}\n', note: 'local map' },
      { code: 'const plugins = new Map();\nexport function registerPlugin(name, plugin) {\n  plugins.set(name, plugin);\n}\n', note: 'registration API' },
      { code: 'const warned = new Set();\nexport function warnOnce(code, message) {\n  if (warned.has(code)) return;\n  warned.add(code);\n  console.warn(message);\n}\n', note: 'warn-once set of codes' },
      { code: "const codes = {};\nfunction createErrorType(code, message) {\n  codes[code] = class extends Error {};\n}\ncreateErrorType('ERR_X', 'x');\n", note: 'filled at import time' },
      { code: "const state = {};\nexport function setReady() {\n  state['ready'] = true;\n}\n", note: 'fixed key' },
      { code: "const byKind = new Map();\napp.get('/x', (req, res) => {\n  byKind.set(Kind.Json, res.statusCode);\n});\n", note: 'keyed by an enum member, per request' },
      { code: "const recent = new Map();\napp.get('/x', (req, res) => {\n  recent.set(req.url, Date.now());\n  if (recent.size > 1000) recent.clear();\n});\n", note: 'per-request key, bounded by a size check' },
      { code: 'const inflight = new Map();\nexport async function once(key, fn) {\n  inflight.set(key, fn());\n  try { return await inflight.get(key); } finally { inflight.delete(key); }\n}\n', note: 'deleted in finally' },
    ],
  },
  detect,
};
export default rule;
