import { enclosingFunction, functionName, isOneShot, lineOf } from './ast.js';
import type { Hit, Rule, SourceFile } from './types.js';

function detect(file: SourceFile): Hit[] {
  if (!/addHandler/.test(file.text)) return [];
  const hits: Hit[] = [];
  const query = '(call function: (attribute object: (_) @logger attribute: (identifier) @method (#eq? @method "addHandler"))) @call';
  for (const match of file.matches(query)) {
    const call = match.captures.find(c => c.name === 'call')?.node;
    const logger = match.captures.find(c => c.name === 'logger')?.node.text ?? '';
    const fn = call && enclosingFunction(file, call);
    if (!call || !fn) continue;
    const name = functionName(fn);
    if (isOneShot(file, fn) || /logg(er|ing)|handler|^_?main$|^__init__$/i.test(name)) continue;
    // Guards and teardown that make repeated calls safe.
    if (/\.handlers\b|\bremoveHandler\s*\(|\bhasHandlers\s*\(/.test(fn.text)) continue;
    hits.push({ line: lineOf(call), args: { name: logger, function: name } });
  }
  return hits;
}

const rule: Rule = {
  id: 'py-logging-handler-in-function',
  meta: {
    severity: 'medium',
    description: 'logging addHandler() inside a function with no guard and no removeHandler()',
    why: 'Loggers are process-wide singletons; a handler added per call is never dropped, so handlers (and their '
      + 'open files, buffers and formatters) pile up and every record is emitted once per handler.',
    message: '{{function}}() adds a handler to {{name}} on every call and never removes it',
  },
  languages: ['python'],
  examples: {
    leaky: [
      {
        code: 'import logging\n\ndef handle(request):\n    log = logging.getLogger("api")\n    log.addHandler(logging.FileHandler("api.log"))\n    log.info("got %s", request.path)\n',
        lines: [5],
      },
    ],
    fine: [
      { code: 'import logging\n\ndef setup_logging():\n    logging.getLogger().addHandler(logging.StreamHandler())\n', note: 'one-shot setup function' },
      { code: 'import logging\n\ndef handle(request):\n    log = logging.getLogger("api")\n    if not log.handlers:\n        log.addHandler(logging.StreamHandler())\n', note: 'guarded' },
      { code: 'import logging\nlog = logging.getLogger("api")\nlog.addHandler(logging.StreamHandler())\n', note: 'module level' },
      { code: 'import logging\n\ndef capture(run):\n    h = logging.StreamHandler()\n    logging.getLogger().addHandler(h)\n    try:\n        run()\n    finally:\n        logging.getLogger().removeHandler(h)\n', note: 'removed in finally' },
    ],
  },
  detect,
};
export default rule;
