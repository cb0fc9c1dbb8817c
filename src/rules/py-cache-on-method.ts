import type { Node } from '@vscode/tree-sitter-wasm';
import { lineOf } from './ast.js';
import { cacheDecorator, decoratorsOf, parameterNames } from './py-decorators.js';
import type { Hit, Rule, SourceFile } from './types.js';

function detect(file: SourceFile): Hit[] {
  if (!/\bcache\b|lru_cache/.test(file.text)) return [];
  const hits: Hit[] = [];
  for (const def of file.root.descendantsOfType('function_definition')) {
    if (!def || def.parent?.parent?.parent?.type !== 'class_definition' && def.parent?.parent?.type !== 'class_definition') continue;
    const decorators = decoratorsOf(def);
    if (decorators.some(d => /^@\s*(staticmethod|classmethod)\b/.test(d.text))) continue;
    if (parameterNames(def)[0] !== 'self') continue;
    const cached = decorators.find((d: Node) => cacheDecorator(d)?.bound === 'none');
    if (!cached) continue;
    hits.push({ line: lineOf(cached), args: { name: def.childForFieldName('name')?.text ?? '?', decorator: cached.text } });
  }
  return hits;
}

const rule: Rule = {
  id: 'py-cache-on-method',
  meta: {
    severity: 'medium',
    description: 'functools.cache or lru_cache(maxsize=None) on an instance method',
    why: 'The cache lives on the function, at class level, and its keys include `self`: every instance that ever called '
      + 'the method stays alive as long as its entry does (forever with maxsize=None).',
    message: '{{decorator}} on method {{name}}() keeps every instance (self) alive in a class-wide cache',
  },
  languages: ['python'],
  examples: {
    leaky: [
      { code: 'from functools import lru_cache\n\nclass Page:\n    @lru_cache(maxsize=None)\n    def render(self, locale):\n        return self.template.render(locale)\n', lines: [4] },
      { code: 'import functools\n\nclass Client:\n    @functools.cache\n    def user(self, user_id):\n        return self.get(user_id)\n', lines: [4] },
    ],
    fine: [
      { code: 'from functools import cached_property\n\nclass Page:\n    @cached_property\n    def html(self):\n        return self.render()\n', note: 'cached_property is stored on the instance' },
      { code: 'from functools import lru_cache\n\nclass Color:\n    @lru_cache(maxsize=1024)\n    def blend(self, other):\n        return mix(self, other)\n', note: 'bounded: keeps at most 1024 instances' },
      { code: 'from functools import lru_cache\n\n@lru_cache(maxsize=256)\ndef render(locale):\n    return load(locale)\n', note: 'module-level function' },
      { code: 'from functools import lru_cache\n\nclass Units:\n    @staticmethod\n    @lru_cache(maxsize=None)\n    def factor(unit):\n        return 2 ** 10\n', note: 'staticmethod has no self' },
    ],
  },
  detect,
};
export default rule;
