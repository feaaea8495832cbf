import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axe, launch, openHtml } from '../support/browser.js';

let browser: Browser;
beforeAll(async () => { browser = await launch(); }, 60_000);
afterAll(async () => { await browser?.close(); });

it('the accessibility check finds what it must: an image without alt text, low-contrast text, no lang', async () => {
  const page = await openHtml(browser, '<html><body><img src="data:image/png;base64,iVBORw0KGgo="><p style="color:#ccc;background:#fff">faint</p></body></html>', 600);
  const ids = (await axe(page)).map((v) => `${v.id}:${v.impact}`);
  expect(ids).toEqual(expect.arrayContaining(['image-alt:critical', 'color-contrast:serious', 'html-has-lang:serious']));
});
