import { describe, expect, it } from 'vitest';
import { buildCommentBody } from '../github/body.js';
import { reporters } from './index.js';
import { markdownReporter } from './markdown.js';
import type { Report, ReportDependency, ReportRankingItem } from './model.js';
import { mdCode } from './markdown-escape.js';

// Issue 12: 200,000 changed packages ended in "Maximum call stack size exceeded" in the Markdown and terminal
// reporters (`out.push(...rows)`, `Math.max(...names)`): no reporter may spread an unbounded array into a call.

const N = 200_000;
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

function huge(): Report {
  const dependencies: ReportDependency[] = [];
  const ranking: ReportRankingItem[] = [];
  for (let i = 0; i < N; i++) {
    dependencies.push({ ecosystem: 'pypi', lockfile: 'requirements.txt', name: `p${i}`, from: '1.0', to: '2.0', fromVersions: ['1.0'],
      toVersions: ['2.0'], change: 'major', direct: true, dev: false, signals: [], commits: [] });
    ranking.push({ rank: i + 1, id: `dep:pypi:requirements.txt:p${i}@2.0`, kind: 'dependency', score: 0.1, level: 'low', title: `p${i} 1.0 -> 2.0`,
      reasons: [], dependency: { ecosystem: 'pypi', name: `p${i}`, lockfile: 'requirements.txt' }, commits: [] });
  }
  return { schemaVersion: 1, tool: { name: 'reldiff', version: '1.0.0' }, from: { ref: 'a', commit: A }, to: { ref: 'b', commit: B },
    commits: [], dependencies, findings: [], ranking, bisect: { testFirst: [], commands: [] }, warnings: [] };
}

describe('reporters on 200,000 changes', () => {
  const report = huge();
  it.each(['terminal', 'markdown', 'html', 'json'] as const)('%s renders them all', format => {
    const out = reporters[format].render(report, { color: false, top: 10, all: true });
    expect(out).toContain(`p${N - 1}`);
  }, 60_000);

  it('sarif renders (it holds findings only, and these changes have none)', () => {
    const sarif = JSON.parse(reporters.sarif.render(report, { color: false, top: 10, all: true })) as { runs: { results: unknown[] }[] };
    expect(sarif.runs[0]?.results).toEqual([]);
  });

  it('by default the terminal and Markdown show the top and sum up the rest', () => {
    const terminal = reporters.terminal.render(report, { color: false, top: 10 });
    expect(terminal.split('\n').length).toBeLessThan(200);
    expect(terminal).toContain('requirements.txt (pypi): 200,000 changes: 200,000 major');
    const markdown = reporters.markdown.render(report, { color: false, top: 10 });
    expect(markdown.length).toBeLessThanOrEqual(65_536);
    expect(markdown).toContain('199,990 more changes, lower risk');
  }, 60_000);

  it('the PR comment fits the limit', () => {
    const { body, omitted } = buildCommentBody(report, { render: (r, n) => markdownReporter.render(r, { color: false, top: n }),
      top: 10, riskLevel: 'medium', riskyCount: 0, artifactName: 'x' });
    expect(body.length).toBeLessThanOrEqual(65_536);
    // The Markdown reporter already fits the budget, so nothing is cut after it: it says itself what it left out.
    expect(omitted).toBe(0);
    expect(body).toContain("to keep this within GitHub's 65,536-character limit");
  }, 60_000);

  it('a code span around a value with 200,000 backtick runs', () => {
    expect(mdCode('` '.repeat(N)).startsWith('``')).toBe(true);
  });
});
