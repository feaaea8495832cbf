#!/usr/bin/env node
// Screenshots of the rendered scorecards, to look at before a template change ships:
//   node test/support/screenshots.mjs <folder> [<outbox>]
// The outbox is what `kpiops run` wrote (`out/outbox` by default, e.g. after `npm run demo`).
// For the first recipient of each scorecard it opens the outbox's .html page (the charts load
// from its .files folder beside it) at 600 px (desktop) and 375 px (phone), each in light and
// dark colour schemes, and saves full-page PNGs as <scorecard>-<width>-<scheme>.png.
// It fails (exit 1) when an image does not load or the page is wider than the window, since
// a screenshot would then hide the defect it is taken to show.
// Plain JavaScript so that it runs with `node` alone; the browser is set up as in browser.ts:
// Debian's Chromium (or $KPIOPS_CHROMIUM), never a downloaded browser, and no network.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.KPIOPS_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WIDTHS = [600, 375];
const SCHEMES = ['light', 'dark'];

const [folder, outbox = 'out/outbox'] = process.argv.slice(2);
if (!folder) {
  console.error('usage: node test/support/screenshots.mjs <folder> [<outbox>]');
  process.exit(2);
}
const summaryPath = join(outbox, 'summary.json');
if (!existsSync(summaryPath)) {
  console.error(`${summaryPath} does not exist: render the scorecards first (npm run demo, or kpiops run --out ${outbox})`);
  process.exit(2);
}
if (!existsSync(CHROMIUM)) {
  console.error(`no Chromium at ${CHROMIUM}: install Debian's chromium package or set KPIOPS_CHROMIUM`);
  process.exit(2);
}

const { entries } = JSON.parse(readFileSync(summaryPath, 'utf8'));
// One recipient per scorecard: the templates are the same for every recipient.
const firsts = [...new Map(entries.filter((e) => e.status === 'rendered').reverse().map((e) => [e.scorecard, e])).values()].reverse();
mkdirSync(folder, { recursive: true });

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
const problems = [];
try {
  for (const e of firsts) {
    for (const width of WIDTHS) {
      for (const scheme of SCHEMES) {
        const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme: scheme });
        // An email must not load anything from the outside: only the page and its own chart files.
        await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
        await page.goto(pathToFileURL(resolve(e.files.html)).href, { waitUntil: 'load' });
        const check = await page.evaluate(() => ({
          broken: [...document.images].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.getAttribute('src')),
          scrollWidth: document.scrollingElement.scrollWidth,
        }));
        const file = join(folder, `${e.scorecard}-${width}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        await page.close();
        for (const src of check.broken) problems.push(`${file}: the image ${src} did not load`);
        if (check.scrollWidth > width) problems.push(`${file}: the page is ${check.scrollWidth} px wide in a ${width} px window`);
        console.log(`${file} (${e.recipient})`);
      }
    }
  }
} finally {
  await browser.close();
}
for (const p of problems) console.error(p);
process.exit(problems.length > 0 ? 1 : 0);
