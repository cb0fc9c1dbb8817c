import { enclosingFunction, escapeRegExp, functionName, lineOf, isOneShot, methodCallsAt } from './ast.js';
import { effectCallback, longLivedReceiver } from './js-scope.js';
import type { Hit, Rule, SourceFile } from './types.js';

const ADDS = /\.\s*(on|addListener|addEventListener|prependListener)\s*\(/g;

function detect(file: SourceFile): Hit[] {
  if (!/\.\s*(on|addListener|addEventListener|prependListener)\s*\(/.test(file.text)) return [];
  const isLongLived = longLivedReceiver(file);
  const hits: Hit[] = [];
  for (const { call, object: receiver, args } of methodCallsAt(file, ADDS)) {
    if (!args) continue;
    const fn = enclosingFunction(file, call);
    if (!fn || isOneShot(file, fn) || effectCallback(file, call)) continue;
    if (!isLongLived(receiver, fn)) continue;
    // A returned or stored result is usually a disposer (`const off = bus.on(...)`).
    if (!['expression_statement', 'member_expression'].includes(call.parent?.type ?? '')) continue;
    if (/\bonce\s*:\s*true\b|\bsignal\b/.test(args.text)) continue;
    const removal = new RegExp(`${escapeRegExp(receiver.text)}\\s*\\.\\s*(off|removeListener|removeEventListener|removeAllListeners)\\s*\\(`);
    if (removal.test(file.text)) continue;
    const event = args.namedChild(0);
    hits.push({
      line: lineOf(call),
      args: { name: receiver.text, event: event?.type === 'string' ? event.text : 'an event', function: functionName(fn) || 'a function' },
    });
  }
  return hits;
}

const rule: Rule = {
  id: 'js-listener-without-removal',
  meta: {
    severity: 'high',
    description: 'A listener added to a long-lived emitter or target inside a function, never removed',
    why: 'process, window, document and module-level emitters live for the whole process; each call adds one more '
      + 'listener whose closure (and everything it captures) can never be collected.',
    message: '{{function}} adds a {{event}} listener to long-lived {{name}} on every call and never removes it; remove it, use once(), or pass an AbortSignal',
  },
  languages: ['javascript', 'typescript'],
  examples: {
    leaky: [
      { code: "export function startJob(job) {\n  process.on('SIGTERM', () => job.cancel());\n  return job.run();\n}\n", lines: [2] },
      {
        code: "import { bus } from './bus.js';\n\nexport function track(session) {\n  bus.on('message', (m) => session.send(m));\n}\n",
        lines: [4], note: 'imported singleton emitter',
      },
      { code: "function mount(widget) {\n  window.addEventListener('resize', () => widget.layout());\n}\n", lines: [2] },
    ],
    fine: [
      {
        code: "export function startJob(job) {\n  const onTerm = () => job.cancel();\n  process.on('SIGTERM', onTerm);\n  return job.run().finally(() => process.off('SIGTERM', onTerm));\n}\n",
        note: 'removed in cleanup',
      },
      { code: "export function startJob(job) {\n  process.once('SIGTERM', () => job.cancel());\n}\n", note: 'once' },
      { code: "function mount(widget, signal) {\n  window.addEventListener('resize', () => widget.layout(), { signal });\n}\n", note: 'AbortSignal' },
      { code: "function pipe(stream, out) {\n  stream.on('data', (d) => out.write(d));\n}\n", note: 'short-lived parameter' },
      { code: "export function installSignalHandlers() {\n  process.on('SIGINT', () => process.exit(130));\n}\n", note: 'one-shot setup' },
      { code: "function workerMain(url) {\n  self.addEventListener('connect', (e) => e.ports[0].postMessage(url));\n}\n", note: 'entry point, runs once' },
      { code: "import { bus } from './bus.js';\nbus.on('ready', () => console.log('ready'));\n", note: 'module level: runs once' },
    ],
  },
  detect,
};
export default rule;
