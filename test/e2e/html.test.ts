/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { renderHtml } from '../../src/report/html.js';
import { launchBrowser, openReport, type OpenedReport } from '../helpers/browser.js';
import { emptyReport, HOSTILE, sampleReport } from '../helpers/html-report.js';

let browser: Browser;
beforeAll(async () => { browser = await launchBrowser(); });
afterAll(async () => { await browser?.close(); });

const visibleRows = (page: Page): Promise<number> => page.locator('#rank-table tbody.item:not([hidden])').count();

async function pwned(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
}

describe('html report in Chromium', () => {
  const report = sampleReport();
  let opened: OpenedReport;
  beforeAll(async () => { opened = await openReport(browser, renderHtml(report)); });

  it('runs its script without errors and runs nothing from the data', async () => {
    expect(opened.errors).toEqual([]);
    expect(await pwned(opened.page)).toBeUndefined();
    expect(await opened.page.locator('img').count()).toBe(0);
    expect(await opened.page.locator('script').count()).toBe(2);
    expect(await opened.page.locator('#rank-filters').isVisible()).toBe(true);
    await expect(opened.page.title()).resolves.toBe('reldiff: v1.0.0 → v1.1.0');
  });

  it('shows hostile values as text', async () => {
    const { page } = opened;
    await expect(page.locator('#rank-table').innerText()).resolves.toContain(HOSTILE.path);
    await page.locator('.tl-commit').nth(1).click();
    const detail = await page.locator('#tl-detail').innerText();
    expect(detail).toContain(HOSTILE.subject);
    expect(detail).toContain(HOSTILE.author);
    expect(await pwned(page)).toBeUndefined();
  });

  it('draws one timeline bar per commit, and the marks', async () => {
    const { page } = opened;
    expect(await page.locator('svg.tl-svg .tl-bar').count()).toBe(report.commits.length);
    expect(await page.locator('svg.tl-svg .tl-lock').count()).toBe(2);
    expect(await page.locator('svg.tl-svg .tl-first-mark').count()).toBe(3);
    const box = await page.locator('svg.tl-svg').boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(600);
    const tall = await page.locator('.tl-bar').nth(8).boundingBox();
    const short = await page.locator('.tl-bar').nth(7).boundingBox();
    expect(tall?.height ?? 0).toBeGreaterThan((short?.height ?? 0) * 10);
  });

  it('shows a commit on hover and moves between commits by keyboard', async () => {
    const { page } = opened;
    await page.locator('.tl-commit').nth(4).hover();
    await expect(page.locator('#tl-detail').innerText()).resolves.toContain('Add request registry');
    await page.locator('.tl-commit').first().focus();
    await expect(page.locator('#tl-detail').innerText()).resolves.toContain('Initial cache layer');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const detail = await page.locator('#tl-detail').innerText();
    expect(detail).toContain('Bump sharp to 0.33.1');
    expect(detail).toContain('changes a lockfile');
    expect(detail).toContain('bisect: test first #3');
    expect(detail).toContain('native code');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-i'))).toBe('2');
    await page.keyboard.press('End');
    await expect(page.locator('#tl-detail').innerText()).resolves.toContain('Tweak CI');
  });

  it('filters the table by text, kind, level and ecosystem', async () => {
    const { page } = opened;
    expect(await visibleRows(page)).toBe(report.ranking.length);
    await page.locator('#f-text').fill('cache');
    expect(await visibleRows(page)).toBe(1);
    await expect(page.locator('#rank-count').innerText()).resolves.toBe('Showing 1 of 8 changes.');
    await page.locator('#f-text').fill('');
    await page.locator('#f-kind').selectOption('dependency');
    expect(await visibleRows(page)).toBe(4);
    await page.locator('#f-eco').selectOption('pypi');
    expect(await visibleRows(page)).toBe(1);
    await page.locator('#f-eco').selectOption('');
    await page.locator('#f-level').selectOption('low');
    expect(await visibleRows(page)).toBe(1);
    await page.locator('#f-kind').selectOption('');
    expect(await visibleRows(page)).toBe(3);
    await page.locator('#f-level').selectOption('');
    expect(await visibleRows(page)).toBe(report.ranking.length);
  });

  it('sorts by a clicked header and says so with aria-sort', async () => {
    const { page } = opened;
    const titles = (): Promise<string[]> => page.locator('#rank-table tbody.item button.expand').allInnerTexts();
    const header = page.locator('#rank-table th[data-key="title"]');
    await header.locator('button').click();
    await expect(header.getAttribute('aria-sort')).resolves.toBe('ascending');
    const ascending = await titles();
    expect(ascending[0]).toBe(HOSTILE.pkg + ' added');
    expect(ascending).toEqual([...ascending].sort());
    await header.locator('button').click();
    await expect(header.getAttribute('aria-sort')).resolves.toBe('descending');
    expect(await titles()).toEqual([...ascending].reverse());
    await expect(page.locator('#rank-table th[data-key="rank"]').getAttribute('aria-sort')).resolves.toBeNull();
    await page.locator('#rank-table th[data-key="rank"] button').click();
    expect((await titles())[0]).toBe('src/cache.ts');
  });

  it('expands a row by keyboard', async () => {
    const { page } = opened;
    const button = page.locator('#rank-table tbody.item').first().locator('button.expand');
    const detail = page.locator('#rd-0');
    expect(await detail.isVisible()).toBe(false);
    await button.focus();
    await page.keyboard.press('Enter');
    await expect(button.getAttribute('aria-expanded')).resolves.toBe('true');
    expect(await detail.isVisible()).toBe(true);
    await expect(detail.innerText()).resolves.toContain('unbounded-cache');
    await page.keyboard.press('Space');
    await expect(button.getAttribute('aria-expanded')).resolves.toBe('false');
    expect(await detail.isVisible()).toBe(false);
  });

  it('draws the bisect posterior and the probe curve', async () => {
    const { page } = opened;
    expect(await page.locator('svg.pb-svg .pb-bar').count()).toBe(report.commits.length);
    expect(await page.locator('svg.pb-svg .pb-bar.first-bad').count()).toBe(1);
    expect(await page.locator('.multiples svg').count()).toBe(4);
    const points = await page.locator('polyline.pr-curve').evaluate(el => (el as SVGPolylineElement).points.numberOfItems);
    expect(points).toBe(report.probe?.samples.length);
    expect(await page.locator('line.pr-trend').count()).toBe(1);
  });

  it('made no request besides the report itself', () => {
    expect(opened.requests).toEqual([]);
  });
});

describe('html report themes and edge cases', () => {
  it('renders dark mode with dark background and light text', async () => {
    const light = await openReport(browser, renderHtml(sampleReport()), 'light');
    const dark = await openReport(browser, renderHtml(sampleReport()), 'dark');
    const colours = (page: Page): Promise<[string, string]> => page.evaluate(() => {
      const style = getComputedStyle(document.body);
      return [style.backgroundColor, style.color] as [string, string];
    });
    expect(await colours(light.page)).toEqual(['rgb(255, 255, 255)', 'rgb(31, 35, 40)']);
    expect(await colours(dark.page)).toEqual(['rgb(13, 17, 23)', 'rgb(230, 237, 243)']);
    expect(await dark.page.locator('.tl-bar.lv-critical').first().evaluate(el => getComputedStyle(el).fill)).toBe('rgb(255, 123, 114)');
    expect(dark.errors).toEqual([]);
  });

  it('prints on white with the light palette and without the controls, even in dark mode', async () => {
    const { page } = await openReport(browser, renderHtml(sampleReport()), 'dark');
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(255, 255, 255)');
    expect(await page.locator('.tl-bar.lv-critical').first().evaluate(el => getComputedStyle(el).fill)).toBe('rgb(180, 35, 24)');
    expect(await page.locator('nav').isVisible()).toBe(false);
    expect(await page.locator('#rank-filters').isVisible()).toBe(false);
    expect(await page.locator('#rank-table').isVisible()).toBe(true);
  });

  it('keeps text contrast at 4.5:1 or more in both themes', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { page } = await openReport(browser, renderHtml(sampleReport()), scheme);
      await page.locator('#rank-table button.expand').first().click();
      const worst = await page.evaluate(() => {
        const rgb = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        const lum = (c: number[]): number => {
          const [r = 0, g = 0, b = 0] = c.map(v => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const background = (el: Element | null): string => {
          for (let node = el; node; node = node.parentElement) {
            const bg = getComputedStyle(node).backgroundColor;
            if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg;
          }
          return getComputedStyle(document.body).backgroundColor;
        };
        let min = { ratio: 21, text: '' };
        for (const el of Array.from(document.querySelectorAll('body *'))) {
          const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && (n.textContent ?? '').trim() !== '');
          if (!own || !(el instanceof HTMLElement) || el.offsetParent === null) continue;
          const a = lum(rgb(getComputedStyle(el).color));
          const b = lum(rgb(background(el)));
          const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
          if (ratio < min.ratio) min = { ratio, text: (el.textContent ?? '').slice(0, 40) };
        }
        return min;
      });
      expect(worst.ratio, `${scheme}: "${worst.text}"`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('blocks a script the CSP does not pin, and requests nothing', async () => {
    const html = renderHtml(sampleReport()).replace('</body>', '<script>window.__pwned=1</script><img src="http://example.com/x.png"></body>');
    const { page, requests } = await openReport(browser, html);
    expect(await pwned(page)).toBeUndefined();
    expect(requests).toEqual([]);
  });

  it('would notice a request or a data script if the page made one (control)', async () => {
    const html = renderHtml(sampleReport())
      .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
      .replace('</body>', '<script>window.__pwned=1</script><img src="http://example.com/x.png"></body>');
    const { page, requests } = await openReport(browser, html);
    expect(await pwned(page)).toBe(1);
    expect(requests).toEqual(['http://example.com/x.png']);
  });

  it('renders an empty report', async () => {
    const { page, errors } = await openReport(browser, renderHtml(emptyReport()));
    expect(errors).toEqual([]);
    expect(await page.locator('.tl-commit').count()).toBe(0);
    await expect(page.locator('#rank-count').innerText()).resolves.toBe('Showing 0 of 0 changes.');
  });
});
