import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CSP, htmlReporter, renderHtml } from './html.js';
import { esc, jsonForScript } from './html-escape.js';
import { levelOf } from './html-view.js';
import { renderBisectRun } from './html-bisect.js';
import { renderProbe } from './html-probe.js';
import { emptyReport, HOSTILE, sampleReport } from '../../test/helpers/html-report.js';

const count = (html: string, needle: string): number => html.split(needle).length - 1;
const html = renderHtml(sampleReport());

function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from + start.length);
  if (from < 0 || to < 0) throw new Error(`no ${start}…${end} in the page`);
  return text.slice(from + start.length, to);
}

describe('html escaping', () => {
  it('never lets a repository value through as markup', () => {
    for (const value of Object.values(HOSTILE)) expect(html).not.toContain(value);
    expect(html).not.toMatch(/<img/i);
    expect(html.replace(/"[^"]*"/g, "\"\"")).not.toMatch(/<[^>]*\sonerror=/i);
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<i>');
    expect(count(html, '<script')).toBe(2);
    expect(count(html, '</script>')).toBe(2);
  });

  it('shows hostile values as text', () => {
    expect(html).toContain(esc(HOSTILE.subject));
    expect(html).toContain(esc(HOSTILE.path));
    expect(html).toContain(esc(HOSTILE.pkg));
    expect(esc(`<"'&>`)).toBe('&lt;&quot;&#39;&amp;&gt;');
  });

  it('embeds data as JSON that cannot close its script block and parses back to the same values', () => {
    const json = between(html, '<script type="application/json" id="reldiff-data">', '</script>');
    expect(json).not.toMatch(/[<>&]/);
    const data = JSON.parse(json) as { commits: { subject: string }[]; rows: { path: string }[] };
    expect(data.commits.map(c => c.subject)).toEqual(sampleReport().commits.map(c => c.subject));
    expect(data.rows.some(r => r.path.includes(HOSTILE.path))).toBe(true);
  });

  it('escapes anything JSON.stringify can produce', () => {
    fc.assert(fc.property(fc.jsonValue(), value => {
      const out = jsonForScript(value);
      expect(out).not.toMatch(/[<>&\u2028\u2029]/);
      expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(value)));
    }));
  });

  it('pins the inline script by its sha256 in the CSP', () => {
    const script = between(html, '<script>', '</script>');
    const hash = createHash('sha256').update(script, 'utf8').digest('base64');
    expect(CSP).toContain(`script-src 'sha256-${hash}'`);
    expect(CSP).toContain("default-src 'none'");
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">`);
    expect(script).not.toContain('innerHTML');
  });

  it('references nothing outside the file', () => {
    expect(html).not.toMatch(/\b(src|href)="(?!#)/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/@import|url\(/);
  });
});

describe('html content', () => {
  it('draws only the memory curve for a probe on its own', () => {
    const probe = sampleReport().probe;
    const page = renderHtml({ ...emptyReport(), from: { ref: 'probe: ./load <test>.sh', commit: '' }, to: { ref: 'leak', commit: '' }, ...(probe ? { probe } : {}) });
    expect(page).toContain('<h1>Memory probe: <code>./load &lt;test&gt;.sh</code></h1>');
    expect(count(page, '<polyline')).toBeGreaterThan(0);
    expect(page).not.toContain('id="ranking"');
  });

  it('shows the code around a finding with the hit line marked and hostile code escaped', () => {
    expect(html).toContain('<pre class="excerpt" aria-label="code around line 12">');
    expect(html).toContain('<span class="hit"><span class="ln">12</span> def handle(r):</span>');
    expect(html).toContain('&lt;/pre&gt;&lt;script&gt;window.__pwned=1');
  });

  const report = sampleReport();

  it('draws one timeline bar per commit with lockfile and test-first marks', () => {
    expect(count(html, 'class="tl-commit"')).toBe(report.commits.length);
    expect(count(html, '<rect class="tl-bar ')).toBe(report.commits.length);
    expect(count(html, 'class="tl-lock"')).toBe(2);
    expect(count(html, 'class="tl-first-mark"')).toBe(report.bisect.testFirst.length);
    expect(count(html, 'tabindex="0" role="button"')).toBe(1);
    expect(count(html, 'class="tl-bar lv-critical"')).toBe(2);
  });

  it('draws out-of-range risks as 0..1', () => {
    const odd = sampleReport();
    odd.commits = odd.commits.slice(0, 3).map((c, i) => ({ ...c, risk: [Number.NaN, -2, 7][i] ?? 0 }));
    const page = renderHtml(odd);
    expect(page).not.toContain('NaN');
    expect(page).toContain('<rect class="tl-bar lv-low" x="1" y="97" width="8" height="3"/>');
    expect(page).toContain('<rect class="tl-bar lv-critical" x="21" y="4" width="8" height="96"/>');
  });

  it('colours commits by the ranking thresholds', () => {
    expect([0.85, 0.849, 0.6, 0.3, 0.29, 0].map(levelOf)).toEqual(['critical', 'high', 'high', 'medium', 'low', 'low']);
  });

  it('renders one expandable row per ranking item with its reasons, findings and dependency facts', () => {
    expect(count(html, '<tbody class="item"')).toBe(report.ranking.length);
    expect(count(html, 'aria-expanded="false"')).toBe(report.ranking.length);
    const cache = between(html, 'id="rd-0"', '</tr>');
    expect(cache).toContain('unbounded-cache');
    expect(cache).toContain('line 3');
    expect(cache).toContain('module-level state introduced');
    const sharp = between(html, 'id="rd-1"', '</tr>');
    expect(sharp).toContain('0.32.6</span> → <span class="v-to">0.33.1');
    expect(sharp).toContain('native-code');
    const ignored = between(html, 'id="rd-5"', '</tr>');
    expect(ignored).toContain('(ignored: reviewed &lt;b&gt;ok&lt;/b&gt;)');
  });

  it('offers filters for exactly the kinds, levels and ecosystems present', () => {
    const eco = between(html, '<select id="f-eco">', '</select>');
    expect(eco).toBe('<option value="">all</option><option value="npm">npm</option><option value="pypi">pypi</option>');
    const level = between(html, '<select id="f-level">', '</select>');
    expect(count(level, '<option')).toBe(5);
  });

  it('groups dependency changes by lockfile and ecosystem', () => {
    expect(count(html, '<table class="dep-table"')).toBe(2);
    const npm = between(html, 'id="deps-0"', '</table>');
    expect(npm).toContain('<code>package-lock.json</code> · npm · 3 changes, 2 with signals');
  });

  it('draws the bisect posterior, its history and the first bad commit', () => {
    const run = report.bisectRun;
    expect(count(html, 'class="pb-bar')).toBe(report.commits.length);
    expect(count(html, 'class="pb-bar first-bad"')).toBe(1);
    expect(count(html, '<path class="pb-area"')).toBe(run?.history?.length);
    expect(count(html, 'class="pb-bad-mark"')).toBe(run?.history?.length);
    // Results appear in a snapshot from their step on: 0 + 1 + 2 + 3 marks over steps 0..3.
    expect(count(between(html, '<div class="multiples">', '</div>'), '<rect class="res-')).toBe(6);
    expect(html).toContain(`First bad commit: <code>${run?.firstBad ?? ''}</code>`);
    expect(count(html, '<figure class="multiple">')).toBe(4);
  });

  it('keeps a long bisect run to a dozen small multiples, first and last included', () => {
    const long = sampleReport();
    const history = Array.from({ length: 40 }, () => long.commits.map(() => 0.1));
    const page = renderHtml({ ...long, bisectRun: { ...(long.bisectRun ?? { firstBad: null, steps: 0, tested: [], posterior: [] }), history } });
    const captions = [...page.matchAll(/<figcaption>after step (\d+)<\/figcaption>/g)].map(m => Number(m[1]));
    expect(captions).toHaveLength(12);
    expect(captions[0]).toBe(0);
    expect(captions.at(-1)).toBe(39);
    expect(captions).toEqual([...captions].sort((a, b) => a - b));
  });

  it('draws 200 000 samples and candidates without exhausting the stack (no Math.max spread)', () => {
    const big = emptyReport();
    const shas = Array.from({ length: 200_000 }, (_, i) => i.toString(16).padStart(40, '0'));
    big.bisectRun = { firstBad: null, steps: 0, tested: [], posterior: shas.map(sha => ({ sha, probability: 5e-6 })), history: [shas.map(() => 5e-6)] };
    big.probe = { verdict: 'flat', intervalMs: 1, warmupMs: 0, samples: shas.map((_, i) => [i, 1] as [number, number]), slopeMbPerMin: 0, interceptMb: 1 };
    expect(count(renderBisectRun(big), 'class="pb-bar"')).toBe(200_000);
    expect(renderProbe(big)).toContain('200000 samples');
  });

  it('draws the probe curve through every sample with the trend line', () => {
    const points = between(html, '<polyline class="pr-curve" points="', '"');
    expect(points.split(' ')).toHaveLength(report.probe?.samples.length ?? -1);
    expect(count(html, '<line class="pr-trend"')).toBe(1);
    expect(html).toContain('<span class="badge verdict-leak">leak</span>');
  });

  it('has landmarks, captions and a language', () => {
    expect(html).toMatch(/<html lang="en">/);
    for (const tag of ['<header>', '<main>', '<footer>', '<nav aria-label="Sections">']) expect(html).toContain(tag);
    expect(count(html, '<caption>')).toBe(count(html, '<table'));
    expect(html).toContain('@media screen and (prefers-color-scheme:dark)');
    expect(html).toContain('@media print');
  });

  it('renders an empty report without optional sections', () => {
    const empty = htmlReporter.render(emptyReport(), { color: false, top: 10 });
    expect(empty).toContain('No commits between <code>v1.0.0</code> and <code>v1.0.0</code>.');
    expect(empty).not.toContain('id="tl-detail"');
    expect(empty).not.toContain('bisect-plan');
    expect(empty).toContain('No dependency changes.');
    expect(empty).not.toContain('id="bisect-run"');
    expect(empty).not.toContain('id="probe"');
    expect(count(empty, 'class="tl-commit"')).toBe(0);
  });

  it('is deterministic', () => {
    expect(renderHtml(sampleReport())).toBe(html);
  });

  it('matches the golden file', async () => {
    await expect(html).toMatchFileSnapshot('../../test/golden/report.html');
  });
});
