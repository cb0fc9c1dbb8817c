import type { Node } from '@vscode/tree-sitter-wasm';

/** The decorators of a function_definition (empty when it has none). */
export function decoratorsOf(def: Node): Node[] {
  const parent = def.parent;
  if (parent?.type !== 'decorated_definition') return [];
  return parent.namedChildren.filter((n): n is Node => n?.type === 'decorator');
}

/** `@cache`, `@functools.cache`, `@lru_cache`, `@lru_cache(maxsize=N)`: returns the bound ('none' when unbounded). */
export function cacheDecorator(decorator: Node): { bound: 'none' | 'default' | 'set' } | undefined {
  const text = decorator.text.replace(/^@\s*/, '').replace(/\s+/g, '');
  if (/^(functools\.)?cache$/.test(text)) return { bound: 'none' };
  const lru = /^(functools\.)?lru_cache(\((.*)\))?$/.exec(text);
  if (!lru) return undefined;
  const args = lru[3] ?? '';
  if (args === '' || /^typed=\w+$/.test(args)) return { bound: 'default' };
  return /^(maxsize=)?None\b/.test(args) ? { bound: 'none' } : { bound: 'set' };
}

export function parameterNames(def: Node): string[] {
  const params = def.childForFieldName('parameters');
  return (params?.namedChildren ?? []).flatMap(param => {
    if (!param) return [];
    if (param.type === 'identifier') return [param.text];
    const name = param.childForFieldName('name') ?? param.namedChild(0);
    return name?.type === 'identifier' ? [name.text] : [];
  });
}
