import { containerKind, hasModuleContainerText, functionName, hasEviction, lineOf, moduleBindings } from './ast.js';
import { moduleGrowthSites } from './growth.js';
import { isCallbackValue } from './py-module-container-growth.js';
import { RELATED_LINES_ARG, type Hit, type Rule, type SourceFile } from './types.js';

function detect(file: SourceFile): Hit[] {
  if (!hasModuleContainerText(file)) return [];
  const registries = new Map([...moduleBindings(file)].filter(([, value]) => containerKind(value, file.language)));
  const hits: Hit[] = [];
  for (const site of moduleGrowthSites(file, registries)) {
    const isBoundMethod = site.value?.type === 'attribute' && site.value.childForFieldName('object')?.text === 'self';
    if (!isCallbackValue(site.value, site.fn) && !isBoundMethod) continue;
    if (hasEviction(file, site.base ?? site.target)) continue;
    hits.push({
      line: lineOf(site.node),
      args: { name: site.base ?? site.target, function: functionName(site.fn), [RELATED_LINES_ARG]: String(lineOf(registries.get(site.base ?? '') ?? site.node)) },
    });
  }
  return hits;
}

const rule: Rule = {
  id: 'py-callback-registry-growth',
  meta: {
    severity: 'medium',
    description: 'A closure, lambda or bound method appended to a module-level registry from inside a function',
    why: 'A callback keeps its closure (or `self`) alive; registered per call or per instance into a module-level list '
      + 'and never unregistered, every captured object lives for the rest of the process.',
    message: '{{function}}() registers a new callback in module-level {{name}} on every call and never removes it',
  },
  languages: ['python'],
  examples: {
    leaky: [
      { code: 'LISTENERS = []\n\ndef subscribe(session):\n    LISTENERS.append(lambda msg: session.send(msg))\n', lines: [4] },
      {
        code: 'HOOKS = []\n\nclass Worker:\n    def __init__(self):\n        HOOKS.append(self.on_event)\n\n    def on_event(self, e):\n        pass\n',
        lines: [5], note: 'bound method keeps each Worker alive',
      },
      { code: 'CALLBACKS = {}\n\ndef watch(path, conn):\n    def notify(event):\n        conn.send(event)\n    CALLBACKS[path] = notify\n', lines: [6] },
    ],
    fine: [
      {
        code: 'LISTENERS = []\n\ndef subscribe(session):\n    cb = lambda msg: session.send(msg)\n    LISTENERS.append(cb)\n    return lambda: LISTENERS.remove(cb)\n',
        note: 'unsubscribe removes it',
      },
      { code: 'LISTENERS = []\n\ndef on_event(fn):\n    LISTENERS.append(fn)\n    return fn\n', note: 'decorator registration at import time' },
      { code: 'def run(items):\n    callbacks = []\n    for item in items:\n        callbacks.append(lambda: item)\n    return callbacks\n', note: 'local list' },
    ],
  },
  detect,
};
export default rule;
