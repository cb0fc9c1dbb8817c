import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every arrow points down: no module of src/ reaches itself again through its imports, type-only ones included
// (a type cycle today is a value cycle after the next refactor).

const src = resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

const IMPORT = /^(?:import|export)\s[^'"]*?from\s+'(\.{1,2}\/[^']+)'/gm;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map(m => resolve(dirname(file), (m[1] ?? '').replace(/\.js$/, '.ts')));
}

/** Each cycle once, as the list of files from its smallest member. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const loop = stack.slice(stack.indexOf(next));
        const start = loop.indexOf([...loop].sort()[0] ?? '');
        const canonical = [...loop.slice(start), ...loop.slice(0, start)];
        found.set(canonical.join(' -> '), canonical);
      } else if (!state.has(next) && graph.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return [...found.values()].map(loop => loop.map(f => relative(src, f)));
}

describe('import graph', () => {
  const files = sourceFiles(src);
  const graph = new Map(files.map(f => [f, importsOf(f)]));
  it('reads the whole source tree', () => {
    expect(files.length).toBeGreaterThan(150);
    expect([...graph.values()].flat().length).toBeGreaterThan(300);
  });
  it('finds a cycle when there is one', () => {
    expect(cycles(new Map([['/a', ['/b']], ['/b', ['/c']], ['/c', ['/a']]]))).toHaveLength(1);
  });
  it('has no cycles', () => {
    expect(cycles(graph)).toEqual([]);
  });
});
