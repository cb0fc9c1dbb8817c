import { describe, expect, it } from 'vitest';
import type { Report, ReportRankingItem } from '../report/model.js';
import { markdownReporter } from '../report/markdown.js';
import { buildCommentBody, GITHUB_BODY_LIMIT, type BodyOptions } from './body.js';
import { STICKY_MARKER } from './comment.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

function items(count: number): ReportRankingItem[] {
  return Array.from({ length: count }, (_, i) => ({
    rank: i + 1, id: `src:src/module-${i + 1}.py`, kind: 'source' as const, score: 0.9 - i / (count * 2),
    level: i < 3 ? 'high' as const : 'low' as const, title: `src/module-${i + 1}.py`,
    reasons: [`changed ${i + 1} lines of request handling code with a rather long explanation attached to it`],
    file: `src/module-${i + 1}.py`, commits: [B],
  }));
}

function report(ranking: ReportRankingItem[], warnings: string[] = []): Report {
  return { schemaVersion: 1, tool: { name: 'reldiff', version: '1.0.0' }, from: { ref: 'v1', commit: A }, to: { ref: 'v2', commit: B },
    commits: [{ sha: B, subject: 'big change', author: 'Dev', date: '2026-01-01T00:00:00Z', risk: 0.9 }],
    dependencies: [], findings: [], ranking, bisect: { testFirst: [], commands: [] }, warnings };
}

const options: BodyOptions = {
  render: (r, top) => markdownReporter.render(r, { color: false, top, all: true }),
  top: 10, riskLevel: 'medium', riskyCount: 3, artifactName: 'reldiff-report', runUrl: 'https://github.com/o/r/actions/runs/7',
};

describe('buildCommentBody', () => {
  it('keeps a small report whole, behind the sticky marker', () => {
    const out = buildCommentBody(report(items(12)), options);
    expect(out.omitted).toBe(0);
    expect(out.body.startsWith(`${STICKY_MARKER}\n`)).toBe(true);
    expect(out.body).toContain('src/module-12.py');
    expect(out.body).toContain('<details>');
    expect(out.body).not.toContain('not shown');
  });

  it('cuts a huge ranking by rank to fit, keeps the full summary and says what was left out', () => {
    const big = report(items(3000));
    const full = markdownReporter.render(big, { color: false, top: 10, all: true });
    expect(full.length).toBeGreaterThan(GITHUB_BODY_LIMIT);
    const out = buildCommentBody(big, options);
    expect(out.body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(out.shown + out.omitted).toBe(3000);
    expect(out.shown).toBeGreaterThan(50);
    expect(out.body).toContain('`src/module-1.py`');
    expect(out.body).toContain(`\`src/module-${out.shown}.py\``);
    expect(out.body).not.toContain(`\`src/module-${out.shown + 1}.py\``);
    expect(out.body).toContain('3,000 changed files');
    expect(out.body).toContain(`**${out.omitted} lower-ranked changes are not shown**`);
    expect(out.body).toContain('`reldiff-report` artifact of [this workflow run](https://github.com/o/r/actions/runs/7)');
    // The cut is as tight as the binary search can make it: one more item would not fit.
    const oneMore = buildCommentBody(big, { ...options, limit: out.body.length - 1 });
    expect(oneMore.shown).toBeLessThan(out.shown);
  });

  it('falls back to a hard cut that closes open blocks when even the summary is too long', () => {
    const noisy = report(items(5), Array.from({ length: 20 }, (_, i) => `warning ${i} ${'x'.repeat(5000)}`));
    const out = buildCommentBody(noisy, { ...options, limit: 20_000 });
    expect(out.body.length).toBeLessThanOrEqual(20_000);
    expect(out.body).toContain('This comment was cut');
    const opened = (out.body.match(/<details>/g) ?? []).length;
    expect((out.body.match(/<\/details>/g) ?? []).length).toBe(opened);
  });

  it('caps a long warning list', () => {
    const out = buildCommentBody(report(items(2), Array.from({ length: 50 }, (_, i) => `w${String(i).padStart(2, '0')}`)), options);
    expect(out.body).toContain('w19');
    expect(out.body).not.toContain('w20');
    expect(out.body).toContain('30 more warnings are in the JSON report');
  });

  it('says so when nothing is risky any more', () => {
    const out = buildCommentBody(report(items(2)), { ...options, riskyCount: 0 });
    expect(out.body).toContain('✅ **No risky changes.** Nothing unacknowledged ranks medium or above (2 changes checked).');
  });
});
