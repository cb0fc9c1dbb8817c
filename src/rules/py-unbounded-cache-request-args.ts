import { enclosingFunction, lineOf } from './ast.js';
import { cacheDecorator, decoratorsOf, parameterNames } from './py-decorators.js';
import type { Hit, Rule, SourceFile } from './types.js';

const REQUEST_LIKE = /^(request|req|ctx|event|msg|message|payload|body|headers|query|params|url|uri|user|session|conn|connection|sock|socket|token|\w+_id|id|handler|loop|client|websocket|ws|response)$/;
/** Objects made per call: as cache keys they keep every request, session or loop alive, not just a value. */
const PER_CALL_OBJECT = /^(request|req|ctx|event|msg|message|session|conn|connection|sock|socket|handler|loop|client|websocket|ws|response)$/;

function detect(file: SourceFile): Hit[] {
  if (!/\bcache\b|lru_cache/.test(file.text)) return [];
  const hits: Hit[] = [];
  for (const def of file.root.descendantsOfType('function_definition')) {
    if (!def || enclosingFunction(file, def)) continue;
    const cached = decoratorsOf(def).find(d => cacheDecorator(d)?.bound === 'none');
    if (!cached) continue;
    // Annotated bool/Literal/Enum parameters have a small, fixed domain.
    const smallDomain = new Set((def.childForFieldName('parameters')?.namedChildren ?? []).flatMap(param => {
      const type = param?.childForFieldName('type')?.text ?? '';
      const name = param?.childForFieldName('name')?.text ?? param?.namedChild(0)?.text;
      return name && /^(bool|Literal\[.*\]|\w*(Enum|Kind|Mode|Level))$/.test(type) ? [name] : [];
    }));
    const params = parameterNames(def).filter(name => name !== 'self' && name !== 'cls' && !smallDomain.has(name));
    const object = params.find(name => PER_CALL_OBJECT.test(name));
    const requestLike = object ?? params.find(name => REQUEST_LIKE.test(name));
    if (!requestLike) continue;
    const facts = object
      ? `argument \`${object}\` is an object made per call, so every one passed in stays alive in the cache with its result`
      : `argument \`${requestLike}\` is a request-derived value, so the cache keeps one entry per distinct value`;
    hits.push({
      line: lineOf(cached), severity: object ? 'high' : 'medium',
      args: { name: def.childForFieldName('name')?.text ?? '?', param: requestLike, decorator: cached.text, facts },
    });
  }
  return hits;
}

const rule: Rule = {
  id: 'py-unbounded-cache-request-args',
  meta: {
    severity: 'medium',
    upTo: 'high',
    severityFacts: 'high when an argument is an object made per call (request, session, connection, socket, handler, '
      + 'event loop...): the cache holds each one alive; medium when the arguments are values derived from requests '
      + '(ids, urls, tokens, payloads): one entry per distinct value.',
    description: 'functools.cache or lru_cache(maxsize=None) on a function whose arguments come from requests',
    why: 'An unbounded memo keeps every distinct argument tuple and result; with request-derived arguments (ids, '
      + 'payloads, users) the number of keys has no limit.',
    message: '{{decorator}} on {{name}}() has no bound: {{facts}}; give it a maxsize',
  },
  languages: ['python'],
  examples: {
    leaky: [
      {
        code: 'from functools import cache\n\n@cache\ndef render_card(user_id, locale):\n    return load(user_id, locale)\n', lines: [3],
        severity: 'medium', says: ['`user_id` is a request-derived value'],
      },
      {
        code: 'import functools\n\n@functools.lru_cache(maxsize=None)\ndef parse(request):\n    return decode(request)\n', lines: [3],
        severity: 'high', says: ['`request` is an object made per call'],
      },
      {
        code: 'import functools\n\n@functools.cache\ndef limiter_for(loop):\n    return asyncio.Semaphore(10)\n', lines: [3],
        severity: 'high', says: ['@functools.cache on limiter_for()', '`loop` is an object made per call'], note: 'keeps every event loop alive',
      },
    ],
    fine: [
      { code: 'from functools import lru_cache\n\n@lru_cache(maxsize=1024)\ndef render_card(user_id, locale):\n    return load(user_id, locale)\n', note: 'bounded' },
      { code: 'from functools import cache\n\n@cache\ndef unit_factor(unit):\n    return {"kb": 1024}[unit]\n', note: 'small argument domain' },
      { code: 'import functools\n\n@functools.lru_cache(maxsize=None)\ndef log_context(*, user: bool = False, key: str = ""):\n    return {"user": user}\n', note: 'bool flag and a generic key' },
      { code: 'from functools import lru_cache\n\n@lru_cache\ndef get_user(user_id):\n    return load(user_id)\n', note: 'default maxsize=128' },
    ],
  },
  detect,
};
export default rule;
