import { describe, expect, it, vi } from 'vitest';
import type { FileChange, LineRange, SourceInput } from '../types.js';
import { analyzeSources, attachBlame, ignoreReason } from './run.js';

function change(path: string, added: LineRange[], extra: Partial<FileChange> = {}): FileChange {
  return {
    path, status: 'modified', binary: false, additions: 0, deletions: 0, added, removed: [], hunks: [],
    commits: ['c1', 'c2'], ...extra,
  };
}
const input = (path: string, text: string, added: LineRange[], extra: Partial<FileChange> = {}): SourceInput =>
  ({ path, text, change: change(path, added, extra) });

const INCIDENT = 'BAD = ValueError("bad")\n\ndef handle(r):\n    raise BAD\n';

describe('analyzeSources', () => {
  it('reports a hit on an added line with commits, severity and a filled message', async () => {
    const { findings, warnings } = await analyzeSources([input('app/errors.py', INCIDENT, [{ start: 4, end: 4 }])], {});
    expect(warnings).toEqual([]);
    expect(findings).toEqual([{
      rule: 'module-level-exception-instance', severity: 'high', file: 'app/errors.py', line: 4, commits: ['c1', 'c2'],
      message: expect.stringContaining('BAD is one exception instance') as unknown as string,
    }]);
  });

  it('keeps a hit when only a related line of the construct was added (the instance definition)', async () => {
    const { findings } = await analyzeSources([input('a.py', INCIDENT, [{ start: 1, end: 1 }])], {});
    expect(findings.map(f => f.line)).toEqual([4]);
  });

  it('drops hits on lines the diff did not touch', async () => {
    const { findings } = await analyzeSources([input('a.py', INCIDENT + '\nX = 1\n', [{ start: 6, end: 6 }])], {});
    expect(findings).toEqual([]);
  });

  it('honours rule settings: off, and a severity override', async () => {
    const inputs = [input('a.py', INCIDENT, [{ start: 1, end: 4 }])];
    expect((await analyzeSources(inputs, { rules: { 'module-level-exception-instance': 'off' } })).findings).toEqual([]);
    const [finding] = (await analyzeSources(inputs, { rules: { 'module-level-exception-instance': 'critical' } })).findings;
    expect(finding?.severity).toBe('critical');
  });

  it('marks a hit silenced by a reldiff-ignore comment on the line or the line above, keeping the reason', async () => {
    const text = 'BAD = ValueError("bad")\n\ndef handle(r):\n    # reldiff-ignore: module-level-exception-instance raised once at shutdown\n    raise BAD\n\ndef other(r):\n    raise BAD  # reldiff-ignore: some-other-rule nope\n';
    const { findings } = await analyzeSources([input('a.py', text, [{ start: 1, end: 8 }])], {});
    expect(findings.map(f => [f.line, f.ignored])).toEqual([[5, 'raised once at shutdown'], [8, undefined]]);
  });

  it('reads // reldiff-ignore in JS and defaults the reason', () => {
    expect(ignoreReason(['setInterval(f, 1) // reldiff-ignore: js-interval-handle-dropped'], 1, 'js-interval-handle-dropped'))
      .toBe('no reason given');
  });

  it('skips big files, NUL bytes and unknown extensions with warnings only where useful', async () => {
    const big = 'x = 1\n'.repeat(200_000);
    const { findings, warnings } = await analyzeSources([
      input('big.py', big, [{ start: 1, end: 1 }]),
      input('bin.js', 'a\0b', [{ start: 1, end: 1 }]),
      input('README.md', 'raise BAD', [{ start: 1, end: 1 }]),
    ], {});
    expect(findings).toEqual([]);
    expect(warnings).toEqual([
      'big.py: skipped by the rule engine, larger than 1 MB',
      'bin.js: skipped by the rule engine, contains NUL bytes (binary?)',
    ]);
  });

  it('skips minified bundles with a warning', async () => {
    const text = `${'var a=1;'.repeat(5000)}\nfunction f(c){setInterval(()=>c.ping(),9)}\n`;
    const { findings, warnings } = await analyzeSources([input('dist/app.min.js', text, [{ start: 1, end: 2 }])], {});
    expect(findings).toEqual([]);
    expect(warnings).toEqual(['dist/app.min.js: skipped by the rule engine, looks minified']);
  });

  it('finds calls by text position in files with non-ASCII text', async () => {
    const text = 'const s = "héllo 😀 wörld";\nexport function w(c) {\n  setInterval(() => c.ping(), 9);\n}\n';
    const { findings } = await analyzeSources([input('u.js', text, [{ start: 1, end: 4 }])], {});
    expect(findings.map(f => [f.rule, f.line])).toEqual([['js-interval-handle-dropped', 3]]);
  });

  it('does not mistake keyword arguments or subscripts for local bindings', async () => {
    const text = 'CACHE = {}\n\ndef handle(req):\n    print(req, CACHE=1)\n    CACHE[req.id] = req\n';
    const { findings } = await analyzeSources([input('a.py', text, [{ start: 1, end: 5 }])], {});
    expect(findings.map(f => [f.rule, f.line])).toEqual([['py-module-container-growth', 5]]);
  });

  it('survives broken syntax and still reports what it can', async () => {
    const text = 'BAD = ValueError("bad")\n\ndef handle(r:\n    raise BAD\n\ndef ok(r):\n    raise BAD\n';
    const { findings } = await analyzeSources([input('a.py', text, [{ start: 1, end: 7 }])], {});
    expect(findings.map(f => f.line)).toContain(7);
  });

  it('reports a failing rule as a warning and keeps going', async () => {
    const broken = { id: 'broken', meta: { severity: 'low', description: 'd', why: 'w', message: 'm' }, languages: ['python'],
      examples: { leaky: [], fine: [] }, detect: () => { throw new Error('boom'); } } as const;
    const { warnings } = await analyzeSources([input('a.py', 'x = 1\n', [{ start: 1, end: 1 }])], {}, [broken]);
    expect(warnings).toEqual(['a.py: rule broken failed (boom); please report']);
  });

  it('reports removed cleanup from the hunks at the nearest line of the new file', async () => {
    const text = 'export function watch(conn) {\n  const timer = setInterval(() => conn.ping(), 1000);\n}\n';
    const hunks = [{
      oldStart: 1, oldLines: 4, newStart: 1, newLines: 3,
      lines: [' export function watch(conn) {', '   const timer = setInterval(() => conn.ping(), 1000);',
        "-  conn.once('close', () => clearInterval(timer));", ' }'],
    }];
    const { findings } = await analyzeSources([input('src/watch.ts', text, [], { hunks })], {});
    expect(findings.map(f => [f.rule, f.line])).toEqual([['removed-cleanup', 3]]);
  });

  it('shows the removed and the added lines in a removed-cleanup excerpt', async () => {
    const text = "export function watch(conn) {\n  const timer = setInterval(() => conn.ping(), 1000);\n  conn.closed = true;\n}\n";
    const hunks = [{
      oldStart: 1, oldLines: 4, newStart: 1, newLines: 4,
      lines: [' export function watch(conn) {', '   const timer = setInterval(() => conn.ping(), 1000);',
        "-  conn.once('close', () => clearInterval(timer));", '+  conn.closed = true;', ' }'],
    }];
    const { findings } = await analyzeSources([input('src/watch.ts', text, [{ start: 3, end: 3 }], { hunks })], {});
    expect(findings.map(f => f.excerpt)).toEqual([{ start: 1, lines: [
      '  export function watch(conn) {', '    const timer = setInterval(() => conn.ping(), 1000);',
      "-   conn.once('close', () => clearInterval(timer));", '+   conn.closed = true;', '  }',
    ] }]);
  });

  it('runs no rule on a deleted file, even when its old text is at hand', async () => {
    const text = 'export function watch(conn) {\n  setInterval(() => conn.ping(), 1000);\n}\n';
    const { findings } = await analyzeSources([input('src/watch.ts', text, [{ start: 1, end: 3 }], { status: 'deleted' })], {});
    expect(findings).toEqual([]);
  });

  it('rates a growth finding by the facts at its site, and a settings override still wins', async () => {
    const text = '_cache = {}\n\n@app.route("/p")\ndef page(request):\n    _cache[request.path] = 1\n';
    const inputs = [input('a.py', text, [{ start: 1, end: 5 }])];
    const [finding] = (await analyzeSources(inputs, {})).findings;
    expect([finding?.rule, finding?.severity]).toEqual(['py-module-container-growth', 'high']);
    expect(finding?.message).toContain('keyed by request data (`request.path`)');
    const [overridden] = (await analyzeSources(inputs, { rules: { 'py-module-container-growth': 'low' } })).findings;
    expect(overridden?.severity).toBe('low');
  });

  it('parses .tsx, .mjs and .pyi and sorts findings by file and line', async () => {
    const effect = "export function A() {\n  useEffect(() => {\n    window.addEventListener('x', f);\n  }, []);\n  return <div />;\n}\n";
    const { findings } = await analyzeSources([
      input('z.tsx', effect, [{ start: 1, end: 6 }]),
      input('b.mjs', 'export function w(c) {\n  setInterval(() => c.ping(), 9);\n}\n', [{ start: 2, end: 2 }]),
      input('a.pyi', INCIDENT, [{ start: 4, end: 4 }]),
    ], {});
    expect(findings.map(f => `${f.file}:${f.line}:${f.rule}`)).toEqual([
      'a.pyi:4:module-level-exception-instance', 'b.mjs:2:js-interval-handle-dropped', 'z.tsx:2:js-effect-without-cleanup',
    ]);
  });
});

describe('attachBlame', () => {
  it('calls blame once per file with merged ranges and replaces commits by the blamed sha', async () => {
    const base = { rule: 'r', severity: 'low' as const, message: 'm', commits: ['c1', 'c2'] };
    const findings = [
      { ...base, file: 'a.py', line: 4 }, { ...base, file: 'a.py', line: 5 }, { ...base, file: 'a.py', line: 9 },
      { ...base, file: 'b.ts', line: 2 },
    ];
    const blame = vi.fn(async (path: string) => new Map(path === 'a.py' ? [[4, 'sha4'], [9, 'sha9']] : []));
    const result = await attachBlame(findings, blame);
    expect(blame.mock.calls).toEqual([['a.py', [{ start: 4, end: 5 }, { start: 9, end: 9 }]], ['b.ts', [{ start: 2, end: 2 }]]]);
    expect(result.map(f => f.commits)).toEqual([['sha4'], ['c1', 'c2'], ['sha9'], ['c1', 'c2']]);
  });
});
