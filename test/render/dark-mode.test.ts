import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { CHART_COLORS, npsBar, sparkline } from '../../src/render/charts.js';
import { compileTemplateSource, STATUS_COLOR } from '../../src/render/render.js';
import { templateSource } from '../../src/source/templates.js';
import { contrast, luminance } from '../support/contrast.js';

/**
 * The compiled email with every optional part present (one value each), so that every colour
 * the templates write inline is in it: the status rows, notes, NPS answers, mix, breakdown, brief.
 */
const skeleton = async () => (await compileTemplateSource('scorecard', templateSource())).html({
  headline: { counts: { green: 1, amber: 1, red: 1, other: 1 }, movers: [{ name: 'Reach', delta: '+1 pp', since: '2026-09', status: { symbol: '✓', label: 'On target' } }] },
  groups: [{
    title: 'Awareness',
    rows: [{
      name: 'Reach', display: '62.0%', n_display: '400', status: { symbol: '✗', label: 'Off target', reason: 'below' }, status_color: STATUS_COLOR.red, status_class: 'k-red',
      anomaly: { direction: 'down' }, pace: { display: 'on pace' }, total_note: 'All brands', provisional: true, definition_changes: [{ period: '2026-09', commit: 'abc', short_commit: 'abc' }],
      target: { display: '60.0%' }, chart: { cid: 'c', width: 96, height: 28, alt: 'Reach trend' }, previous: { delta: '+1 pp', short: 'Sep' }, last_year: { delta: '+2 pp', short: "Oct '25" },
      distribution_chart: { cid: 'd', width: 240, height: 16, alt: 'answers' }, distribution_text: { detractors: '20%', passives: '30%', promoters: '50%' }, distribution: { respondents: 100 },
      mix: [{ label: 'email', display: '50%' }], breakdown: [{ value: 'cardiora', display: '1%', status: { symbol: '✓' } }],
    }],
  }],
  recipient: { filter: { territory: 'DE-T01' } },
  brief: {
    look_back_months: 6, over_cap: [{ hcp_id: 'H0000001' }], more: 3, csv_name: 'hcps-DE-T01-2026-W43.csv', others_text: '120 other HCPs, nothing to follow up: 120 engaged.',
    action: [{ hcp_id: 'H0000001', display_name: 'Dr. Anna Weber', id_note: 'H0000001', specialty_text: 'cardiology', channels_text: 'Email', last_touch: {}, last_touch_text: 'email opened', open_items: [{ text: 'Sample request' }], over_cap: { channel_name: 'Email', touches: 5, window: '30 days', cap: 4 } }],
  },
});

/** The rules of a CSS block as [selector, property, value] triples (one per selector of a list). */
function rules(css: string): Array<[string, string, string]> {
  return [...css.matchAll(/([^{}]+)\{([^{}]*)\}/g)].flatMap(([, selectors, body]) => selectors!.split(',').map((s) => s.trim()).flatMap((selector) =>
    body!.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
      const [prop, ...value] = d.split(':');
      return [selector, prop!.trim(), value.join(':').replace('!important', '').trim()] as [string, string, string];
    })));
}

/** The body of `@media (prefers-color-scheme: dark) { … }`, braces balanced. */
function darkBlock(html: string): string {
  const start = html.indexOf('@media (prefers-color-scheme: dark)');
  if (start < 0) return '';
  const open = html.indexOf('{', start);
  let depth = 0;
  for (let i = open; i < html.length; i++) {
    if (html[i] === '{') depth++;
    if (html[i] === '}' && --depth === 0) return html.slice(open + 1, i);
  }
  return '';
}

describe('the scorecard email in light and dark mail', () => {
  it('declares both colour schemes, in meta tags and on :root, so Apple Mail and others apply the dark styles', async () => {
    const html = await skeleton();
    const head = html.slice(0, html.indexOf('</head>'));
    expect(head).toContain('<meta name="color-scheme" content="light dark">');
    expect(head).toContain('<meta name="supported-color-schemes" content="light dark">');
    expect(head).toMatch(/:root\s*\{\s*color-scheme:\s*light dark;\s*supported-color-schemes:\s*light dark;\s*\}/);
    expect(darkBlock(html)).not.toBe('');
  });

  it('has text colours with at least 4.5:1 contrast against every background, in the light scheme and the dark one', async () => {
    const html = await skeleton();
    // Light: the colours written inline (the hidden preview text excepted: it is never shown) and the status colours.
    const styles = [...html.matchAll(/style="([^"]*)"/g)].map((m) => m[1]!).filter((s) => !s.includes('display:none'));
    const hexes = (re: RegExp) => [...new Set(styles.flatMap((s) => [...s.matchAll(re)].map((m) => m[1]!.toLowerCase())))];
    const lightText = [...new Set([...hexes(/(?<![-\w])color:\s*(#[0-9a-f]{6})/gi), ...Object.values(STATUS_COLOR)])];
    const lightBackgrounds = hexes(/background(?:-color)?:\s*(#[0-9a-f]{6})/gi);
    // Dark: every colour the dark block sets, against every background it sets.
    const dark = rules(darkBlock(html));
    const darkText = [...new Set(dark.filter(([, p]) => p === 'color').map(([, , v]) => v))];
    const darkBackgrounds = [...new Set(dark.filter(([, p]) => p === 'background' || p === 'background-color').map(([, , v]) => v))];
    expect(lightText.sort()).toEqual(['#1e7b34', '#1f2933', '#52606d', '#8a5300', '#b42318']);
    expect(lightBackgrounds.sort()).toEqual(['#f0f4f8', '#f5f7fa', '#ffffff']);
    expect(darkText.sort()).toEqual(['#5fc27a', '#a3adb8', '#e0a846', '#e4e7eb', '#ff8a80']);
    expect(darkBackgrounds.sort()).toEqual(['#121212', '#1e1e1e', '#2a2f35']);
    const pairs = (texts: string[], backgrounds: string[]) => texts.flatMap((t) => backgrounds.map((b) => ({ pair: `${t} on ${b}`, ratio: Math.round(contrast(t, b) * 100) / 100 })));
    const weakest = (texts: string[], backgrounds: string[]) => pairs(texts, backgrounds).reduce((a, b) => (b.ratio < a.ratio ? b : a));
    // Light: the green on the glance panel is the weakest pair. Luminances 0.147 and 0.900: (0.900 + 0.05) / (0.147 + 0.05) = 4.83.
    expect(weakest(lightText, lightBackgrounds)).toEqual({ pair: '#1e7b34 on #f0f4f8', ratio: 4.83 });
    // Dark: the red on the glance panel. Luminances 0.410 and 0.0278: (0.410 + 0.05) / (0.0278 + 0.05) = 5.91.
    expect(weakest(darkText, darkBackgrounds)).toEqual({ pair: '#ff8a80 on #2a2f35', ratio: 5.91 });
    for (const { pair, ratio } of [...pairs(lightText, lightBackgrounds), ...pairs(darkText, darkBackgrounds)]) expect(ratio, pair).toBeGreaterThanOrEqual(4.5);
  });

  it('gives Outlook.com, which darkens by itself and ignores the media query, the same dark colours', async () => {
    const html = await skeleton();
    const style = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1]!).find((s) => s.includes('prefers-color-scheme'))!;
    const outside = style.replace(/@media \(prefers-color-scheme: dark\)\s*\{/, '').replace(darkBlock(html), '');
    const ogs = rules(outside).filter(([s]) => s.startsWith('[data-ogs'));
    // Text colours under [data-ogsc] (Outlook.com changed the text colour), backgrounds and borders under [data-ogsb].
    for (const [s, p] of ogs) expect(`${s} ${p}`).toMatch(p === 'color' ? /^\[data-ogsc\] / : /^\[data-ogsb\] /);
    const key = ([s, p, v]: [string, string, string]) => `${s.replace(/^\[data-ogs[bc]\] /, '')} ${p}: ${v}`;
    const media = rules(darkBlock(html)).filter(([, p]) => p !== 'background'); // the shorthand repeats background-color
    expect(ogs.map(key).sort()).toEqual(media.map(key).sort());
  });

  it('gives every inline colour of the templates a class the dark scheme overrides', async () => {
    const html = await skeleton();
    const darkSelectors = new Set(rules(darkBlock(html)).map(([s]) => s.split(/[\s>]/)[0]!));
    // The rules between rows take their dark colour from the table's class (one class, not one per cell: the brief has many rows).
    const ruled = [...html.matchAll(/class="k-text k-rules[^"]*"[^>]*><table[\s\S]*?<\/table>/g)].map((m) => m[0]);
    expect(ruled).toHaveLength(2); // the KPI rows and the HCP brief
    expect(ruled.every((t) => /border-(?:top|bottom):1px solid #e4e7eb/.test(t))).toBe(true);
    const rest = ruled.reduce((h, t) => h.replace(t, ''), html);
    expect(rest).not.toMatch(/border-(?:top|bottom):/);
    expect(darkSelectors.has('.k-rules')).toBe(true);
    // Elements the templates colour themselves (MJML's own elements take their class from the cell or section around them).
    const colouredTags = [...html.matchAll(/<(span|div|td)\b([^>]*style="[^"]*(?<![-\w])color:[^"]*"[^>]*)>/g)].filter((m) => !/display:none|font-family:/.test(m[2]!));
    expect(colouredTags.length).toBeGreaterThan(10);
    for (const [tag, , attrs] of colouredTags) {
      const classes = /class="([^"]*)"/.exec(attrs!)?.[1]?.split(/\s+/) ?? [];
      expect(classes.some((c) => darkSelectors.has(`.${c}`)), tag).toBe(true);
    }
  });
});

/** A PNG's pixels as RGBA, decoded by resvg (drawing it unscaled in an SVG of its own size). */
function pixels(png: Buffer) {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><image width="${width}" height="${height}" href="data:image/png;base64,${png.toString('base64')}"/></svg>`;
  const rgba = new Resvg(svg).render().pixels;
  return { width, height, alpha: (x: number, y: number) => rgba[(y * width + x) * 4 + 3]! };
}

describe('charts for light and dark mail', () => {
  const trend = ['2025-10', '2025-11', '2025-12', '2026-01'].map((period, i) => ({ period, value: 0.4 + i * 0.05, n: 100 }));
  const charts = {
    sparkline: sparkline({ name: 'Reach', unit: 'percent', trend, target: { value: 0.6 } })!,
    npsBar: npsBar('Net Promoter Score', { promoters: 50, passives: 30, detractors: 20, respondents: 100 })!,
  };

  for (const [name, chart] of Object.entries(charts)) {
    it(`the ${name} is a PNG with an alpha channel and transparent corners, so the email's background shows through`, () => {
      // IHDR colour type 6: truecolour with alpha.
      expect(chart.png[25]).toBe(6);
      const p = pixels(chart.png);
      expect([p.width, p.height]).toEqual([chart.width * 2, chart.height * 2]);
      if (name === 'sparkline') {
        for (const [x, y] of [[0, 0], [p.width - 1, 0], [0, p.height - 1], [p.width - 1, p.height - 1]] as const) expect(p.alpha(x, y), `${x},${y}`).toBe(0);
      } else {
        // The bar fills its box; the parts are parted by transparent gaps. Detractors: 20% of 240 px = 48 px, less a 1 px gap, at twice the size: x 0 to 94, the gap 94 to 96.
        expect(p.alpha(0, 0)).toBe(255);
        expect([p.alpha(93, 8), p.alpha(95, 8), p.alpha(97, 8)]).toEqual([255, 0, 255]);
      }
    });
  }

  it('draws in mid-tone ink with at least 3:1 contrast against white and the dark backgrounds of mail clients', () => {
    for (const [role, ink] of Object.entries(CHART_COLORS)) {
      for (const background of ['#ffffff', '#121212', '#1e1e1e']) expect(contrast(ink, background), `${role} ${ink} on ${background}`).toBeGreaterThanOrEqual(3);
    }
    // The trend line: luminance 0.211. On white (1.05 / 0.261) 4.02, on #121212 (0.261 / 0.056) 4.65, on #1e1e1e (0.261 / 0.063) 4.14.
    expect(luminance(CHART_COLORS.line)).toBeCloseTo(0.211, 3);
    expect([contrast(CHART_COLORS.line, '#ffffff'), contrast(CHART_COLORS.line, '#121212'), contrast(CHART_COLORS.line, '#1e1e1e')].map((r) => Math.round(r * 100) / 100)).toEqual([4.02, 4.65, 4.14]);
  });
});
