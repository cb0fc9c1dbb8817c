import { containerKind, isCalledAtImport, WARN_ONCE_NAME, hasModuleContainerText, escapeRegExp, functionName, hasEviction, lineOf, moduleBindings, isOneShot } from './ast.js';
import { isLiteralKey, moduleContainers, moduleGrowthSites } from './growth.js';
import { requestLikeName, settlerName } from './js-values.js';
import { RELATED_LINES_ARG, type Hit, type Rule, type SourceFile } from './types.js';

function detect(file: SourceFile): Hit[] {
  const containers = moduleContainers(file);
  if (containers.size === 0) return [];
  const hits: Hit[] = [];
  const evicted = new Map<string, boolean>();
  for (const site of moduleGrowthSites(file, containers)) {
    const name = site.base ?? '';
    const container = containers.get(name);
    if (!container || isLiteralKey(site.key) || isOneShot(file, site.fn)) continue;
    // Owned by js-request-stored-long-lived and js-pending-promise-map.
    if (requestLikeName(site.value) || settlerName(site.value)) continue;
    if (site.value?.type === 'identifier' && new RegExp(`\\breturn\\s+${escapeRegExp(site.value.text)}\\s*;?\\s*$`, 'm').test(site.fn.text)) continue;
    if (isCalledAtImport(file, site.fn) || WARN_ONCE_NAME.test(site.base ?? '')) continue;
    if (!evicted.has(name)) evicted.set(name, hasEviction(file, name));
    if (evicted.get(name)) continue;
    hits.push({
      line: lineOf(site.node),
      args: { name, kind: container.kind, function: functionName(site.fn) || 'a function', [RELATED_LINES_ARG]: String(container.line) },
    });
  }
  return hits;
}

const rule: Rule = {
  id: 'js-module-cache-growth',
  meta: {
    // low, not medium: on 45 MB of real code every hit was a cache over a bounded key set (see bench/rules-precision.js).
    severity: 'low',
    description: 'A module-level Map, Set, object or array that grows inside a function with no delete and no bound',
    why: 'Module scope lives as long as the process (or the page); entries inserted per call and never deleted '
      + 'accumulate, with everything they reference.',
    message: '{{name}} is a module-level {{kind}} that grows in {{function}} and is never pruned or bounded',
  },
  languages: ['javascript', 'typescript'],
  examples: {
    leaky: [
      { code: 'const cache = new Map();\nexport function render(page) {\n  cache.set(page.url, build(page));\n  return cache.get(page.url);\n}\n', lines: [3] },
      { code: 'const seen = {};\nexport function track(event) {\n  seen[event.id] = event;\n}\n', lines: [3] },
      { code: 'const history = [];\nexport const log = (entry) => {\n  history.push(entry);\n};\n', lines: [3] },
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
      { code: 'const inflight = new Map();\nexport async function once(key, fn) {\n  inflight.set(key, fn());\n  try { return await inflight.get(key); } finally { inflight.delete(key); }\n}\n', note: 'deleted in finally' },
    ],
  },
  detect,
};
export default rule;
