import { describe, expect, it } from 'vitest';
import type { FileChange } from '../types.js';
import { sourceHeuristics } from './source-heuristics.js';

const change = (lines: string[], status: FileChange['status'] = 'modified', removed: string[] = []): FileChange => ({
  path: 'a.ts', status, binary: false, additions: lines.length, deletions: removed.length, added: [], removed: [], commits: [],
  hunks: [{ oldStart: 1, oldLines: removed.length, newStart: 1, newLines: lines.length, lines: [...removed.map(l => `-${l}`), ...lines.map(l => `+${l}`)] }],
});
const ids = (f: FileChange): string[] => sourceHeuristics(f).map(r => r.id);

describe('sourceHeuristics', () => {
  it('sees empty module-level containers, not constants', () => {
    expect(ids(change(['const cache = new Map<string, Buffer>();']))).toEqual(['src-module-state']);
    expect(ids(change(['SEEN = {}']))).toEqual(['src-module-state']);
    expect(ids(change(["const NAMES = new Set(['package-lock.json', 'npm-shrinkwrap.json']);"]))).toEqual([]);
    expect(ids(change(['  const local = [];']))).toEqual([]);
  });

  it('counts changed error handling in existing files only', () => {
    expect(ids(change(['  raise ERR']))).toEqual(['src-error-handling']);
    expect(ids(change(['  raise ERR'], 'added'))).toEqual([]);
  });

  it('reports deleted cleanup once per kind, and not when the line only moved', () => {
    expect(ids(change([], 'modified', ['  clearInterval(t);', '  clearTimeout(u);']))).toEqual(['src-removed-cleanup']);
    expect(ids(change(['  clearInterval(t);'], 'modified', ['  clearInterval(t);']))).toEqual([]);
  });

  it('does not call a cleanup removed when it changed shape, was replaced by a scoped form, or left with its file', () => {
    expect(ids(change(['  clearInterval(interval);'], 'modified', ['  clearInterval(this.interval);']))).toEqual([]);
    expect(ids(change(['    with open(path) as fh:', '        data = fh.read()'], 'modified', ['    fh = open(path)', '    data = fh.read()', '    fh.close()']))).toEqual([]);
    expect(ids(change(['    history[key] = item'], 'modified', ['    del history[key]', '    history.append(item)']))).toEqual([]);
    expect(ids(change([], 'deleted', ['  emitter.removeListener("x", f);', '  clearTimeout(t);']))).toEqual([]);
  });

  it('still calls a real removal one: the timer stays, its clearing goes', () => {
    expect(ids(change(['  const t = setTimeout(tick, 10);'], 'modified', ['  const t = setTimeout(tick, 10);', '  clearTimeout(t);']))).toEqual(['src-removed-cleanup']);
    expect(ids(change(['  emitter.on("data", onData);'], 'modified', ['  emitter.removeListener("data", onData);']))).toEqual(['src-removed-cleanup']);
  });
});
