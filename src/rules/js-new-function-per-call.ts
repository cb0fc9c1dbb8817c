import { enclosingFunction, functionName, lineOf, isOneShot } from './ast.js';
import type { Hit, Rule, SourceFile } from './types.js';

function detect(file: SourceFile): Hit[] {
  if (!/\bFunction\s*\(/.test(file.text)) return [];
  const hits: Hit[] = [];
  const query = `
(new_expression constructor: (identifier) @f (#eq? @f "Function")) @site
(call_expression function: (identifier) @f (#eq? @f "Function")) @site`;
  for (const { node, name } of file.query(query)) {
    if (name !== 'site' || /^(new\s+)?Function\(\s*['"]return this;?['"]\s*\)/.test(node.text)) continue;
    const fn = enclosingFunction(file, node);
    if (!fn || isOneShot(file, fn) || /compile|build|generate|create/i.test(functionName(fn))) continue;
    hits.push({ line: lineOf(node), args: { function: functionName(fn) || 'a function' } });
  }
  return hits;
}

const rule: Rule = {
  id: 'js-new-function-per-call',
  meta: {
    severity: 'low',
    description: 'new Function() (runtime code compilation) inside a function that runs per call',
    why: 'Every call compiles new code and creates a new closure and code object; stored anywhere (a cache, a '
      + 'listener) each one stays alive, and V8 code space grows with the number of distinct sources.',
    message: '{{function}} compiles a new Function on every call; compile once and reuse it',
  },
  languages: ['javascript', 'typescript'],
  examples: {
    leaky: [
      { code: 'export function evaluate(expr, scope) {\n  const fn = new Function("scope", `with (scope) { return ${expr}; }`);\n  return fn(scope);\n}\n', lines: [2] },
    ],
    fine: [
      { code: 'const getter = new Function("o", "return o.value");\nexport function read(o) {\n  return getter(o);\n}\n', note: 'compiled once at module level' },
      { code: 'export const root = (() => Function("return this")())();\nfunction getGlobal() {\n  return Function("return this")();\n}\n', note: 'the global-object idiom' },
      { code: 'export function compileTemplate(src) {\n  return new Function("data", src);\n}\n', note: 'an explicit compile step; callers cache it' },
    ],
  },
  detect,
};
export default rule;
