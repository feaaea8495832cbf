import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertMessage } from '../../src/alerts/message.js';
import { renderAlert } from '../../src/render/alert.js';
import { compileTemplateSource, type CompiledTemplates } from '../../src/render/render.js';
import { templateSource } from '../../src/source/templates.js';
import { axe, CHROMIUM, launch } from '../support/browser.js';
import { contrast, hexOfRgb } from '../support/contrast.js';
import { firing, recovered } from './messages.js';

const feed = firing({
  kind: 'feed', id: 'interactions', title: 'Interactions feed', transition: 'no_data', transition_label: 'No data', what_label: 'freshness', slice_label: '',
  detail: 'No interaction has arrived since 1 Dec 2026 06:00, 3 days ago; at most 1 day is expected.', period: '2026-12-04', scorecards: [], description: undefined,
});
const EMAILS: Array<[string, AlertMessage, { light: string; dark: string }]> = [
  ['firing', firing(), { light: '#b42318', dark: '#ff8a80' }],
  ['recovered', recovered(), { light: '#1e7b34', dark: '#5fc27a' }],
  ['a feed without data', feed, { light: '#8a5300', dark: '#e0a846' }],
];

interface Seen { page: string; card: string; panel: string; edge: string; tone: string; title: string; text: string; muted: string; scrollWidth: number }
/** Run in the page (as source text: the tests are type-checked without the DOM's types). */
const MEASURE = `(() => {
  const style = (selector) => getComputedStyle(document.querySelector(selector));
  return {
    page: getComputedStyle(document.body).backgroundColor,
    card: style('.k-card').backgroundColor,
    panel: style('.k-panel > table > tbody > tr > td').backgroundColor,
    edge: style('.k-panel > table > tbody > tr > td').borderLeftColor,
    tone: style('.k-text span[class^="k-"]').color,
    title: style('h1').color,
    text: style('.k-text > div').color,
    muted: style('.k-muted').color,
    scrollWidth: document.scrollingElement.scrollWidth,
  };
})()`;

describe.skipIf(!existsSync(CHROMIUM))('alert emails in a browser, light and dark', () => {
  let browser: Browser;
  let templates: CompiledTemplates;
  beforeAll(async () => {
    templates = await compileTemplateSource('alert', templateSource());
    browser = await launch();
  }, 60_000);
  afterAll(async () => { await browser?.close(); });

  async function open(m: AlertMessage, width: number, colorScheme: 'light' | 'dark'): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme });
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    await page.setContent(renderAlert(templates, m).html, { waitUntil: 'load' });
    return page;
  }

  for (const [name, message, tone] of EMAILS) {
    it(`${name}: the transition's colour on the heading and the panel's edge, readable text in both schemes, nothing wider than a 375 px phone`, async () => {
      for (const scheme of ['light', 'dark'] as const) {
        for (const width of [600, 375]) {
          const page = await open(message, width, scheme);
          const seen = (await page.evaluate(MEASURE)) as Seen;
          const [pageBg, cardBg, panelBg] = [seen.page, seen.card, seen.panel].map(hexOfRgb);
          expect([pageBg, cardBg, panelBg], scheme).toEqual(scheme === 'dark' ? ['#121212', '#1e1e1e', '#2a2f35'] : ['#f5f7fa', '#ffffff', '#f0f4f8']);
          expect([hexOfRgb(seen.tone), hexOfRgb(seen.edge)]).toEqual([tone[scheme], tone[scheme]]);
          // The edge is a shape, not text: 3:1 against the panel and the card beside it (WCAG 1.4.11).
          for (const bg of [panelBg!, cardBg!]) expect(contrast(tone[scheme], bg), `${tone[scheme]} on ${bg}`).toBeGreaterThanOrEqual(3);
          for (const colour of [seen.tone, seen.title, seen.text, seen.muted].map(hexOfRgb)) {
            for (const bg of [cardBg!, panelBg!]) expect(contrast(colour, bg), `${colour} on ${bg} (${scheme})`).toBeGreaterThanOrEqual(4.5);
          }
          expect(seen.scrollWidth).toBeLessThanOrEqual(width);
          if (width === 375) {
            const violations = (await axe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
            expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html.slice(0, 80)).join(' | ')}`), scheme).toEqual([]);
          }
          await page.close();
        }
      }
    }, 60_000);
  }
});
