import { enclosingFunction, escapeRegExp, functionName, lineOf, isOneShot } from './ast.js';
import type { Hit, Rule, SourceFile } from './types.js';

const SPAWNERS = /^((concurrent\.futures\.|futures\.)?(ThreadPoolExecutor|ProcessPoolExecutor)|(multiprocessing\.)?(Pool|pool\.ThreadPool|ThreadPool)|(threading\.)?Timer)$/;

function detect(file: SourceFile): Hit[] {
  if (!/Executor|Pool|Timer/.test(file.text)) return [];
  const hits: Hit[] = [];
  for (const { node } of file.query('(assignment left: (identifier) right: (call)) @assign')) {
    const call = node.childForFieldName('right');
    const callee = call?.childForFieldName('function')?.text ?? '';
    const fn = enclosingFunction(file, node);
    if (!call || !fn || !SPAWNERS.test(callee) || isOneShot(file, fn)) continue;
    const id = escapeRegExp(node.childForFieldName('left')?.text ?? '');
    const released = new RegExp(`\\b${id}\\s*\\.\\s*(shutdown|close|terminate|join|cancel)\\s*\\(|\\bwith\\s+${id}\\b|\\b(return|yield)\\s+${id}\\b(?!\\s*\\.)|self\\.\\w+\\s*=\\s*${id}\\b`);
    if (released.test(fn.text)) continue;
    hits.push({ line: lineOf(node), args: { name: callee, function: functionName(fn) } });
  }
  return hits;
}

const rule: Rule = {
  id: 'py-executor-per-call',
  meta: {
    severity: 'medium',
    description: 'A thread pool, process pool or Timer created per call and never shut down',
    why: 'Each executor owns worker threads (and their stacks) that outlive the call unless shutdown()/with is used; '
      + 'created per request, threads and queued work accumulate.',
    message: '{{function}}() creates a {{name}} on every call and never shuts it down',
  },
  languages: ['python'],
  examples: {
    leaky: [
      { code: 'from concurrent.futures import ThreadPoolExecutor\n\ndef handle(req):\n    pool = ThreadPoolExecutor(4)\n    return pool.submit(work, req)\n', lines: [4] },
    ],
    fine: [
      { code: 'from concurrent.futures import ThreadPoolExecutor\n\ndef handle(req):\n    with ThreadPoolExecutor(4) as pool:\n        return pool.submit(work, req).result()\n', note: 'with block' },
      { code: 'import threading\n\ndef later(fn):\n    t = threading.Timer(5, fn)\n    t.start()\n    return t\n', note: 'handed to the caller' },
      { code: 'from concurrent.futures import ThreadPoolExecutor\nPOOL = ThreadPoolExecutor(4)\n\ndef handle(req):\n    return POOL.submit(work, req)\n', note: 'module-level pool' },
    ],
  },
  detect,
};
export default rule;
