import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

// Headless Chromium for the HTML report's end-to-end tests. A missing browser fails loudly: a skipped
// browser test would hide that the report was never checked.

export const CHROMIUM = process.env['RELDIFF_CHROMIUM'] ?? '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. Run scripts/setup-chromium.sh (or set RELDIFF_CHROMIUM) and try again.`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** The address the report is served from; nothing real lives there. */
export const REPORT_URL = 'http://reldiff.invalid/report.html';

export interface OpenedReport {
  page: Page;
  /** Every request the page made other than the report itself. */
  requests: string[];
  /** Uncaught errors and console errors (a CSP violation shows up here). */
  errors: string[];
}

/** Opens `html` as a page served from REPORT_URL; every other request is recorded and refused. */
export async function openReport(browser: Browser, html: string, colorScheme: 'light' | 'dark' = 'light'): Promise<OpenedReport> {
  const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('pageerror', e => errors.push(e.message));
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  await context.route('**/*', async route => {
    const url = route.request().url();
    if (url === REPORT_URL) {
      await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      return;
    }
    requests.push(url);
    await route.abort();
  });
  await page.goto(REPORT_URL, { waitUntil: 'load' });
  return { page, requests, errors };
}
