import { containerKind, enclosingFunction, escapeRegExp, functionName, lineOf, moduleBindings } from './ast.js';
import { growthSites } from './growth.js';
import { contextFact, paramsAround, siteKeyFact } from './growth-facts.js';
import type { Hit, Rule, SourceFile } from './types.js';

function detect(file: SourceFile): Hit[] {
  if (!/\blocal\s*\(|ContextVar/.test(file.text)) return [];
  const hits: Hit[] = [];
  const bindings = moduleBindings(file);
  const locals = [...bindings].filter(([, v]) => v.type === 'call' && /^(threading\.)?local$/.test(v.childForFieldName('function')?.text ?? ''));
  const vars = [...bindings].filter(([, v]) => v.type === 'call' && /^(contextvars\.)?ContextVar$/.test(v.childForFieldName('function')?.text ?? ''));
  for (const site of growthSites(file)) {
    const owner = locals.find(([name]) => site.target.startsWith(`${name}.`))
      ?? vars.find(([name]) => new RegExp(`^${escapeRegExp(name)}\\.get\\(\\s*\\)$`).test(site.target));
    if (!owner) continue;
    const id = escapeRegExp(site.target);
    if (new RegExp(`${id}\\s*\\.\\s*(pop|popitem|remove|discard|clear)\\s*\\(|\\bdel\\s+${id}\\b|\\n\\s*${id}\\s*=[^=]`).test(file.text)) continue;
    // Pooled threads serve request after request: a per-request append to their state is growth without bound.
    const context = contextFact(file, site.fn);
    const value = siteKeyFact(site, paramsAround(file, site.fn));
    const facts = [value.kind === 'per-call' ? `adds ${value.why}` : '', context.why,
      context.perCall ? 'nothing clears it, so each pooled thread keeps every request it served' : 'nothing clears it'].filter(Boolean).join('; ');
    hits.push({ line: lineOf(site.node), severity: context.perCall ? 'high' : 'medium', args: { name: site.target, function: functionName(site.fn), facts } });
  }
  for (const { node } of file.query('(call function: [(identifier) (attribute)] @f (#match? @f "^(contextvars\\\\.)?ContextVar$")) @call')) {
    if (node.type !== 'call') continue;
    const fn = enclosingFunction(file, node);
    if (!fn || /^__init__$/.test(functionName(fn))) continue;
    const context = contextFact(file, fn);
    const facts = [context.why, 'a ContextVar made at run time is never freed while a context holds it'].filter(Boolean).join('; ');
    hits.push({ line: lineOf(node), severity: context.perCall ? 'high' : 'medium', args: { name: 'ContextVar', function: functionName(fn), facts } });
  }
  void containerKind;
  return hits.sort((a, b) => a.line - b.line);
}

const rule: Rule = {
  id: 'py-thread-local-growth',
  meta: {
    severity: 'medium',
    upTo: 'high',
    severityFacts: 'high when the function runs per request or event (route decorators, handler parameters such as '
      + '`request`, handler names): a pooled thread or a long-lived context then keeps every request; medium otherwise.',
    description: 'threading.local or ContextVar state that only grows, or a ContextVar created per call',
    why: 'Thread-locals live as long as their (pooled) thread and context values as long as their context; containers '
      + 'inside them that are appended per request and never cleared grow without bound, and each ContextVar created '
      + 'at run time is never freed while contexts reference it.',
    message: '{{function}}() grows {{name}}, per-thread/per-context state: {{facts}}',
  },
  languages: ['python'],
  examples: {
    leaky: [
      {
        code: 'import threading\n_local = threading.local()\n\ndef handle(request):\n    _local.seen.append(request)\n', lines: [5],
        severity: 'high', says: ['adds request data (`request`)', 'runs per request or event', 'each pooled thread keeps every request'],
      },
      { code: 'from contextvars import ContextVar\nTRAIL = ContextVar("trail")\n\ndef step(name):\n    TRAIL.get().append(name)\n', lines: [5], severity: 'medium', says: ['nothing clears it'] },
      { code: 'import contextvars\n\ndef handle(request):\n    var = contextvars.ContextVar(f"req-{request.id}")\n    var.set(request)\n', lines: [4], severity: 'high' },
      { code: 'import contextvars\n\ndef make_var(name):\n    return contextvars.ContextVar(name)\n', lines: [4], severity: 'medium', says: ['never freed'] },
    ],
    fine: [
      { code: 'import threading\n_local = threading.local()\n\ndef handle(request):\n    _local.request = request\n', note: 'one slot, replaced per request' },
      { code: 'import threading\n_local = threading.local()\n\ndef handle(request):\n    _local.seen.append(request)\n    try:\n        work()\n    finally:\n        _local.seen.clear()\n', note: 'cleared' },
      { code: 'from contextvars import ContextVar\nREQUEST = ContextVar("request")\n\ndef handle(request):\n    token = REQUEST.set(request)\n    REQUEST.reset(token)\n', note: 'module-level ContextVar, reset' },
    ],
  },
  detect,
};
export default rule;
