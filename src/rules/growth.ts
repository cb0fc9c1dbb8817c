import type { Node } from '@vscode/tree-sitter-wasm';
import { containerKind, enclosingFunction, hasModuleContainerText, isShadowed, lineOf, memo, methodCallsAt, moduleBindings } from './ast.js';
import type { SourceFile } from './types.js';

/** One insertion into a named container: `t.append(v)`, `t[k] = v`, `t.set(k, v)`, `t.push(v)`... */
export interface GrowthSite {
  /** The call or assignment that inserts. */
  node: Node;
  /** The container expression as written: `CACHE`, `self.items`, `this.pending`, `globalThis.x`. */
  target: string;
  /** True when the container is a bare identifier (module-level candidates). */
  isIdentifier: boolean;
  /** The identifier the container hangs off: `T` for `T`, and for `T[k]` (defaultdict of lists). */
  base: string | null;
  method: string;
  key: Node | null;
  value: Node | null;
  fn: Node;
}


// Sites are found from the text (method names, `] =`) and then resolved in the tree: a query over every call
// in the file costs far more than the few candidates a regex finds.
const PY_METHOD = /\.\s*(append|extend|insert|add|update|setdefault|appendleft)\s*\(/g;
const JS_METHOD = /\.\s*(push|unshift|set|add)\s*\(/g;
const SUBSCRIPT_ASSIGN = /\]\s*(\+|-|\||\*)?=(?!=)/g;

/** Insertions that happen inside functions (import-time inserts build registries, which do not grow). */
export function growthSites(file: SourceFile): GrowthSite[] {
  return memo(file, 'growth', () => findGrowthSites(file));
}

function findGrowthSites(file: SourceFile): GrowthSite[] {
  const isPython = file.language === 'python';
  const sites: GrowthSite[] = [];
  const add = (site: Omit<GrowthSite, 'fn' | 'base' | 'isIdentifier'> & { targetNode: Node }) => {
    const fn = enclosingFunction(file, site.node);
    if (!fn) return;
    const { targetNode, ...rest } = site;
    sites.push({ ...rest, fn, isIdentifier: targetNode.type === 'identifier', base: baseName(targetNode) });
  };
  for (const { call, object: targetNode, method: methodName, args: argList } of methodCallsAt(file, isPython ? PY_METHOD : JS_METHOD)) {
    const args = argList?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [];
    const keyed = methodName === 'set' || methodName === 'setdefault' || methodName === 'insert';
    add({
      node: call, target: targetNode.text, targetNode, method: methodName,
      key: keyed ? (args[0] ?? null) : null,
      value: keyed ? (args[1] ?? null) : (args[0] ?? null),
    });
  }
  for (const match of file.text.matchAll(SUBSCRIPT_ASSIGN)) {
    const bracket = file.root.descendantForIndex(match.index);
    const subscript = bracket?.parent;
    const assign = subscript?.parent;
    if (!subscript || !assign || !['subscript', 'subscript_expression'].includes(subscript.type)) continue;
    if (!['assignment', 'augmented_assignment', 'assignment_expression'].includes(assign.type)) continue;
    if (assign.childForFieldName('left')?.startIndex !== subscript.startIndex) continue;
    const targetNode = subscript.childForFieldName('value') ?? subscript.childForFieldName('object');
    if (!targetNode) continue;
    add({
      node: assign, target: targetNode.text, targetNode, method: '[]=',
      key: subscript.childForFieldName('subscript') ?? subscript.childForFieldName('index'),
      value: assign.childForFieldName('right'),
    });
  }
  return sites.sort((a, b) => a.node.startIndex - b.node.startIndex);
}

function baseName(target: Node): string | null {
  if (target.type === 'identifier') return target.text;
  if (target.type === 'subscript' || target.type === 'subscript_expression') {
    const inner = target.childForFieldName('value') ?? target.childForFieldName('object');
    return inner?.type === 'identifier' ? inner.text : null;
  }
  return null;
}

/** Growth sites on module-level containers named in `containers`, not shadowed by a local of the same name. */
/** The module-level dicts, lists, sets, Maps... of a file, by name, with their kind and line. */
export function moduleContainers(file: SourceFile): Map<string, { kind: string; line: number }> {
  const containers = new Map<string, { kind: string; line: number }>();
  if (!hasModuleContainerText(file)) return containers;
  for (const [name, value] of moduleBindings(file)) {
    const kind = containerKind(value, file.language);
    if (kind) containers.set(name, { kind, line: lineOf(value) });
  }
  return containers;
}

export function moduleGrowthSites(file: SourceFile, containers: ReadonlyMap<string, unknown>): GrowthSite[] {
  return growthSites(file).filter(site =>
    site.base !== null && containers.has(site.base) && !isShadowed(file, site.node, site.base));
}

export const isLiteralKey = (key: Node | null): boolean =>
  !!key && ['string', 'integer', 'number', 'true', 'false', 'none', 'null', 'undefined'].includes(key.type)
  && !key.descendantsOfType(['interpolation', 'template_substitution']).length;
