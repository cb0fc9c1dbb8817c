import { enclosingFunction, functionName, lineOf, isOneShot } from './ast.js';
import type { Hit, Rule, SourceFile } from './types.js';

function detect(file: SourceFile): Hit[] {
  if (!/AsyncLocalStorage|async_hooks|enterWith|createHook/.test(file.text)) return [];
  const hits: Hit[] = [];
  const query = `
(new_expression constructor: [(identifier) (member_expression)] @callee) @site
(call_expression function: [(identifier) (member_expression)] @callee) @site`;
  const disablesHooks = /\.disable\s*\(/.test(file.text);
  for (const match of file.matches(query)) {
    const node = match.captures.find(c => c.name === 'site')?.node;
    const callee = match.captures.find(c => c.name === 'callee')?.node.text ?? '';
    if (!node) continue;
    const fn = enclosingFunction(file, node);
    const perCall = !!fn && !isOneShot(file, fn) && functionName(fn) !== 'constructor';
    let what: string | undefined;
    if (node.type === 'new_expression' && /(^|\.)AsyncLocalStorage$/.test(callee) && perCall) what = 'new AsyncLocalStorage()';
    if (node.type === 'call_expression' && /\.enterWith$/.test(callee) && fn) what = `${callee}()`;
    if (node.type === 'call_expression' && /^(async_hooks\.)?createHook$/.test(callee) && perCall && !disablesHooks) what = 'async_hooks.createHook()';
    if (what) hits.push({ line: lineOf(node), args: { name: what, function: fn ? functionName(fn) || 'a function' : 'module' } });
  }
  return hits;
}

const rule: Rule = {
  id: 'js-async-local-storage-misuse',
  meta: {
    severity: 'medium',
    description: 'AsyncLocalStorage created per call, enterWith() instead of run(), or async hooks created and never disabled',
    why: 'Each AsyncLocalStorage or hook registers process-wide and is propagated into every later async resource; '
      + 'enterWith() leaks the store into the rest of the caller\'s async chain (timers, sockets) instead of scoping it.',
    message: '{{name}} in {{function}}: async context state that outlives the call',
  },
  languages: ['javascript', 'typescript'],
  examples: {
    leaky: [
      { code: "import { AsyncLocalStorage } from 'node:async_hooks';\nexport function handle(req, next) {\n  const als = new AsyncLocalStorage();\n  return als.run({ req }, next);\n}\n", lines: [3] },
      { code: "import { AsyncLocalStorage } from 'node:async_hooks';\nconst als = new AsyncLocalStorage();\nexport function middleware(req, res, next) {\n  als.enterWith({ req });\n  next();\n}\n", lines: [4] },
      { code: "import async_hooks from 'node:async_hooks';\nexport function trace(id) {\n  async_hooks.createHook({ init() { seen.add(id); } }).enable();\n}\n", lines: [3] },
    ],
    fine: [
      { code: "import { AsyncLocalStorage } from 'node:async_hooks';\nconst als = new AsyncLocalStorage();\nexport function middleware(req, res, next) {\n  als.run({ req }, next);\n}\n", note: 'module-level store, run()' },
      { code: "import async_hooks from 'node:async_hooks';\nexport function trace() {\n  const hook = async_hooks.createHook({}).enable();\n  return () => hook.disable();\n}\n", note: 'disabled by the returned disposer' },
    ],
  },
  detect,
};
export default rule;
