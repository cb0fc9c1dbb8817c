import { escapeRegExp, functionName, lineOf, moduleBindings } from './ast.js';
import { growthSites } from './growth.js';
import type { Hit, Rule, SourceFile } from './types.js';

const TASK = /\b(create_task|ensure_future)\s*\(/;

function detect(file: SourceFile): Hit[] {
  if (!/create_task|ensure_future/.test(file.text)) return [];
  const hits: Hit[] = [];
  for (const site of growthSites(file)) {
    if (!['add', 'append'].includes(site.method) || !site.value) continue;
    const isLongLived = /^(self|cls)\.\w+$/.test(site.target) || (site.isIdentifier && moduleBindings(file).has(site.target));
    if (!isLongLived) continue;
    const value = site.value;
    const isTask = TASK.test(value.text)
      || value.type === 'identifier' && new RegExp(`\\b${escapeRegExp(value.text)}\\s*=\\s*[\\w.]*(create_task|ensure_future)\\s*\\(`).test(site.fn.text);
    if (!isTask) continue;
    const target = escapeRegExp(site.target);
    // The documented pattern: task.add_done_callback(tasks.discard); any removal from the same container counts.
    if (new RegExp(`${target}\\s*\\.\\s*(discard|remove|pop|clear)\\b|add_done_callback\\(|\\bdel\\s+${target}\\b`).test(file.text)) continue;
    hits.push({ line: lineOf(site.node), args: { name: site.target, function: functionName(site.fn) } });
  }
  return hits;
}

const rule: Rule = {
  id: 'py-asyncio-task-set-without-discard',
  meta: {
    severity: 'medium',
    description: 'asyncio tasks kept in a set or list that is never pruned',
    why: 'Keeping a reference to background tasks is right (the loop holds only weak ones), but without '
      + 'add_done_callback(tasks.discard) every finished task, its result and its exception stay referenced forever.',
    message: '{{function}}() keeps tasks in {{name}} but finished tasks are never discarded',
  },
  languages: ['python'],
  examples: {
    leaky: [
      { code: 'import asyncio\nBACKGROUND = set()\n\nasync def handle(msg):\n    BACKGROUND.add(asyncio.create_task(process(msg)))\n', lines: [5] },
      { code: 'import asyncio\n\nclass Server:\n    async def on_message(self, msg):\n        task = asyncio.create_task(self.process(msg))\n        self.tasks.append(task)\n', lines: [6] },
    ],
    fine: [
      {
        code: 'import asyncio\nBACKGROUND = set()\n\nasync def handle(msg):\n    task = asyncio.create_task(process(msg))\n    BACKGROUND.add(task)\n    task.add_done_callback(BACKGROUND.discard)\n',
        note: 'the pattern from the asyncio docs',
      },
      { code: 'import asyncio\n\nasync def main(msgs):\n    tasks = []\n    for m in msgs:\n        tasks.append(asyncio.create_task(process(m)))\n    await asyncio.gather(*tasks)\n    tasks.clear()\n', note: 'local list, awaited' },
      { code: 'import asyncio\n\nasync def race(coros):\n    running = []\n    for c in coros:\n        running.append(asyncio.create_task(c))\n    return running\n', note: 'local list (asyncio.staggered)' },
    ],
  },
  detect,
};
export default rule;
