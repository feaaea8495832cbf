import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileTemplateSource, renderScorecard, TemplateError, type TemplateSource } from '../../src/render/render.js';
import { BUILT_IN_TEMPLATES, templateSource } from '../../src/source/templates.js';
import { simpleParser } from 'mailparser';
import { composeEmail, scorecardMail } from '../../src/deliver/compose.js';
import { buildScorecards } from '../../src/scorecard/build.js';
import type { HcpBrief } from '../../src/scorecard/context.js';
import { touchWords } from '../../src/scorecard/touch-words.js';
import type { KpiSpec } from '../../src/spec/kpi.js';
import type { Results } from '../../src/spec/results.js';
import type { ScorecardSpec } from '../../src/spec/scorecard.js';
import { demoKpis } from '../support/engine-fixture.js';
import { contextOf } from '../support/results.js';
import { removeTempDirs, tempDir } from '../support/snapshots.js';

afterAll(removeTempDirs);

const hostile = '<img src=x onerror=alert(1)> *bold* | [link](http://evil.example) {{title}}';
// One fixed target, so the status below does not follow the demo's brand targets.
const reach: KpiSpec = { ...demoKpis.find((k) => k.id === 'reach')!, name: `Reach ${hostile}`, target: { value: 0.6 } };
const months = ['2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'];
const results: Results = {
  version: 'results/v1', generated_by: 'test', config_hash: 'c'.repeat(64),
  snapshot: { id: 'snap', as_of: '2026-11-01T00:00:00.000Z', checksum: 'd'.repeat(64) },
  period: { label: '2026-10', grain: 'month', start: '2026-10-01T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' },
  kpis: [{
    id: 'reach', name: reach.name, kind: 'reach', unit: 'percent', direction: 'higher', indicator: 'leading', stages: ['awareness'], definition_hash: 'a'.repeat(64),
    period: { label: '2026-10', start: '2026-10-01T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' },
    slices: [{ dims: { brand: 'cardiora' }, value: 0.62, n: 400, components: {}, trend: months.map((period, i) => ({ period, value: 0.5 + i * 0.01, n: 400 })) }],
  }],
  blocked: [],
};
const scorecard: ScorecardSpec = {
  version: 'kpiops/v1', id: 'brand_monthly', title: `Brand ${hostile}`, grain: 'month', kpis: ['reach'], slice: ['brand'],
  audience: [{ name: `Clara ${hostile}`, email: 'clara@example.com', filter: { brand: 'cardiora' } }],
};
const card = () => buildScorecards(contextOf([reach], results), scorecard)[0]!;

describe('rendering', () => {
  it('escapes every data value: names and titles cannot become HTML, links or template code', async () => {
    const r = renderScorecard(await compileTemplateSource('scorecard', templateSource()), card());
    expect(r.html).not.toContain('<img src=x');
    expect(r.html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(r.html).toContain('{{title}}'); // data, shown as typed, never evaluated
    expect(r.markdown).not.toMatch(/[^\\]\[link\]\(http/);
    // A word joiner (U+2060) after `http:` keeps GitHub from linking the URL.
    expect(r.markdown).toContain('\\<img src=x onerror=alert(1)\\> \\*bold\\* \\| \\[link\\](http:\u2060//evil.example)');
    // Plain text is plain: shown as typed.
    expect(r.text).toContain(`Reach ${hostile}: 62.0% (target 60.0%) — On target`);
    expect(r.subject).toBe(`Brand ${hostile} — Brand cardiora, 2026-10: 1 on target, 0 near, 0 off`);
  });

  it('states the trend in the chart\'s alt text', async () => {
    const r = renderScorecard(await compileTemplateSource('scorecard', templateSource()), card());
    // 50.0% in 2025-10, +1 pp a month, 62.0% in 2026-10.
    expect(r.html).toContain(`alt="Reach ${hostile.replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/=/g, '&#x3D;')} trend, 2025-10 to 2026-10: 50.0% to 62.0%, up 12.0 pp; high 62.0% (2026-10), low 50.0% (2025-10)."`);
    expect(r.attachments).toHaveLength(1);
    expect(r.attachments[0]!.content.subarray(1, 4).toString()).toBe('PNG');
  });

  it('uses a project\'s own partial where it has one, the built-in files elsewhere', async () => {
    const dir = tempDir('kpiops-templates-');
    mkdirSync(join(dir, 'partials'), { recursive: true });
    writeFileSync(join(dir, 'partials', 'footer.mjml'), '<mj-section><mj-column><mj-text>Questions? Ask the Demo Pharma analytics desk.</mj-text></mj-column></mj-section>');
    const t = await compileTemplateSource('scorecard', templateSource(dir));
    expect(t.files).toContain(join(dir, 'partials', 'footer.mjml'));
    expect(t.files).toContain(join(BUILT_IN_TEMPLATES, 'scorecard.mjml'));
    const r = renderScorecard(t, card());
    expect(r.html).toContain('Questions? Ask the Demo Pharma analytics desk.');
    expect(r.html).not.toContain('sent by kpiops');
    expect(r.html).toContain('At a glance');
  });

  it('compiles the template texts it is handed and names their paths in messages, reading no disk itself', async () => {
    // The built-in texts held in memory under made-up paths, with the footer partial replaced: what renders is what was handed in.
    const texts = new Map(['scorecard.mjml', 'scorecard.txt.hbs', 'scorecard.md.hbs', ...readdirSync(join(BUILT_IN_TEMPLATES, 'partials')).map((f) => `partials/${f}`)]
      .map((f) => [f, readFileSync(join(BUILT_IN_TEMPLATES, f), 'utf8')] as const));
    texts.set('partials/footer.mjml', '<mj-section><mj-column><mj-text>Handed in, not read.</mj-text></mj-column></mj-section>');
    const inMemory = (files: ReadonlyMap<string, string>): TemplateSource => ({
      read: (file) => (files.has(file) ? { text: files.get(file)!, path: `memory/${file}` } : undefined),
      searched: (folder) => (folder ? `memory/${folder}` : 'memory'),
    });
    const t = await compileTemplateSource('scorecard', inMemory(texts));
    expect(t.files).toContain('memory/partials/footer.mjml');
    expect(renderScorecard(t, card()).html).toContain('Handed in, not read.');

    const broken = new Map([['scorecard.mjml', '<mjml>\n  <mj-body>\n    {{> sidebar}}\n  </mj-body>\n</mjml>\n']]);
    await expect(compileTemplateSource('scorecard', inMemory(broken))).rejects.toThrow(new TemplateError('memory/scorecard.mjml', 'the partial "sidebar" is not in memory/partials', 3));
    await expect(compileTemplateSource('report', inMemory(broken))).rejects.toThrow(new TemplateError('report.mjml', 'no template report.mjml in memory'));
  });

  it('names the file and line of a broken template', async () => {
    const missing = tempDir('kpiops-templates-');
    writeFileSync(join(missing, 'scorecard.mjml'), '<mjml>\n  <mj-body>\n    {{> sidebar}}\n  </mj-body>\n</mjml>\n');
    await expect(compileTemplateSource('scorecard', templateSource(missing))).rejects.toThrow(new TemplateError(join(missing, 'scorecard.mjml'), `the partial "sidebar" is not in ${join(missing, 'partials')} or ${join(BUILT_IN_TEMPLATES, 'partials')}`, 3));

    const unclosed = tempDir('kpiops-templates-');
    cpSync(BUILT_IN_TEMPLATES, unclosed, { recursive: true });
    writeFileSync(join(unclosed, 'scorecard.txt.hbs'), 'Hello {{recipient.name}}\n{{#each groups}}\n{{title}}\n');
    await expect(compileTemplateSource('scorecard', templateSource(unclosed))).rejects.toThrow(/scorecard\.txt\.hbs(:\d+)?: Parse error|scorecard\.txt\.hbs(:\d+)?: .*each/);

    const badMjml = tempDir('kpiops-templates-');
    writeFileSync(join(badMjml, 'scorecard.mjml'), '<mjml>\n  <mj-body>\n    <mj-section>\n      <mj-text>outside a column</mj-text>\n    </mj-section>\n  </mj-body>\n</mjml>\n');
    await expect(compileTemplateSource('scorecard', templateSource(badMjml))).rejects.toThrow(/scorecard\.mjml:4: mj-text cannot be used inside mj-section/);
  });
});

describe('a rep brief', () => {
  const rep: ScorecardSpec = { ...scorecard, id: 'rep_weekly', slice: ['territory'], brief: { look_back_months: 6 }, audience: [{ name: 'Jonas Keller', email: 'jonas@example.com', filter: { territory: 'DE-T01' } }] };
  const words = touchWords([{ id: 'rep_visit', name: 'Rep visit', events: { detailed: { label: 'rep visit' } } }, { id: 'email', name: 'Email' }]);
  const evil = `<img src=x onerror=alert(1)> *bold* [x](http://evil.example) \x1b[2J=SUM(A1)\r\n| row |`;
  const item = (day: number) => [{ kind: 'sample_requested', at: `2026-09-${String(day).padStart(2, '0')}T00:00:00.000Z`, text: `Sample request of ${day} Sep 2026, not followed up yet` }];
  // 400 HCPs: 20 with an open item (one in 20; the item of HCP i on day i / 20 + 1), one of them with a hostile name
  // and one without a name; 380 engaged with nothing to follow up.
  const hcps: HcpBrief[] = Array.from({ length: 400 }, (_, i) => ({
    hcp_id: `H${String(i).padStart(7, '0')}`, territory: 'DE-T01', segment: 'growth', specialty: 'cardiology', channels: ['rep_visit', 'email'], engaged_touches: 5,
    ...(i === 20 ? { name: evil } : i === 40 ? {} : { name: `Dr. Test ${i}` }),
    last_touch: { at: '2026-10-20T10:00:00.000Z', channel: 'rep_visit', event: 'detailed' },
    open_items: i % 20 === 0 ? item(i / 20 + 1) : [],
  }));
  const repCard = () => buildScorecards(contextOf([reach], results, { briefs: new Map([['DE-T01', hcps]]) }), rep)[0]!;

  it('lists the 15 most urgent HCPs by name, says 5 more are in the attached list, and sums up the other 380 in a line', async () => {
    const r = renderScorecard(await compileTemplateSource('scorecard', templateSource()), repCard(), { words });
    for (const part of [r.html, r.text, r.markdown]) {
      // 20 open items; the 15 oldest (1 to 15 Sep) are listed, 20 − 15 = 5 more.
      expect(part.match(/Sample request of \d+ Sep 2026/g)).toHaveLength(15);
      expect(part).toContain('Sample request of 15 Sep 2026');
      expect(part).not.toContain('Sample request of 16 Sep 2026');
      expect(part).toMatch(/And 5 more to follow up(<\/b>)? in the attached list \(hcps-DE-T01-2026-10\.csv\)/);
      expect(part).toContain('380 other HCPs, nothing to follow up: 380 engaged.');
      expect(part).toContain('Dr. Test 0');
      expect(part).toContain('rep visit, 20 Oct 2026');
      expect(part).not.toContain('Dr. Test 21'); // nothing to follow up: in the list only
    }
    expect(Buffer.byteLength(r.html)).toBeLessThan(60 * 1024);
    // HCP 40 has no name: its id stands in, once (not "H0000040 (H0000040)").
    expect(r.text).toMatch(/^- H0000040, cardiology · growth$/m);
    expect(r.text).toMatch(/^- Dr\. Test 60 \(H0000060\), cardiology · growth$/m);
  });

  it('shows a hostile HCP name as text in every part: never HTML, Markdown, a terminal control or a new line', async () => {
    const r = renderScorecard(await compileTemplateSource('scorecard', templateSource()), repCard(), { words });
    expect(r.html).not.toContain('<img src=x');
    expect(r.html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(r.text).toMatch(/^- <img src=x onerror=alert\(1\)> \*bold\* \[x\]\(http:\/\/evil\.example\) ␛\[2J=SUM\(A1\)␍␊\| row \| \(H0000020\), cardiology/m);
    expect(r.text).not.toContain('\x1b');
    expect(r.markdown).toContain('\\<img src=x onerror=alert(1)\\> \\*bold\\* \\[x\\](http:\u2060//evil.example)');
    expect(r.markdown).not.toMatch(/\| row \|/);
    // In the attached list the cell starts with "<": not a formula; its line break is kept inside quotes.
    const csv = r.documents[0]!.content.toString('utf8');
    expect(csv).toContain(`"${evil.replace(/"/g, '""')}",H0000020,`);
  });

  it('the email carries the whole territory as a CSV attachment, not inline, beside the inline charts', async () => {
    const r = renderScorecard(await compileTemplateSource('scorecard', templateSource()), repCard(), { words });
    const c = repCard();
    const mail = await simpleParser(await composeEmail(c, r, { from: 'kpiops <kpiops@example.com>' }, new Date('2026-11-02T05:00:00Z')));
    const csv = mail.attachments.filter((a) => a.contentDisposition === 'attachment');
    expect(csv.map((a) => [a.filename, a.contentType])).toEqual([['hcps-DE-T01-2026-10.csv', 'text/csv']]);
    expect(csv[0]!.content.equals(r.documents[0]!.content)).toBe(true);
    // A header and 400 rows, each ended by CRLF: 401 line ends, plus the one inside the hostile name's quoted cell.
    expect(csv[0]!.content.toString('utf8').match(/\r\n/g)).toHaveLength(402);
    expect(mail.attachments.filter((a) => a.contentDisposition === 'inline').every((a) => a.contentType === 'image/png')).toBe(true);
  });

  it('a scorecard without a brief attaches no list', async () => {
    expect(renderScorecard(await compileTemplateSource('scorecard', templateSource()), card()).documents).toEqual([]);
  });

  it('the same scorecard composes to the same bytes, MIME boundaries included, so two outboxes compare with cmp', async () => {
    const r = renderScorecard(await compileTemplateSource('scorecard', templateSource()), repCard(), { words });
    const date = new Date('2026-11-02T05:00:00Z');
    const sender = { from: 'kpiops <kpiops@example.com>' };
    const first = await composeEmail(repCard(), r, sender, date);
    expect((await composeEmail(repCard(), r, sender, date)).equals(first)).toBe(true);
    // A corrected version (revision 2) is another message: its own Message-ID and its own boundaries.
    const revised = (await composeEmail(repCard(), r, sender, date, 2)).toString('latin1');
    const boundary = (eml: string) => /boundary="([^"]+)"/.exec(eml)?.[1];
    expect(boundary(revised)).not.toBe(boundary(first.toString('latin1')));
  });

  it("is written in one pass byte for byte as nodemailer streams the same message (charts, the CSV list, a reply-to, a name to encode)", async () => {
    const templates = await compileTemplateSource('scorecard', templateSource());
    const sender = { from: 'kpiops Scorecards <kpiops@example.com>', replyTo: 'analytics@example.com', listUnsubscribe: 'mailto:unsubscribe@example.com' };
    const date = new Date('2026-11-02T05:00:00Z');
    // A brand manager's scorecard carries a chart; a rep's carries the CSV list.
    const cards = [card(), repCard()];
    const rendered = cards.map((c) => renderScorecard(templates, c, { words }));
    expect(rendered.map((r) => [r.attachments.length > 0, r.documents.length])).toEqual([[true, 0], [false, 1]]);
    for (const [i, c] of cards.entries()) {
      const streamed = await scorecardMail(c, rendered[i]!, sender, date).compile().build();
      expect((await composeEmail(c, rendered[i]!, sender, date)).toString('latin1')).toBe(streamed.toString('latin1'));
      // Composed again with the chart's part already made: the same bytes.
      expect((await composeEmail(c, rendered[i]!, sender, date)).equals(streamed)).toBe(true);
    }
  });
});
