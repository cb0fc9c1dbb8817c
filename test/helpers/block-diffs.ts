import { expect } from 'vitest';
import type { Copies } from '../../src/deps/text-blocks.js';
import type { DependencySet, Parsed } from '../../src/types.js';

// The check of a BlockSyntax's answer against the parser: the base's copies, less what the diff says was removed,
// plus what it says was added, must be exactly the new revision's; a revision that does not parse must never be
// decided from its diff.

export function copiesOfParse(parsed: Parsed<DependencySet>): Copies | undefined {
  if (!parsed.ok) return undefined;
  const copies: Copies = new Map();
  for (const p of parsed.value.packages) copies.set(p.name, [...(copies.get(p.name) ?? []), `${p.version}|${p.facts.integrity ?? ''}`]);
  return copies;
}

const sortedOf = (copies: Copies): Record<string, string[]> =>
  Object.fromEntries([...copies].filter(([, l]) => l.length > 0).map(([k, l]) => [k, [...l].sort()] as const).sort());

/** 'decided' when the diff gave an answer (and it is the parser's), 'undecided' when it left the revision to a parse. */
export function checkMoved(moved: { removed: Copies; added: Copies } | undefined, before: Copies | undefined, after: Copies | undefined): 'decided' | 'undecided' {
  if (!moved) return 'undecided';
  expect(after, 'a revision that does not parse was decided from its diff').toBeDefined();
  const copies = new Map([...(before as Copies)].map(([k, l]) => [k, [...l]]));
  for (const [name, list] of moved.removed) {
    const own = copies.get(name) ?? [];
    for (const state of list) {
      const at = own.indexOf(state);
      expect(at, `removed ${name} ${state} that the base does not hold`).toBeGreaterThanOrEqual(0);
      own.splice(at, 1);
    }
    copies.set(name, own);
  }
  for (const [name, list] of moved.added) copies.set(name, [...(copies.get(name) ?? []), ...list]);
  expect(sortedOf(copies)).toEqual(sortedOf(after as Copies));
  return 'decided';
}
