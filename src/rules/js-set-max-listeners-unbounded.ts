import { lineOf } from './ast.js';
import type { Hit, Rule, SourceFile } from './types.js';

const UNBOUNDED = (text: string): boolean =>
  /^(0|Infinity|Number\.(MAX_SAFE_INTEGER|MAX_VALUE|POSITIVE_INFINITY))$/.test(text) || (/^\d+$/.test(text) && Number(text) >= 100);

function detect(file: SourceFile): Hit[] {
  if (!/MaxListeners/.test(file.text)) return [];
  const hits: Hit[] = [];
  const calls = '(call_expression function: [(identifier) (member_expression)] @f (#match? @f "setMaxListeners$") arguments: (arguments . (_) @n)) @call';
  for (const match of file.matches(calls)) {
    const n = match.captures.find(c => c.name === 'n')?.node;
    const call = match.captures.find(c => c.name === 'call')?.node;
    if (call && n && UNBOUNDED(n.text)) hits.push({ line: lineOf(call), args: { name: n.text } });
  }
  const assigns = '(assignment_expression left: (member_expression property: (property_identifier) @p (#eq? @p "defaultMaxListeners")) right: (_) @n) @assign';
  for (const match of file.matches(assigns)) {
    const n = match.captures.find(c => c.name === 'n')?.node;
    const assign = match.captures.find(c => c.name === 'assign')?.node;
    if (assign && n && UNBOUNDED(n.text)) hits.push({ line: lineOf(assign), args: { name: n.text } });
  }
  return hits.sort((a, b) => a.line - b.line);
}

const rule: Rule = {
  id: 'js-set-max-listeners-unbounded',
  meta: {
    severity: 'medium',
    description: 'setMaxListeners(0), Infinity or a very high limit, or defaultMaxListeners raised the same way',
    why: 'The MaxListenersExceededWarning is Node\'s only built-in leak detector for listeners; turning it off hides '
      + 'listener leaks instead of fixing them.',
    message: 'the listener-leak warning is disabled (limit {{name}}), so listener leaks go unnoticed',
  },
  languages: ['javascript', 'typescript'],
  examples: {
    leaky: [
      { code: 'const emitter = new EventEmitter();\nemitter.setMaxListeners(0);\n', lines: [2] },
      { code: "import { EventEmitter } from 'node:events';\nEventEmitter.defaultMaxListeners = Infinity;\n", lines: [2] },
      { code: 'export function attach(socket) {\n  socket.setMaxListeners(1000);\n}\n', lines: [2] },
    ],
    fine: [
      { code: 'const emitter = new EventEmitter();\nemitter.setMaxListeners(20);\n', note: 'raised a little, still bounded' },
      { code: "import { setMaxListeners } from 'node:events';\nconst controller = new AbortController();\nsetMaxListeners(15, controller.signal);\n", note: 'bounded' },
    ],
  },
  detect,
};
export default rule;
