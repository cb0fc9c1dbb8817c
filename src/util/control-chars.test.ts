import { describe, expect, it } from 'vitest';
import { renderJson, renderText } from '../bisect/render.js';
import { formatUserError, ReldiffError } from '../errors.js';
import { buildCommentBody } from '../github/body.js';
import { reporters } from '../report/index.js';
import { markdownReporter } from '../report/markdown.js';
import type { Report } from '../report/model.js';
import { cleanDeep, cleanLine, cleanText, escapeUnsafeInJson, guardOutput } from './control-chars.js';

// Each output path on its own, without main()'s last-line guard: the per-value cleaning must hold by itself.

// eslint-disable-next-line no-control-regex
const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const BAD = 'x\x1b]0;t\x07\x1b[2J\x9b\x7f\u202e\u2067\x00\ry';

function hostile(): Report {
  return {
    schemaVersion: 1, tool: { name: 'reldiff', version: '1.0.0' },
    from: { ref: `v1${BAD}`, commit: A }, to: { ref: `v2${BAD}`, commit: B },
    commits: [{ sha: B, subject: `subject ${BAD}`, author: `dev ${BAD}`, date: '2026-01-01T00:00:00Z', risk: 0.9 }],
    dependencies: [{ ecosystem: 'npm', lockfile: `lock${BAD}/package-lock.json`, name: `pkg${BAD}`, from: `1${BAD}`, to: '2.0.0',
      fromVersions: [`1${BAD}`], toVersions: ['2.0.0'], change: 'major', direct: true, dev: false,
      signals: [{ id: 'install-script', detail: `detail ${BAD}` }], commits: [B] }],
    findings: [{ rule: 'py-module-container-growth', severity: 'high', file: `src/${BAD}.py`, line: 3, message: `message ${BAD}`, commits: [B],
      excerpt: { start: 1, lines: [`line ${BAD}`] } }],
    ranking: [
      { rank: 1, id: `src:src/${BAD}.py`, kind: 'source', score: 0.9, level: 'critical', title: `src/${BAD}.py`, reasons: [`reason ${BAD}`],
        file: `src/${BAD}.py`, language: 'python', commits: [B], acknowledged: { reason: `ack ${BAD}` } },
      { rank: 2, id: `dep:npm:pkg${BAD}`, kind: 'dependency', score: 0.8, level: 'high', title: `pkg${BAD} 1 → 2`, reasons: [`why ${BAD}`],
        dependency: { ecosystem: 'npm', name: `pkg${BAD}`, lockfile: `lock${BAD}/package-lock.json` }, commits: [B] },
    ],
    bisect: { testFirst: [B], commands: [`git bisect start ${B} ${A}`] },
    warnings: [`warning ${BAD}`],
    bisectRun: { firstBad: B, steps: 1, tested: [{ sha: B, result: 'bad', step: 1 }], posterior: [{ sha: B, probability: 1 }] },
  };
}

const raw = (text: string): string[] => [...text].filter(ch => RAW.test(ch)).map(ch => ch.charCodeAt(0).toString(16));

describe('cleanText / cleanLine', () => {
  it('makes every unsafe character a visible escape and keeps the text', () => {
    expect(cleanText('a\x1b[31mb\x07c\x9bd\u202ee\u2066f\x7fg')).toBe('a\\x1b[31mb\\x07c\\x9bd\\u202ee\\u2066f\\x7fg');
    expect(cleanText('tab\there\nnew line\r\nCRLF\rCR')).toBe('tab\there\nnew line\nCRLF\\x0dCR');
    expect(cleanLine('one\ttwo\nthree\r\nfour\x1b')).toBe('one two three four\\x1b');
    expect(cleanText('plain ünïcödé → 🟣 \u200b')).toBe('plain ünïcödé → 🟣 \u200b');
  });

  it('is idempotent, so a value cleaned twice reads the same', () => {
    expect(cleanText(cleanText(BAD))).toBe(cleanText(BAD));
  });

  it('cleanDeep cleans keys and values and leaves the input alone', () => {
    const input = { [`k${BAD}`]: [BAD, 1, null, { x: BAD }] };
    expect(raw(JSON.stringify(cleanDeep(input)).replace(/\\u00[0-9a-f]{2}/g, ''))).toEqual([]);
    expect(Object.keys(input)[0]).toBe(`k${BAD}`);
  });

  it('escapeUnsafeInJson writes C1, DEL and bidi as \\u escapes of the same JSON value', () => {
    const json = escapeUnsafeInJson(JSON.stringify({ s: BAD }));
    expect(raw(json)).toEqual([]);
    expect((JSON.parse(json) as { s: string }).s).toBe(BAD);
  });

  it("guardOutput keeps reldiff's own colours, erase-line and progress CR and escapes the rest", () => {
    expect(guardOutput('\x1b[1mbold\x1b[0m \r\x1b[K')).toBe('\x1b[1mbold\x1b[0m \r\x1b[K');
    expect(guardOutput('\x1b]0;t\x07\x1b[2J\x9b\u202e')).toBe('\\x1b]0;t\\x07\\x1b[2J\\x9b\\u202e');
  });
});

describe('every output path, without the guard', () => {
  it.each(['terminal', 'markdown', 'json', 'sarif', 'html'] as const)('%s has no raw unsafe character', format => {
    const out = reporters[format].render(hostile(), { color: false, top: 10 });
    expect(raw(out)).toEqual([]);
    expect(out).toMatch(format === 'sarif' ? /message x/ : /subject/);
  });

  it('the terminal with colour writes only its own SGR escapes', () => {
    const out = reporters.terminal.render(hostile(), { color: true, top: 10 });
    expect([...out.matchAll(/\x1b[^m]*m?/g)].every(m => /^\x1b\[[0-9;]*m$/.test(m[0]))).toBe(true);
  });

  it('the PR comment body', () => {
    const { body } = buildCommentBody(hostile(), { render: (r, n) => markdownReporter.render(r, { color: false, top: n }),
      top: 10, riskLevel: 'medium', riskyCount: 1, artifactName: `art${BAD}` });
    expect(raw(body)).toEqual([]);
  });

  it("bisect's result text and JSON", () => {
    const outcome = { firstBad: B, probability: 1, steps: 1, candidates: 2, stop: 'pinned' as const, tested: [{ sha: B, result: 'bad' as const, step: 1 }],
      posterior: [{ sha: B, probability: 1 }], history: [] };
    const text = renderText(outcome as never, [`#1 reason ${BAD}`], `subject ${BAD}`);
    expect(raw(text)).toEqual([]);
    expect(text.split('\n')[0]).toBe(`first bad commit: ${B} subject x\\x1b]0;t\\x07\\x1b[2J\\x9b\\x7f\\u202e\\u2067\\x00 y`);
    expect(raw(renderJson(outcome as never, [`#1 reason ${BAD}`]))).toEqual([]);
  });

  it('formatUserError: one line, cleaned, for a message and a hint that quote repository text', () => {
    const line = formatUserError(new ReldiffError('bad-lockfile', `cannot parse line 3 of ${BAD}: "${BAD}"`, `Fix ${BAD}`));
    expect(raw(line)).toEqual([]);
    expect(line).not.toMatch(/\n/);
    expect(line).toMatch(/^reldiff: cannot parse line 3 of x\\x1b\]0;t\\x07/);
  });
});
