import { lineOf } from './ast.js';
import type { Hit, Rule, SourceFile } from './types.js';

function detect(file: SourceFile): Hit[] {
  if (!/\bgc\./.test(file.text)) return [];
  const hits: Hit[] = [];
  const enables = /\bgc\.enable\s*\(|\bgc\.freeze\s*\(/.test(file.text);
  for (const { node } of file.query('(call function: (attribute object: (identifier) @o attribute: (identifier) @a) (#eq? @o "gc")) @call')) {
    if (node.type !== 'call') continue;
    const text = node.text.replace(/\s+/g, '');
    if (text === 'gc.disable()' && !enables) hits.push({ line: lineOf(node), args: { name: text } });
    if (/^gc\.set_threshold\(0[,)]/.test(text)) hits.push({ line: lineOf(node), args: { name: text } });
  }
  return hits;
}

const rule: Rule = {
  id: 'py-gc-disabled',
  meta: {
    severity: 'medium',
    description: 'The cyclic garbage collector turned off (gc.disable() with no gc.enable(), gc.set_threshold(0))',
    why: 'Reference cycles (exceptions with tracebacks, parent/child links, closures) are only freed by the cyclic '
      + 'collector; with it off, every cycle ever created stays in memory.',
    message: '{{name}} turns off the cyclic garbage collector; every reference cycle from now on leaks',
  },
  languages: ['python'],
  examples: {
    leaky: [
      { code: 'import gc\n\ndef start():\n    gc.disable()\n    serve()\n', lines: [4] },
      { code: 'import gc\ngc.set_threshold(0)\n', lines: [2] },
    ],
    fine: [
      { code: 'import gc\n\ndef timed(fn):\n    gc.disable()\n    try:\n        return fn()\n    finally:\n        gc.enable()\n', note: 're-enabled' },
      { code: 'import gc\ngc.collect()\ngc.set_threshold(700, 10, 10)\n', note: 'tuning, not disabling' },
    ],
  },
  detect,
};
export default rule;
