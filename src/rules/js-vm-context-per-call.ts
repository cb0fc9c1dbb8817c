import { enclosingFunction, functionName, lineOf, isOneShot } from './ast.js';
import { hasVmImport } from './js-scope.js';
import type { Hit, Rule, SourceFile } from './types.js';

// Contexts, not scripts: compiling a vm.Script or module per loaded file is normal (loaders cache them).
const VM_CALL = /^(vm\.)?(createContext|runInNewContext)$/;
const VM_NEW = /^ShadowRealm$|^(ivm\.)?Isolate$/;

function detect(file: SourceFile): Hit[] {
  if (!/\bvm\b|ShadowRealm|isolated-vm/.test(file.text)) return [];
  const hasVm = hasVmImport(file);
  const hasIvm = /['"]isolated-vm['"]/.test(file.text);
  const hits: Hit[] = [];
  const query = `
(call_expression function: [(identifier) (member_expression)] @callee) @call
(new_expression constructor: [(identifier) (member_expression)] @callee) @new`;
  for (const match of file.matches(query)) {
    const node = match.captures.find(c => c.name === 'call' || c.name === 'new')?.node;
    const callee = match.captures.find(c => c.name === 'callee')?.node.text ?? '';
    if (!node) continue;
    const isVm = node.type === 'call_expression' ? VM_CALL.test(callee) && hasVm
      : (VM_NEW.test(callee) && (hasVm || callee === 'ShadowRealm' || (hasIvm && /Isolate$/.test(callee))));
    if (!isVm) continue;
    const fn = enclosingFunction(file, node);
    if (!fn || isOneShot(file, fn)) continue;
    hits.push({ line: lineOf(node), args: { name: callee, function: functionName(fn) || 'a function' } });
  }
  return hits;
}

const rule: Rule = {
  id: 'js-vm-context-per-call',
  meta: {
    severity: 'high',
    description: 'A vm context (createContext, runInNewContext), ShadowRealm or isolate created inside a function (per call)',
    why: 'Each V8 context carries its own global object and builtins (megabytes) and compiled scripts are cached '
      + 'per context; created per request they are slow to collect and leak outright when anything keeps a reference.',
    message: '{{function}} creates a new {{name}} on every call',
  },
  languages: ['javascript', 'typescript'],
  examples: {
    leaky: [
      { code: "import vm from 'node:vm';\nexport function evaluate(code, input) {\n  const ctx = vm.createContext({ input });\n  return vm.runInContext(code, ctx);\n}\n", lines: [3] },
      { code: "const vm = require('vm');\napp.post('/run', (req, res) => {\n  res.json(vm.runInNewContext(req.body.code, {}));\n});\n", lines: [3] },
    ],
    fine: [
      { code: "import vm from 'node:vm';\nconst ctx = vm.createContext({});\nexport function evaluate(code) {\n  return vm.runInContext(code, ctx);\n}\n", note: 'one shared context' },
      { code: "import vm from 'node:vm';\nexport function load(code, filename) {\n  return new vm.Script(code, { filename });\n}\n", note: 'compiling a script per module, in a loader' },
      { code: "import { createContext } from 'react';\nexport function makeTheme() {\n  return createContext('light');\n}\n", note: 'React createContext' },
    ],
  },
  detect,
};
export default rule;
