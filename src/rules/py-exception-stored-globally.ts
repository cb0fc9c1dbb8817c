import type { Node } from '@vscode/tree-sitter-wasm';
import { ancestorOfType, enclosingFunction, functionName, lineOf, moduleBindings } from './ast.js';
import { growthSites } from './growth.js';
import type { Hit, Rule, SourceFile } from './types.js';

/** Names bound by the `except … as NAME` clauses around `node`. */
function caughtNames(node: Node, fn: Node): Set<string> {
  const names = new Set<string>();
  for (let clause = ancestorOfType(node, ['except_clause', 'except_group_clause'], fn); clause;
    clause = ancestorOfType(clause, ['except_clause', 'except_group_clause'], fn)) {
    const alias = /\bas\s+(\w+)\s*:/.exec(clause.text.split('\n')[0] ?? '');
    if (alias?.[1]) names.add(alias[1]);
  }
  return names;
}

/** True when `value` is (or directly holds) the caught exception, its traceback or sys.exc_info(). */
function retainsException(value: Node, caught: Set<string>): boolean {
  if (value.type === 'identifier') return caught.has(value.text);
  if (value.type === 'call') return /^sys\.(exc_info|exception)$/.test(value.childForFieldName('function')?.text ?? '');
  if (value.type === 'attribute') return /__traceback__$|^sys\.last_(traceback|value|exc)$/.test(value.text);
  if (['tuple', 'list', 'parenthesized_expression', 'dictionary', 'pair'].includes(value.type)) {
    return value.namedChildren.some(child => !!child && retainsException(child, caught));
  }
  return false;
}

function detect(file: SourceFile): Hit[] {
  if (!/\bexcept\b[^\n]*\bas\b|exc_info|__traceback__|sys\.exception/.test(file.text)) return [];
  const globals = moduleBindings(file);
  const hits: Hit[] = [];
  for (const site of growthSites(file)) {
    const isLongLived = site.isIdentifier ? globals.has(site.target) : /^(sys|builtins)\./.test(site.target);
    if (!isLongLived || !site.value) continue;
    if (retainsException(site.value, caughtNames(site.node, site.fn))) {
      hits.push({ line: lineOf(site.node), args: { name: site.target, function: functionName(site.fn) } });
    }
  }
  const assigns = /\bglobal\s/.test(file.text) ? file.query('(assignment left: (identifier) @name right: (_)) @assign') : [];
  for (const { node } of assigns) {
    if (node.type !== 'assignment') continue;
    const fn = enclosingFunction(file, node);
    const name = node.childForFieldName('left')?.text ?? '';
    const value = node.childForFieldName('right');
    if (!fn || !value || !new RegExp(`\\bglobal\\s+([\\w\\s,]*,\\s*)?${name}\\b`).test(fn.text)) continue;
    if (retainsException(value, caughtNames(node, fn))) hits.push({ line: lineOf(node), args: { name, function: functionName(fn) } });
  }
  return hits.sort((a, b) => a.line - b.line);
}

const rule: Rule = {
  id: 'py-exception-stored-globally',
  meta: {
    severity: 'high',
    description: 'A caught exception, sys.exc_info() or a traceback stored in a module-level container or global',
    why: 'An exception holds its traceback, and the traceback holds every frame with all its locals; kept in a global, '
      + 'each stored error pins a whole call stack of request data.',
    message: '{{function}}() stores an exception or traceback in module-level {{name}}; its frames and locals stay alive: store str(exc) instead',
  },
  languages: ['python'],
  examples: {
    leaky: [
      { code: 'ERRORS = []\n\ndef handle(req):\n    try:\n        work(req)\n    except Exception as e:\n        ERRORS.append(e)\n', lines: [7] },
      { code: 'import sys\nFAILURES = {}\n\ndef run(job):\n    try:\n        job()\n    except Exception:\n        FAILURES[job.id] = sys.exc_info()\n', lines: [8] },
      { code: 'LAST = None\n\ndef run(job):\n    global LAST\n    try:\n        job()\n    except Exception as exc:\n        LAST = (exc, job)\n', lines: [8] },
    ],
    fine: [
      { code: 'from collections import deque\nERRORS = deque(maxlen=100)\n\ndef handle(req):\n    try:\n        work(req)\n    except Exception as e:\n        ERRORS.append(repr(e))\n', note: 'stores text, not the exception' },
      { code: 'import traceback\nfrom collections import deque\nLOG = deque(maxlen=20)\n\ndef handle(req):\n    try:\n        work(req)\n    except Exception:\n        LOG.append(traceback.format_exc())\n', note: 'formatted traceback' },
      { code: 'def handle(reqs):\n    errors = []\n    for r in reqs:\n        try:\n            work(r)\n        except Exception as e:\n            errors.append(e)\n    return errors\n', note: 'local list' },
    ],
  },
  detect,
};
export default rule;
