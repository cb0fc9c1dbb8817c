import type { Node } from '@vscode/tree-sitter-wasm';
import { ancestorOfType, enclosingFunction, escapeRegExp, lineOf } from './ast.js';
import { decoratorsOf, parameterNames } from './py-decorators.js';
import type { Hit, Rule, SourceFile } from './types.js';

const OPENERS = /^(open|io\.open|socket\.socket|socket\.create_connection|urlopen|urllib\.request\.urlopen|sqlite3\.connect|os\.fdopen|tempfile\.(TemporaryFile|NamedTemporaryFile))$/;
const HANDLER_DECORATOR = /\.(route|get|post|put|patch|delete|websocket)\b|\bapi_view\b|\.task\b|shared_task/;

function isHot(call: Node, fn: Node): boolean {
  if (ancestorOfType(call, ['for_statement', 'while_statement'], fn)) return true;
  if (decoratorsOf(fn).some(d => HANDLER_DECORATOR.test(d.text))) return true;
  const params = parameterNames(fn);
  return params.includes('request') || /^(do_[A-Z]+|handle\w*|on_\w+)$/.test(fn.childForFieldName('name')?.text ?? '');
}

function detect(file: SourceFile): Hit[] {
  if (!/\b(open|socket|create_connection|urlopen|connect|fdopen|TemporaryFile)\s*\(/.test(file.text)) return [];
  const hits: Hit[] = [];
  for (const { node } of file.query('(assignment left: (identifier) right: (call)) @assign')) {
    const call = node.childForFieldName('right');
    const name = node.childForFieldName('left')?.text ?? '';
    const callee = call?.childForFieldName('function')?.text ?? '';
    const fn = enclosingFunction(file, node);
    if (!call || !fn || !OPENERS.test(callee) || !isHot(call, fn)) continue;
    const id = escapeRegExp(name);
    // Released, handed over, or managed: close(), with, closing(), return/yield, stored on self.
    const released = new RegExp(`\\b${id}\\s*\\.\\s*(close|detach|shutdown)\\s*\\(|\\bclose\\s*\\(\\s*${id}\\s*\\)|\\bwith\\s+[^\\n]*\\b${id}\\b|closing\\(\\s*${id}\\b|enter_context\\(\\s*${id}\\b|\\b(return|yield)\\s+${id}\\b(?!\\s*\\.)|self\\.\\w+\\s*=\\s*${id}\\b|\\.(append|add)\\(\\s*${id}\\s*\\)`);
    if (released.test(fn.text)) continue;
    hits.push({ line: lineOf(node), args: { name, call: callee } });
  }
  return hits;
}

const rule: Rule = {
  id: 'py-open-without-with',
  meta: {
    severity: 'medium',
    description: 'A file, socket or connection opened in a loop or request handler without with/close()',
    why: 'Without `with` or close() the handle is only released when the object is collected; if a reference survives '
      + '(an exception traceback, a cycle) descriptors and buffers pile up per request until the process hits its limit.',
    message: '{{name}} = {{call}}(...) is opened per call/iteration and never closed or managed by `with`',
  },
  languages: ['python'],
  examples: {
    leaky: [
      { code: 'def export(paths):\n    for p in paths:\n        f = open(p)\n        data = f.read()\n        send(data)\n', lines: [3] },
      { code: 'import socket\n\ndef handle(request):\n    s = socket.create_connection((request.host, 80))\n    s.sendall(b"ping")\n', lines: [4] },
    ],
    fine: [
      { code: 'def export(paths):\n    for p in paths:\n        with open(p) as f:\n            send(f.read())\n', note: 'with block' },
      { code: 'def export(paths):\n    for p in paths:\n        f = open(p)\n        try:\n            send(f.read())\n        finally:\n            f.close()\n', note: 'closed in finally' },
      { code: 'def read_config(path):\n    f = open(path)\n    return f\n', note: 'handed to the caller' },
      { code: 'import os\n\ndef walk(names):\n    for name in names:\n        fd = os.open(name, os.O_RDONLY)\n        try:\n            yield fd\n        finally:\n            os.close(fd)\n', note: 'os.open closed with os.close' },
      { code: 'def main():\n    f = open("config.ini")\n    print(f.read())\n', note: 'one-shot, not a handler or loop' },
    ],
  },
  detect,
};
export default rule;
