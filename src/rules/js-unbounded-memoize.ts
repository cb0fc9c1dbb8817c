import { lineOf } from './ast.js';
import type { Hit, Rule, SourceFile } from './types.js';

const MEMOIZERS = /(from\s+|require\(\s*)['"](lodash(-es)?|lodash[./]memoize|memoizee|fast-memoize)['"]/;

function detect(file: SourceFile): Hit[] {
  if (!/memoize|LRU/.test(file.text)) return [];
  const hits: Hit[] = [];
  const hasMemoizer = MEMOIZERS.test(file.text);
  const query = `
(new_expression constructor: (identifier) @callee (#match? @callee "^(LRUCache|LRU)$") arguments: (arguments) @args) @site
(call_expression function: [(identifier) (member_expression)] @callee (#match? @callee "^(_\\\\.)?(memoize|memoizee)$") arguments: (arguments) @args) @site`;
  for (const match of file.matches(query)) {
    const site = match.captures.find(c => c.name === 'site')?.node;
    const callee = match.captures.find(c => c.name === 'callee')?.node.text ?? '';
    const args = match.captures.find(c => c.name === 'args')?.node.text ?? '';
    if (!site) continue;
    if (site.type === 'new_expression') {
      const options = /\{[\s\S]*\}/.exec(args)?.[0];
      if (options && !/\b(max|maxSize|ttlAutopurge)\s*:|\.\.\./.test(options) && !/\b(max|maxSize)\b\s*[,}]/.test(options)) {
        hits.push({ line: lineOf(site), args: { name: `new ${callee}()`, bound: 'max or maxSize' } });
      }
    } else if (hasMemoizer && !/\b(max|maxSize|maxAge|cache)\s*:/.test(args)) {
      hits.push({ line: lineOf(site), args: { name: `${callee}()`, bound: 'a max option or a bounded cache' } });
    }
  }
  return hits;
}

const rule: Rule = {
  id: 'js-unbounded-memoize',
  meta: {
    severity: 'medium',
    description: 'lodash memoize / memoizee without max, or an LRUCache with a ttl but no max or maxSize',
    why: 'These memoizers keep every key and result forever unless given a bound; object or request-derived keys '
      + 'make the cache grow with traffic (lru-cache itself warns: "TTL caching without ttlAutopurge, max, or '
      + 'maxSize can result in unbounded memory consumption").',
    message: '{{name}} has no size bound; give it {{bound}}',
  },
  languages: ['javascript', 'typescript'],
  examples: {
    leaky: [
      { code: "import memoize from 'lodash/memoize';\nconst joinPath = memoize((parts) => parts.join('.'));\n", lines: [2] },
      { code: "import { LRUCache } from 'lru-cache';\nconst sessions = new LRUCache({ ttl: 60_000 });\n", lines: [2] },
      { code: "const _ = require('lodash');\nexport const load = _.memoize(fetchUser);\n", lines: [2] },
    ],
    fine: [
      { code: "import { LRUCache } from 'lru-cache';\nconst sessions = new LRUCache({ max: 500, ttl: 60_000 });\n", note: 'bounded' },
      { code: "import memoizee from 'memoizee';\nexport const load = memoizee(fetchUser, { max: 100 });\n", note: 'memoizee with max' },
      { code: 'export function Row({ item }) {\n  const label = useMemo(() => format(item), [item]);\n  return label;\n}\n', note: 'React useMemo' },
      { code: "import { memoize } from './util.js';\nexport const area = memoize((r) => r * r);\n", note: 'project memoize of unknown bound' },
    ],
  },
  detect,
};
export default rule;
