#!/usr/bin/env node
// Screenshots an HTML report for the README: node scripts/screenshot.js <report.html> <out.png> [light|dark]
// Needs Chromium at /usr/bin/chromium (scripts/setup-chromium.sh) or $RELDIFF_CHROMIUM.
import { existsSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const [input, output, scheme = 'light'] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node scripts/screenshot.js <report.html> <out.png> [light|dark]');
  process.exit(2);
}
const executablePath = process.env.RELDIFF_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`Chromium not found at ${executablePath}. Run scripts/setup-chromium.sh first.`);
  process.exit(2);
}
const url = 'http://reldiff.invalid/report.html';
const html = readFileSync(input, 'utf8');
const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
  const context = await browser.newContext({ colorScheme: scheme === 'dark' ? 'dark' : 'light', viewport: { width: 1200, height: 1500 }, deviceScaleFactor: 1 });
  await context.route('**/*', route => (route.request().url() === url
    ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html })
    : route.abort()));
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  // Show one commit's details and one expanded row, as a reader would after a click or two.
  const bars = page.locator('.tl-commit');
  const count = await bars.count();
  if (count > 0) {
    const risks = await page.evaluate(() => JSON.parse(document.getElementById('reldiff-data')?.textContent ?? '{}').commits.map(c => c.risk));
    const top = risks.indexOf(Math.max(...risks));
    await bars.nth(top).click();
  }
  const expand = page.locator('#rank-table button.expand').first();
  if (await expand.count()) await expand.click();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: output, fullPage: false });
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
}
