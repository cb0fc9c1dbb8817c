import type { Node } from '@vscode/tree-sitter-wasm';
import { enclosingFunctions, isLocalIn, isShadowed, moduleBindings } from './ast.js';
import type { SourceFile } from './types.js';

export const JS_GLOBALS = new Set(['process', 'window', 'document', 'globalThis', 'global', 'self']);

/** Names bound at module level by import statements and top-level require() destructuring. */
export function importedNames(file: SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of file.root.namedChildren) {
    if (statement?.type !== 'import_statement') continue;
    for (const id of statement.descendantsOfType('identifier')) {
      if (id && id.parent?.type !== 'string') names.add(id.text);
    }
  }
  return names;
}

/** Receivers that outlive a call: globals, module-level bindings and imports (unless shadowed locally). */
export function longLivedReceiver(file: SourceFile): (receiver: Node, fn: Node) => boolean {
  const module = new Set([...moduleBindings(file).keys(), ...importedNames(file)]);
  return (receiver, fn) => {
    let base = receiver;
    while (base.type === 'member_expression') base = base.childForFieldName('object') ?? base;
    if (base.type !== 'identifier') return false;
    if (!JS_GLOBALS.has(base.text) && !module.has(base.text)) return false;
    return !isShadowed(file, fn, base.text) && !isLocalIn(file, fn, base.text);
  };
}

/** The callback of a React/Preact/Solid-style effect hook that contains `node`, if any. */
export function effectCallback(file: SourceFile, node: Node): Node | null {
  for (const fn of enclosingFunctions(file, node)) {
    const call = fn.parent?.parent;
    if (fn.parent?.type === 'arguments' && call?.type === 'call_expression'
      && /^(React\.)?(useEffect|useLayoutEffect|useInsertionEffect)$/.test(call.childForFieldName('function')?.text ?? '')) {
      return fn;
    }
  }
  return null;
}

export function hasVmImport(file: SourceFile): boolean {
  return /(from\s+|require\(\s*)['"](node:)?vm['"]/.test(file.text);
}
