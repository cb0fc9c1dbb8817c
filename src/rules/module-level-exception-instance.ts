import type { Node } from '@vscode/tree-sitter-wasm';
import { classAttributes, enclosingFunction, isShadowed, statementsAt, lineOf, moduleBindings } from './ast.js';
import { RELATED_LINES_ARG, type Hit, type Rule, type SourceFile } from './types.js';

const EXCEPTION_NAME = /(Error|Exception|Warning|Exit|Interrupt|StopIteration|StopAsyncIteration|Timeout|Cancelled)$/;

/** Exception classes: names that look like one, plus classes of this file that derive from one. */
function exceptionClasses(file: SourceFile): Set<string> {
  const classes = new Set<string>();
  const defs = file.root.descendantsOfType('class_definition').flatMap(node => (node ? [node] : []));
  for (let changed = true; changed;) {
    changed = false;
    for (const def of defs) {
      const name = def.childForFieldName('name')?.text;
      const bases = def.childForFieldName('superclasses')?.namedChildren ?? [];
      if (!name || classes.has(name)) continue;
      if (bases.some(base => base && (EXCEPTION_NAME.test(base.text) || classes.has(base.text)))) {
        classes.add(name);
        changed = true;
      }
    }
  }
  return classes;
}

function isExceptionInstance(value: Node, classes: Set<string>): boolean {
  if (value.type !== 'call') return false;
  const callee = value.childForFieldName('function')?.text.split('.').pop() ?? '';
  return EXCEPTION_NAME.test(callee) || classes.has(callee);
}

function detect(file: SourceFile): Hit[] {
  if (!/\braise\s+[A-Za-z_][\w.]*\s*($|from\b|#)/m.test(file.text)) return [];
  // Cheap exit before walking class definitions: no module/class binding is a call to anything exception-like.
  const raisesAttribute = /\braise\s+(self|cls|[A-Z]\w*)\.\w+\s*($|from\b|#)/m.test(file.text);
  const callees = [...moduleBindings(file).values(), ...(raisesAttribute ? classAttributes(file).values() : [])]
    .filter(value => value.type === 'call')
    .map(value => value.childForFieldName('function')?.text.split('.').pop() ?? '');
  if (!callees.some(callee => EXCEPTION_NAME.test(callee) || new RegExp(`\\bclass\\s+${callee}\\b`).test(file.text))) return [];
  const classes = exceptionClasses(file);
  const instances = (bindings: Map<string, Node>) =>
    new Map([...bindings].filter(([, value]) => isExceptionInstance(value, classes)));
  const moduleLevel = instances(moduleBindings(file));
  const classLevel = raisesAttribute ? instances(classAttributes(file)) : new Map<string, Node>();
  if (moduleLevel.size === 0 && classLevel.size === 0) return [];
  const hits: Hit[] = [];
  for (const node of statementsAt(file, /\braise\b/g, 'raise_statement')) {
    const raised = node.namedChild(0);
    const fn = enclosingFunction(file, node);
    if (!raised || !fn) continue;
    let value: Node | undefined;
    if (raised.type === 'identifier' && !isShadowed(file, raised, raised.text)) value = moduleLevel.get(raised.text);
    if (raised.type === 'attribute' && raised.childForFieldName('object')?.type === 'identifier') {
      const owner = raised.childForFieldName('object')?.text ?? '';
      const attr = raised.childForFieldName('attribute')?.text ?? '';
      value = ['self', 'cls'].includes(owner) ? classLevel.get(attr) : classLevel.get(`${owner}.${attr}`);
    }
    if (value) hits.push({ line: lineOf(node), args: { name: raised.text, [RELATED_LINES_ARG]: String(lineOf(value)) } });
  }
  return hits;
}

const rule: Rule = {
  id: 'module-level-exception-instance',
  meta: {
    severity: 'high',
    description: 'An exception instance created once (module or class level) and raised from a function',
    why: 'Each raise appends the current stack to the same long-lived instance\'s __traceback__, so frames and '
      + 'their locals (requests, buffers) accumulate for the life of the process.',
    message: '{{name}} is one exception instance created at import time and raised on every call; its traceback '
      + 'grows with each raise. Raise a new instance instead',
  },
  languages: ['python'],
  examples: {
    leaky: [
      { code: 'BAD = ValueError("bad")\n\ndef handle(r):\n    raise BAD\n', lines: [4] },
      {
        code: 'class PortNotOpenError(IOError):\n    pass\n\nPORT_NOT_OPEN = PortNotOpenError("port not open")\n\n'
          + 'class Serial:\n    def write(self, data):\n        if not self.is_open:\n            raise PORT_NOT_OPEN\n'
          + '        return self._write(data)\n',
        lines: [9], note: 'pyserial before 3.5: the incident shape',
      },
      {
        code: 'class Client:\n    TIMEOUT = TimeoutError("timed out")\n\n    def call(self):\n        raise self.TIMEOUT\n\n'
          + 'def poll(client):\n    raise Client.TIMEOUT from None\n',
        lines: [5, 8], note: 'class-level instance, raised via self and via the class',
      },
    ],
    fine: [
      { code: 'def handle(r):\n    raise ValueError("bad")\n' },
      { code: 'class NotOpen(IOError):\n    pass\n\ndef write(data):\n    raise NotOpen\n', note: 'raising the class creates a new instance' },
      { code: 'BAD = ValueError("bad")\n\ndef handle(r):\n    raise BAD.with_traceback(None)\n', note: 'traceback cleared' },
      { code: 'def handle(r):\n    err = ValueError("bad")\n    raise err\n', note: 'local instance' },
      { code: 'def handle(r):\n    try:\n        r.go()\n    except OSError as BAD:\n        raise BAD\n', note: 're-raising the caught exception' },
      { code: 'BAD = ValueError("bad")\nraise BAD\n', note: 'module level: runs once' },
      { code: 'MESSAGE = "bad"\n\ndef handle(r):\n    raise RuntimeError(MESSAGE) from None\n', note: 'module constant' },
    ],
  },
  detect,
};
export default rule;
