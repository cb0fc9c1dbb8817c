import type { Node } from '@vscode/tree-sitter-wasm';
import { escapeRegExp, lineOf } from './ast.js';
import { RELATED_LINES_ARG, type Hit, type Rule, type SourceFile } from './types.js';

const MUTABLE = /^(\[\s*\]|\{\s*\}|(list|dict|set|collections\.defaultdict|defaultdict|OrderedDict)\(.*\))$/s;

function detect(file: SourceFile): Hit[] {
  if (!/=\s*(\[\s*\]|\{\s*\}|(list|dict|set|defaultdict|OrderedDict)\()/.test(file.text)) return [];
  const hits: Hit[] = [];
  for (const param of file.root.descendantsOfType(['default_parameter', 'typed_default_parameter'])) {
    const name = param?.childForFieldName('name')?.text;
    const value = param?.childForFieldName('value');
    const def = param?.parent?.parent;
    const body = def?.childForFieldName('body');
    if (!param || !name || !value || !body || def?.type !== 'function_definition' || !MUTABLE.test(value.text)) continue;
    const id = escapeRegExp(name);
    // Rebinding (`x = x or []`, `if x is None: x = []`) gives each call its own container.
    if (new RegExp(`(^|\\n)\\s*${id}\\s*(:[^=\\n]*)?=[^=]`).test(body.text)) continue;
    // Used as a stack or scratch space that is emptied again.
    if (new RegExp(`\\b${id}\\s*\\.\\s*(pop|popitem|clear|remove)\\s*\\(|\\bdel\\s+${id}\\s*\\[`).test(body.text)) continue;
    const mutation = new RegExp(
      `\\b${id}\\s*\\.\\s*(append|extend|insert|add|update|setdefault|appendleft)\\s*\\(|\\b${id}\\s*\\[[^\\]]*\\]\\s*[+\\-*|]?=[^=]|\\b${id}\\s*[+|]=`);
    const line = firstMatchingLine(body, mutation);
    if (line) hits.push({ line, args: { name, [RELATED_LINES_ARG]: String(lineOf(param)) } });
  }
  return hits;
}

function firstMatchingLine(body: Node, pattern: RegExp): number | undefined {
  const lines = body.text.split('\n');
  const index = lines.findIndex(line => pattern.test(line.replace(/#.*$/, '')));
  return index < 0 ? undefined : lineOf(body) + index;
}

const rule: Rule = {
  id: 'py-mutable-default-accumulator',
  meta: {
    // low, not medium: on 45 MB of real code every hit was a cache over a bounded key set (see bench/rules-precision.js).
    severity: 'low',
    description: 'A mutable default argument ([] / {} / set()) that the function mutates',
    why: 'The default is created once, when the def runs, and shared by every call: whatever a call adds to it stays '
      + 'there and accumulates for the life of the function.',
    message: 'default argument {{name}} is created once and mutated on every call, so it only grows',
  },
  languages: ['python'],
  examples: {
    leaky: [
      { code: 'def collect(item, seen=[]):\n    seen.append(item)\n    return seen\n', lines: [2] },
      { code: 'def memo(key, cache={}):\n    if key not in cache:\n        cache[key] = compute(key)\n    return cache[key]\n', lines: [3] },
    ],
    fine: [
      { code: 'def collect(item, seen=None):\n    if seen is None:\n        seen = []\n    seen.append(item)\n    return seen\n', note: 'None default' },
      { code: 'def total(items=[]):\n    return sum(items)\n', note: 'never mutated' },
      { code: 'def parse(tokens, stack=[]):\n    stack.append(tokens[0])\n    try:\n        return walk(tokens)\n    finally:\n        stack.pop()\n', note: 'used as a stack and emptied again' },
      { code: 'def collect(item, seen=[]):\n    seen = list(seen)\n    seen.append(item)\n    return seen\n', note: 'copied before mutation' },
    ],
  },
  detect,
};
export default rule;
