import type { Node } from '@vscode/tree-sitter-wasm';
import { escapeRegExp, lineOf } from './ast.js';
import { growthSites } from './growth.js';
import { APPENDS, contextFact, growthVerdict, paramsAround, siteKeyFact } from './growth-facts.js';
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
    if (!line) continue;
    // The mutation's key (or appended value) and the function's role decide how fast the shared default grows.
    const site = growthSites(file).find(g => g.target === name && g.fn.startIndex === def.startIndex && lineOf(g.node) === line);
    const verdict = growthVerdict(
      site ? siteKeyFact(site, paramsAround(file, def)) : { kind: 'unknown', why: '' }, contextFact(file, def), {},
      !site || APPENDS.has(site.method) || /^\[/.test(value.text) || /^list\(/.test(value.text),
    );
    if (!verdict) continue;
    hits.push({ line, severity: verdict.severity, args: { name, facts: verdict.facts, [RELATED_LINES_ARG]: String(lineOf(param)) } });
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
    // The floor is low: on 45 MB of real code every hit was a cache over a bounded key set (bench/rules-precision.js).
    severity: 'low',
    upTo: 'high',
    severityFacts: 'high when what the call adds is new on every call (time, ids, request data, serialized data) and '
      + 'the function runs per request or event; medium with one of those; low otherwise. A constant key: no finding.',
    description: 'A mutable default argument ([] / {} / set()) that the function mutates',
    why: 'The default is created once, when the def runs, and shared by every call: whatever a call adds to it stays '
      + 'there and accumulates for the life of the function.',
    message: 'default argument {{name}} is created once and shared by every call: {{facts}}',
  },
  languages: ['python'],
  examples: {
    leaky: [
      { code: 'def collect(item, seen=[]):\n    seen.append(item)\n    return seen\n', lines: [2], severity: 'low' },
      { code: 'def memo(key, cache={}):\n    if key not in cache:\n        cache[key] = compute(key)\n    return cache[key]\n', lines: [3], severity: 'low' },
      {
        code: 'def audit(request, trail=[]):\n    trail.append(request.path)\n    return len(trail)\n', lines: [2],
        severity: 'high', says: ['adds request data (`request.path`)', 'runs per request or event (audit(request))', 'grows without bound'],
      },
      {
        code: 'import time\n\ndef stamp(name, marks={}):\n    marks[(name, time.time())] = name\n', lines: [4],
        severity: 'medium', says: ['keyed by the time'],
      },
    ],
    fine: [
      { code: 'def collect(item, seen=None):\n    if seen is None:\n        seen = []\n    seen.append(item)\n    return seen\n', note: 'None default' },
      { code: 'def total(items=[]):\n    return sum(items)\n', note: 'never mutated' },
      { code: 'def parse(tokens, stack=[]):\n    stack.append(tokens[0])\n    try:\n        return walk(tokens)\n    finally:\n        stack.pop()\n', note: 'used as a stack and emptied again' },
      { code: 'def collect(item, seen=[]):\n    seen = list(seen)\n    seen.append(item)\n    return seen\n', note: 'copied before mutation' },
      { code: 'def handle(request, flags={}):\n    flags["seen"] = True\n    return flags\n', note: 'one constant key, per request: one slot' },
    ],
  },
  detect,
};
export default rule;
