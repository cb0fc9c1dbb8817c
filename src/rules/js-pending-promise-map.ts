import { hasEviction, lineOf, moduleBindings, functionName } from './ast.js';
import { growthSites } from './growth.js';
import { settlerName } from './js-values.js';
import type { Hit, Rule, SourceFile } from './types.js';

function detect(file: SourceFile): Hit[] {
  if (!/\b(resolve|reject|res|rej|callback|cb|done|next|resolver|deferred|handler)\b/.test(file.text)) return [];
  const globals = moduleBindings(file);
  const hits: Hit[] = [];
  for (const site of growthSites(file)) {
    if (site.method !== 'set' && site.method !== '[]=') continue;
    const isLongLived = (site.base !== null && globals.has(site.base)) || /^this\.[\w$]+$/.test(site.target);
    const held = settlerName(site.value);
    if (!isLongLived || !held) continue;
    if (hasEviction(file, site.base ?? site.target)) continue;
    hits.push({ line: lineOf(site.node), args: { name: site.base ?? site.target, value: held, function: functionName(site.fn) || 'a function' } });
  }
  return hits;
}

const rule: Rule = {
  id: 'js-pending-promise-map',
  meta: {
    severity: 'high',
    description: 'Promise resolvers or callbacks kept in a long-lived map that nothing ever deletes from',
    why: 'A pending-request table must drop each entry when the reply (or a timeout) settles it; without a delete, '
      + 'every resolver, its promise and its captured arguments stay referenced for the life of the client.',
    message: '{{function}} keeps {{value}} in {{name}}, and no code ever deletes entries from it; delete on settle or timeout',
  },
  languages: ['javascript', 'typescript'],
  examples: {
    leaky: [
      {
        code: 'class Rpc {\n  call(method, params) {\n    const id = ++this.seq;\n    return new Promise((resolve, reject) => {\n      this.pending.set(id, { resolve, reject });\n      this.send({ id, method, params });\n    });\n  }\n  onReply(msg) {\n    this.pending.get(msg.id)?.resolve(msg.result);\n  }\n}\n',
        lines: [5],
      },
      { code: 'const waiting = {};\nexport function request(id, callback) {\n  waiting[id] = callback;\n  send(id);\n}\n', lines: [3] },
    ],
    fine: [
      {
        code: 'class Rpc {\n  call(method) {\n    return new Promise((resolve, reject) => {\n      this.pending.set(this.seq, { resolve, reject });\n    });\n  }\n  onReply(msg) {\n    const p = this.pending.get(msg.id);\n    this.pending.delete(msg.id);\n    p?.resolve(msg.result);\n  }\n}\n',
        note: 'deleted when settled',
      },
      { code: 'export function all(items) {\n  const waiting = new Map();\n  return new Promise((resolve) => {\n    waiting.set(1, resolve);\n  });\n}\n', note: 'local map' },
    ],
  },
  detect,
};
export default rule;
