import { hasEviction, hasModuleContainerText, lineOf, moduleBindings, functionName } from './ast.js';
import { growthSites } from './growth.js';
import { JS_GLOBALS } from './js-scope.js';
import { jsParams, requestLikeName } from './js-values.js';
import type { Hit, Rule, SourceFile } from './types.js';

function detect(file: SourceFile): Hit[] {
  if (!hasModuleContainerText(file) && !/\b(globalThis|global|window|self)\s*[.[]/.test(file.text)) return [];
  const globals = moduleBindings(file);
  const hits: Hit[] = [];
  for (const site of growthSites(file)) {
    const root = site.target.split(/[.[]/)[0] ?? '';
    const isLongLived = (site.base !== null && globals.has(site.base)) || JS_GLOBALS.has(root);
    const held = requestLikeName(site.value);
    if (!isLongLived || !held || !jsParams(site.fn).has(held)) continue;
    if (hasEviction(file, site.base ?? site.target)) continue;
    hits.push({ line: lineOf(site.node), args: { name: site.base ?? site.target, value: held, function: functionName(site.fn) || 'a function' } });
  }
  return hits;
}

const rule: Rule = {
  id: 'js-request-stored-long-lived',
  meta: {
    severity: 'high',
    description: 'A request, response, socket or context object stored in a module-level or global container',
    why: 'Requests and sockets reference buffers, parsed bodies and the whole connection; kept in a long-lived '
      + 'collection with no removal, every one ever handled stays in memory.',
    message: '{{function}} stores {{value}} in long-lived {{name}} and never removes it; delete it when the request or socket closes',
  },
  languages: ['javascript', 'typescript'],
  examples: {
    leaky: [
      { code: 'const clients = [];\napp.get("/events", (req, res) => {\n  clients.push(res);\n});\n', lines: [3] },
      { code: 'const sessions = new Map();\nexport function onConnect(socket) {\n  sessions.set(socket.id, { socket, joinedAt: Date.now() });\n}\n', lines: [3] },
    ],
    fine: [
      {
        code: 'const sessions = new Map();\nexport function onConnect(socket) {\n  sessions.set(socket.id, { socket });\n  socket.once("close", () => sessions.delete(socket.id));\n}\n',
        note: 'removed on close',
      },
      { code: 'const clients = new Set();\napp.get("/events", (req, res) => {\n  clients.add(res);\n  req.on("close", () => clients.delete(res));\n});\n', note: 'removed on close' },
      { code: 'export function handle(req, res) {\n  const seen = [];\n  seen.push(req);\n  res.end(String(seen.length));\n}\n', note: 'local array' },
    ],
  },
  detect,
};
export default rule;
