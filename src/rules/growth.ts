import type { Node } from '@vscode/tree-sitter-wasm';
import { enclosingFunction, isShadowed, memo } from './ast.js';
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

const PY_GROW = new Set(['append', 'extend', 'insert', 'add', 'update', 'setdefault', 'appendleft']);
const JS_GROW = new Set(['push', 'unshift', 'set', 'add']);

const PY_QUERY = `
(call function: (attribute object: (_) @target attribute: (identifier) @method) arguments: (argument_list) @args) @call
(assignment left: (subscript value: (_) @target subscript: (_) @key) right: (_) @value) @assign
(augmented_assignment left: (subscript value: (_) @target subscript: (_) @key) right: (_) @value) @assign`;

const JS_QUERY = `
(call_expression function: (member_expression object: (_) @target property: (property_identifier) @method) arguments: (arguments) @args) @call
(assignment_expression left: (subscript_expression object: (_) @target index: (_) @key) right: (_) @value) @assign`;

/** Insertions that happen inside functions (import-time inserts build registries, which do not grow). */
export function growthSites(file: SourceFile): GrowthSite[] {
  return memo(file, 'growth', () => findGrowthSites(file));
}

function findGrowthSites(file: SourceFile): GrowthSite[] {
  const isPython = file.language === 'python';
  const sites: GrowthSite[] = [];
  for (const match of file.matches(isPython ? PY_QUERY : JS_QUERY)) {
    const current: Partial<Record<string, Node>> = {};
    for (const capture of match.captures) current[capture.name] = capture.node;
    const root = current.call ?? current.assign;
    const target = current.target;
    if (!root || !target) continue;
    const method = current.method?.text ?? '[]=';
    if (method !== '[]=' && !(isPython ? PY_GROW : JS_GROW).has(method)) continue;
    const fn = enclosingFunction(file, root);
    if (!fn) continue;
    const args = current.args?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [];
    const keyed = method === 'set' || method === 'setdefault' || method === 'insert';
    sites.push({
      node: root, target: target.text, isIdentifier: target.type === 'identifier', base: baseName(target), method, fn,
      key: current.key ?? (keyed ? (args[0] ?? null) : null),
      value: current.value ?? (keyed ? (args[1] ?? null) : (args[0] ?? null)),
    });
  }
  return sites;
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
export function moduleGrowthSites(file: SourceFile, containers: ReadonlyMap<string, unknown>): GrowthSite[] {
  return growthSites(file).filter(site =>
    site.base !== null && containers.has(site.base) && !isShadowed(file, site.node, site.base));
}

export const isLiteralKey = (key: Node | null): boolean =>
  !!key && ['string', 'integer', 'number', 'true', 'false', 'none', 'null', 'undefined'].includes(key.type)
  && !key.descendantsOfType(['interpolation', 'template_substitution']).length;
