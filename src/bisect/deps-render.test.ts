import { describe, expect, it } from 'vitest';
import type { DepsPlan } from './deps-plan.js';
import { renderDepsHtml } from './deps-html.js';
import { renderDepsDryRun, renderDepsDryRunJson, renderDepsJson, renderDepsMarkdown, renderDepsText } from './deps-render.js';
import type { DepsOutcome } from './deps-run.js';

// Names and versions come from lockfiles: a hostile one must not colour the terminal or inject Markdown, and JSON
// keeps the exact value with control characters escaped.

const evil = '\u001b[31mevil[x](http://e.test)@team</script>';
const plan: DepsPlan = {
  lockfile: 'package-lock.json', ecosystem: 'npm',
  units: [
    { members: [{ name: evil, from: '1.0.0', to: '1.1.0' }], prior: 0.6, score: 0.9, why: [] },
    { members: [{ name: 'core-x', from: '1.0.0', to: '2.0.0' }, { name: 'core-y', from: '1.0.0', to: '2.0.0' }], prior: 0.4, score: 0.1,
      why: ['core-x@2.0.0 requires core-y@^2.0.0, which core-y@1.0.0 does not satisfy'] },
  ],
  unmoved: ['fresh (none) -> 1.0.0 (added)'],
  runs: { expected: 1.4, worst: 2, bound: 3, topFirst: 1, plain: 1.4 },
};
const outcome: DepsOutcome = {
  culprit: { name: evil, from: '1.0.0', to: '1.1.0', lockfile: 'package-lock.json', members: [{ name: evil, from: '1.0.0', to: '1.1.0' }], why: [] },
  isGroup: false, runs: 1, stop: 'pinned', trials: [{ step: 1, units: 1, set: [`${evil}@1.1.0`], verdict: 'bad' }],
};

describe('bisect --deps output', () => {
  it('prints the plan: units likeliest first, the group and its reason, the run counts against the target', () => {
    const text = renderDepsDryRun(plan);
    expect(text).toContain('package-lock.json: 3 upgraded packages in 2 units (1 group that must move together).');
    expect(text).toContain('Expected runs 1.40 (worst 2, target ceil(log2 n) + 2 = 3); 1 when the top-ranked unit is the culprit');
    expect(text).toContain('  core-x + core-y:\n    core-x@2.0.0 requires core-y@^2.0.0');
    expect(text).toContain('fresh (none) -> 1.0.0 (added)');
  });
  it('says one unit and its one run without a formula that would not hold for it', () => {
    const one: DepsPlan = { ...plan, units: [plan.units[0]!], runs: { expected: 1, worst: 1, bound: 1, topFirst: 1, plain: 1 } };
    expect(renderDepsDryRun(one)).toContain('1 upgraded package in 1 unit (0 groups that must move together).');
    expect(renderDepsDryRun(one)).toContain('Expected runs 1.00 (worst 1, target 1); ');
  });
  it('keeps escape sequences out of the terminal', () => {
    for (const text of [renderDepsDryRun(plan), renderDepsText(outcome, plan)]) expect(text).not.toContain('\u001b');
  });
  it('keeps Markdown links, mentions and HTML out of the Markdown', () => {
    const md = renderDepsMarkdown(outcome, plan);
    expect(md).not.toContain('](http');
    expect(md).not.toContain('</script>');
    expect(md).not.toMatch(/(^|[^\\])@team/);
    expect(md).toContain('| 1 | bad |');
  });
  it('writes JSON that keeps the exact names (as the JSON report does) with no raw control character', () => {
    for (const json of [renderDepsJson(outcome, plan), renderDepsDryRunJson(plan)]) {
      expect(json).not.toContain('\u001b');
      expect(JSON.stringify(JSON.parse(json))).toContain('evil');
    }
    expect(JSON.parse(renderDepsJson(outcome, plan)).culprit).toMatchObject({ name: evil, from: '1.0.0', to: '1.1.0', lockfile: 'package-lock.json' });
  });
});

describe('bisect --deps HTML', () => {
  it('is one page with no script and every lockfile value escaped', () => {
    const html = renderDepsHtml(outcome, plan);
    expect(html).toContain('content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;"');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('</script>');
    expect(html).not.toContain('\u001b');
    expect(html).toContain('evil[x](http://e.test)@team&lt;/script&gt;');
    expect(html).toContain('<td class="bad">bad</td>');
    expect(html).toContain('core-x@2.0.0 requires core-y@^2.0.0');
  });
});
