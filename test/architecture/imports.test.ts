import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// ARCHITECTURE.md §2: imports point inward. The pure core (diff, parsers, rules, risk, reports, plan) never runs a
// process, opens a file or a socket, nor reaches back into the CLI, git, registry or GitHub layers.

const src = resolve(import.meta.dirname, '../../src');
const PURE = ['deps', 'risk', 'report', 'source', 'versions', 'lockfiles', 'evidence', 'rules', 'bisect/plan.ts', 'bisect/posterior.ts', 'bisect/choose.ts'];
/** Loading the WASM grammars is the rule engine's one edge. */
const EDGES = new Set(['rules/parse.ts']);
const FORBIDDEN = /from '(node:(fs|fs\/promises|child_process|net|http|https|worker_threads)|(\.\.\/)+(git|cli|registry|github|config|ack|probe)\/[^']*|simple-git|npm-registry-fetch|@octokit\/[^']*)'/;

function filesOf(entry: string): string[] {
  const full = join(src, entry);
  if (entry.endsWith('.ts')) return [entry];
  return readdirSync(full).filter(f => f.endsWith('.ts') && !f.endsWith('.test.ts')).map(f => `${entry}/${f}`);
}

describe('import directions', () => {
  const files = PURE.flatMap(filesOf).filter(f => !EDGES.has(f));
  it('covers the pure modules', () => {
    expect(files.length).toBeGreaterThan(80);
  });
  it.each(files)('%s imports no I/O and no outer layer', file => {
    const imports = readFileSync(join(src, file), 'utf8').split('\n').filter(l => /^import /.test(l));
    expect(imports.filter(l => FORBIDDEN.test(l))).toEqual([]);
  });
});
