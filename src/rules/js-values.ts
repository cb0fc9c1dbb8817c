import type { Node } from '@vscode/tree-sitter-wasm';

const REQUEST_NAMES = /^(req|request|res|response|reply|socket|sock|ws|conn|connection|ctx|client|stream)$/;
const SETTLER_NAMES = /^(resolve|reject|res|rej|callback|cb|done|next|resolver|deferred|handler)$/;

/** Identifiers a stored value holds directly: `x`, `{ x, y: z }`, `[x, y]`. */
export function heldNames(value: Node | null): string[] {
  if (!value) return [];
  if (value.type === 'identifier' || value.type === 'shorthand_property_identifier') return [value.text];
  if (value.type === 'pair') return heldNames(value.childForFieldName('value'));
  if (['object', 'array', 'parenthesized_expression'].includes(value.type)) {
    return value.namedChildren.flatMap(child => heldNames(child));
  }
  return [];
}

export const requestLikeName = (value: Node | null): string | undefined =>
  heldNames(value).find(name => REQUEST_NAMES.test(name));

export const settlerName = (value: Node | null): string | undefined =>
  heldNames(value).find(name => SETTLER_NAMES.test(name) && name !== 'res');

/** Parameter names of a JS function node. */
export function jsParams(fn: Node): Set<string> {
  const params = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
  return new Set((params?.descendantsOfType('identifier') ?? []).flatMap(id => (id ? [id.text] : [])));
}
