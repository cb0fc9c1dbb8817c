import { lineOf } from './ast.js';
import { RELATED_LINES_ARG, type Hit, type Rule, type SourceFile } from './types.js';

// Shapes that make an instance reference itself: a back-reference, a bound method or a lambda over self.
const SELF_CYCLE = /self\.\w+\s*=\s*(self\s*$|self\.\w+\s*$|lambda\b.*\bself\b|\w+\(\s*(self|parent\s*=\s*self)\s*[,)])|\.(append|add)\(\s*self\s*\)|\[[^\]]*\]\s*=\s*self\s*$/;

function detect(file: SourceFile): Hit[] {
  if (!/__del__/.test(file.text)) return [];
  const hits: Hit[] = [];
  for (const cls of file.root.descendantsOfType('class_definition')) {
    const body = cls?.childForFieldName('body');
    if (!cls || !body) continue;
    const del = body.namedChildren.map(n => (n?.type === 'decorated_definition' ? n.childForFieldName('definition') : n))
      .find(n => n?.type === 'function_definition' && n.childForFieldName('name')?.text === '__del__');
    if (!del) continue;
    const lines = body.text.split('\n');
    const index = lines.findIndex(line => SELF_CYCLE.test(line.replace(/#.*$/, '').trim()));
    if (index < 0) continue;
    hits.push({
      line: lineOf(del),
      args: { name: cls.childForFieldName('name')?.text ?? '?', [RELATED_LINES_ARG]: String(lineOf(body) + index) },
    });
  }
  return hits;
}

const rule: Rule = {
  id: 'py-del-in-cycle',
  meta: {
    severity: 'low',
    description: '__del__ on a class whose instances reference themselves (reference cycle)',
    why: 'Objects in a cycle are only freed by the cyclic GC; with __del__ they wait for a full collection (and before '
      + 'Python 3.4 went to gc.garbage forever), and a __del__ that resurrects self keeps the whole cycle alive.',
    message: 'class {{name}} defines __del__ and its instances sit in a reference cycle; collection is delayed or blocked',
  },
  languages: ['python'],
  examples: {
    leaky: [
      {
        code: 'class Node:\n    def __init__(self, parent):\n        self.parent = parent\n        parent.children.append(self)\n\n    def __del__(self):\n        self.close()\n',
        lines: [6],
      },
      { code: 'class Conn:\n    def __init__(self):\n        self.on_close = lambda: self.cleanup()\n\n    def __del__(self):\n        self.sock.close()\n', lines: [5] },
    ],
    fine: [
      { code: 'class Conn:\n    def __init__(self, sock):\n        self.sock = sock\n\n    def __del__(self):\n        self.sock.close()\n', note: 'no cycle' },
      { code: 'import weakref\n\nclass Node:\n    def __init__(self, parent):\n        self.parent = weakref.ref(parent)\n        parent.children.append(self)\n', note: 'no __del__' },
    ],
  },
  detect,
};
export default rule;
