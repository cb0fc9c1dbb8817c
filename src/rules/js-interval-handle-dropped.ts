import type { Node } from '@vscode/tree-sitter-wasm';
import { callsAt, enclosingFunction, functionName, isOneShotPath, lineOf } from './ast.js';
import { effectCallback } from './js-scope.js';
import type { Hit, Rule, SourceFile } from './types.js';

/** The statement a call's value flows into, skipping `.unref()` / `.ref()` chains. */
function isDropped(call: Node): boolean {
  let node = call;
  while (node.parent?.type === 'member_expression' && node.parent.parent?.type === 'call_expression'
    && /^(unref|ref)$/.test(node.parent.childForFieldName('property')?.text ?? '')) {
    node = node.parent.parent;
  }
  return node.parent?.type === 'expression_statement';
}

function detect(file: SourceFile): Hit[] {
  if (!/setInterval/.test(file.text)) return [];
  const hits: Hit[] = [];
  for (const node of callsAt(file, /\b((globalThis|global|window|self)\s*\.\s*)?setInterval\s*\(/g)) {
    const fn = enclosingFunction(file, node);
    if (!fn || effectCallback(file, node) || !isDropped(node) || isOneShotPath(file.path)) continue;
    hits.push({ line: lineOf(node), args: { function: functionName(fn) || 'a function' } });
  }
  return hits;
}

const rule: Rule = {
  id: 'js-interval-handle-dropped',
  meta: {
    severity: 'high',
    description: 'setInterval() called inside a function with its handle thrown away',
    why: 'An interval runs until clearInterval; with the handle dropped it can never be cleared, so each call adds one '
      + 'more timer that keeps its callback and captured objects alive forever.',
    message: '{{function}} starts a setInterval whose handle is dropped, so it can never be cleared; keep it and clearInterval it',
  },
  languages: ['javascript', 'typescript'],
  examples: {
    leaky: [
      { code: 'export function watch(conn) {\n  setInterval(() => conn.ping(), 1000);\n}\n', lines: [2] },
      { code: 'class Poller {\n  start() {\n    setInterval(() => this.poll(), 500).unref();\n  }\n}\n', lines: [3] },
    ],
    fine: [
      { code: 'export function watch(conn) {\n  const timer = setInterval(() => conn.ping(), 1000);\n  conn.once("close", () => clearInterval(timer));\n}\n', note: 'handle kept and cleared' },
      { code: 'class Poller {\n  start() {\n    this.timer = setInterval(() => this.poll(), 500);\n  }\n}\n', note: 'handle stored' },
      { code: 'setInterval(() => report(), 60_000).unref();\n', note: 'one app-wide interval at module level' },
      { code: 'export function later(fn) {\n  setTimeout(fn, 100);\n}\n', note: 'setTimeout runs once' },
    ],
  },
  detect,
};
export default rule;
