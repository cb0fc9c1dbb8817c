import type { Node } from '@vscode/tree-sitter-wasm';
import { lineOf } from './ast.js';
import type { Hit, Rule, SourceFile } from './types.js';

const SUBSCRIBES = /\.(addEventListener|on|addListener|subscribe|observe|watch|listen)\s*\(|\bsetInterval\s*\(|\bnew\s+(WebSocket|EventSource|ResizeObserver|MutationObserver|IntersectionObserver|BroadcastChannel|Worker)\b/;

/** True when the effect body returns a cleanup at its top level. */
function returnsCleanup(body: Node): boolean {
  return body.namedChildren.some(statement => statement?.type === 'return_statement' && statement.namedChildCount > 0);
}

function detect(file: SourceFile): Hit[] {
  if (!/use(Layout)?Effect/.test(file.text)) return [];
  const hits: Hit[] = [];
  const query = `(call_expression
  function: [(identifier) (member_expression)] @hook (#match? @hook "^(React\\\\.)?(useEffect|useLayoutEffect)$")
  arguments: (arguments . [(arrow_function) (function_expression)] @effect)) @call`;
  for (const match of file.matches(query)) {
    const call = match.captures.find(c => c.name === 'call')?.node;
    const effect = match.captures.find(c => c.name === 'effect')?.node;
    const body = effect?.childForFieldName('body');
    if (!call || !body || body.type !== 'statement_block') continue;
    const subscribe = SUBSCRIBES.exec(body.text);
    if (!subscribe || returnsCleanup(body) || /\bonce\s*:\s*true\b|\bsignal\b/.test(body.text)) continue;
    const hook = match.captures.find(c => c.name === 'hook')?.node.text ?? 'useEffect';
    hits.push({ line: lineOf(call), args: { name: hook, what: subscribe[0].replace(/[\s(]+$/, '').replace(/^\./, '') } });
  }
  return hits;
}

const rule: Rule = {
  id: 'js-effect-without-cleanup',
  meta: {
    severity: 'high',
    description: 'A React effect that subscribes (listener, interval, observer, socket) and returns no cleanup',
    why: 'Effects re-run on every dependency change and on each mount; without a returned cleanup every run adds '
      + 'a subscription that holds the component\'s closure, props and state after unmount.',
    message: '{{name}} calls {{what}} but returns no cleanup, so each run leaves a subscription behind',
  },
  languages: ['javascript', 'typescript'],
  examples: {
    leaky: [
      { code: "export function Size() {\n  useEffect(() => {\n    window.addEventListener('resize', onResize);\n  }, []);\n  return null;\n}\n", lines: [2] },
      { code: 'export function Clock({ tick }) {\n  React.useEffect(() => {\n    setInterval(tick, 1000);\n  }, [tick]);\n  return <span />;\n}\n', lines: [2] },
    ],
    fine: [
      {
        code: "export function Size() {\n  useEffect(() => {\n    window.addEventListener('resize', onResize);\n    return () => window.removeEventListener('resize', onResize);\n  }, []);\n  return null;\n}\n",
        note: 'listener removed in cleanup',
      },
      { code: 'export function Feed({ store }) {\n  useEffect(() => store.subscribe(render), [store]);\n  return null;\n}\n', note: 'returns the unsubscribe' },
      { code: 'export function Title({ title }) {\n  useEffect(() => {\n    document.title = title;\n  }, [title]);\n  return null;\n}\n', note: 'no subscription' },
    ],
  },
  detect,
};
export default rule;
