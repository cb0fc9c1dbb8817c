import { escapeRegExp, functionName, isLocalName, isOneShot, isShadowed, lineOf } from './ast.js';
import { growthSites } from './growth.js';
import { contextFact, paramsAround, siteKeyFact } from './growth-facts.js';
import { JS_GLOBALS } from './js-scope.js';
import type { Hit, Rule, SourceFile } from './types.js';

function detect(file: SourceFile): Hit[] {
  if (!/\b(globalThis|global|window|self)\s*(!\s*)?[.[]|\(\s*(globalThis|global|window)\s+as\b/.test(file.text)) return [];
  const hits: Hit[] = [];
  for (const site of growthSites(file)) {
    // TypeScript spells the same global `(globalThis as any).x` or `window!.x`.
    const target = site.target.replace(/^\(\s*(\w+)\s+as\s+[^)]*\)/, '$1').replace(/^(\w+)\s*!/, '$1');
    const root = target.split(/[.[]/)[0] ?? '';
    if (!JS_GLOBALS.has(root) || root === 'process' || root === 'document') continue;
    if (site.method === '[]=' && target === root && !site.key) continue;
    if (isShadowed(file, site.node, root) || isLocalName(site.fn, root, file.language) || isOneShot(file, site.fn)) continue;
    // A constant key (FOO, kFoo, Symbol.for('x')) is one fixed slot, not growth.
    if (site.key && /^([A-Z_$][A-Z0-9_$]*|k[A-Z]\w*|Symbol(\.for)?\(.*\))$/.test(site.key.text)) continue;
    if (/^\w+\[([A-Z_$][A-Z0-9_$]*|k[A-Z]\w*)\]/.test(target)) continue;
    const owner = escapeRegExp(site.target);
    if (new RegExp(`\\bdelete\\s+${owner}\\s*[[.]|${owner}\\s*\\.\\s*(delete|clear|splice|shift|pop)\\s*\\(|${owner}\\s*\\.\\s*length\\s*=`).test(file.text)) continue;
    const key = siteKeyFact(site, paramsAround(file, site.fn));
    const context = contextFact(file, site.fn);
    const high = key.kind === 'per-call' && context.perCall;
    const facts = [key.kind === 'per-call' ? `${site.key ? 'keyed by' : 'adds'} ${key.why}` : '', context.why,
      high ? 'nothing deletes entries: grows without bound' : 'nothing deletes entries'].filter(Boolean).join('; ');
    hits.push({ line: lineOf(site.node), severity: high ? 'high' : 'medium', args: { name: target, function: functionName(site.fn) || 'a function', facts } });
  }
  return hits;
}

const rule: Rule = {
  id: 'js-global-growth',
  meta: {
    severity: 'medium',
    upTo: 'high',
    severityFacts: 'high when the key or value is new on every call (time, ids, request data, `JSON.stringify`, template '
      + 'strings of the arguments) and the function runs per request or event; medium otherwise.',
    description: 'globalThis / global / window properties or collections that grow inside a function',
    why: 'Globals are reachable from the root for the life of the process or page; keys or entries added per call '
      + 'and never deleted accumulate forever.',
    message: '{{function}} grows global {{name}}: {{facts}}',
  },
  languages: ['javascript', 'typescript'],
  examples: {
    leaky: [
      { code: 'export function expose(id, widget) {\n  window[`widget_${id}`] = widget;\n}\n', lines: [2], severity: 'medium', says: ['keyed by a formatted string of the arguments'] },
      { code: 'export function record(event) {\n  globalThis.__events.push(event);\n}\n', lines: [2], severity: 'medium' },
      { code: 'function remember(req) {\n  global.requests.set(req.id, req.body);\n}\n', lines: [2], severity: 'medium', says: ['keyed by request data (`req.id`)'] },
      {
        code: "app.use((req, res, next) => {\n  globalThis.__seen[req.url] = Date.now();\n  next();\n});\n", lines: [2],
        severity: 'high', says: ['keyed by request data (`req.url`)', 'runs per request (req, res, next) handler', 'grows without bound'],
      },
    ],
    fine: [
      {
        code: 'export function jsonp(id, cb) {\n  window[`cb_${id}`] = (data) => {\n    delete window[`cb_${id}`];\n    cb(data);\n  };\n}\n',
        note: 'deleted after use',
      },
      { code: 'globalThis.__events = [];\n', note: 'module-level initialisation' },
      { code: 'const KEY = Symbol.for("app");\nexport function expose(api) {\n  globalThis[KEY] = api;\n}\n', note: 'one constant key' },
      { code: 'function addSignal(self, signal) {\n  self[kSignal] = signal;\n  self[signal.id] = null;\n}\n', note: '`self` is a parameter here' },
      { code: 'export function setTheme(theme) {\n  window.theme = theme;\n}\n', note: 'one fixed property, replaced' },
    ],
  },
  detect,
};
export default rule;
