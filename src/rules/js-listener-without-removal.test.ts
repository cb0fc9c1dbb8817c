import { describe, expect, it } from 'vitest';
import type { SourceInput } from '../types.js';
import rule from './js-listener-without-removal.js';
import { analyzeSources } from './run.js';

const code = "function readInput(cb) {\n  process.stdin.on('end', cb);\n}\n";
const at = (path: string): SourceInput => ({
  path, text: code,
  change: { path, status: 'added', binary: false, additions: 3, deletions: 0, added: [{ start: 1, end: 3 }], removed: [], hunks: [], commits: [] },
});

describe('js-listener-without-removal', () => {
  it('stays quiet in entry scripts (bin/, scripts/, examples/) but not in library code', async () => {
    const { findings } = await analyzeSources([at('bin/cli.js'), at('scripts/build.mjs'), at('examples/a.js'), at('lib/read.js')], {}, [rule]);
    expect(findings.map(f => f.file)).toEqual(['lib/read.js']);
  });

  it('treats a receiver declared in an outer function as local', async () => {
    const text = "function list(file) {\n  const parse = new Parser();\n  return new Promise((resolve) => {\n    parse.on('end', resolve);\n  });\n}\n";
    const input = { ...at('lib/list.js'), text };
    expect((await analyzeSources([input], {}, [rule])).findings).toEqual([]);
  });
});
