import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileTemplates, renderScorecard, TemplateError, BUILT_IN_TEMPLATES } from '../../src/render/render.js';
import { buildScorecards } from '../../src/scorecard/model.js';
import type { KpiSpec } from '../../src/spec/kpi.js';
import type { Results } from '../../src/spec/results.js';
import type { ScorecardSpec } from '../../src/spec/scorecard.js';
import { demoKpis, demoProject } from '../support/engine-fixture.js';
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
const card = () => buildScorecards({ project: demoProject, calendar: { fiscalYearStart: 1 }, kpis: new Map([['reach', reach]]), results }, scorecard)[0]!;

describe('rendering', () => {
  it('escapes every data value: names and titles cannot become HTML, links or template code', async () => {
    const r = renderScorecard(await compileTemplates('scorecard'), card());
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
    const r = renderScorecard(await compileTemplates('scorecard'), card());
    // 50.0% in 2025-10, +1 pp a month, 62.0% in 2026-10.
    expect(r.html).toContain(`alt="Reach ${hostile.replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/=/g, '&#x3D;')} trend, 2025-10 to 2026-10: 50.0% to 62.0%, up 12.0 pp; high 62.0% (2026-10), low 50.0% (2025-10)."`);
    expect(r.attachments).toHaveLength(1);
    expect(r.attachments[0]!.content.subarray(1, 4).toString()).toBe('PNG');
  });

  it('uses a project\'s own partial where it has one, the built-in files elsewhere', async () => {
    const dir = tempDir('kpiops-templates-');
    mkdirSync(join(dir, 'partials'), { recursive: true });
    writeFileSync(join(dir, 'partials', 'footer.mjml'), '<mj-section><mj-column><mj-text>Questions? Ask the Demo Pharma analytics desk.</mj-text></mj-column></mj-section>');
    const t = await compileTemplates('scorecard', dir);
    expect(t.files).toContain(join(dir, 'partials', 'footer.mjml'));
    expect(t.files).toContain(join(BUILT_IN_TEMPLATES, 'scorecard.mjml'));
    const r = renderScorecard(t, card());
    expect(r.html).toContain('Questions? Ask the Demo Pharma analytics desk.');
    expect(r.html).not.toContain('sent by kpiops');
    expect(r.html).toContain('At a glance');
  });

  it('names the file and line of a broken template', async () => {
    const missing = tempDir('kpiops-templates-');
    writeFileSync(join(missing, 'scorecard.mjml'), '<mjml>\n  <mj-body>\n    {{> sidebar}}\n  </mj-body>\n</mjml>\n');
    await expect(compileTemplates('scorecard', missing)).rejects.toThrow(new TemplateError(join(missing, 'scorecard.mjml'), `the partial "sidebar" is not in ${join(missing, 'partials')} or ${join(BUILT_IN_TEMPLATES, 'partials')}`, 3));

    const unclosed = tempDir('kpiops-templates-');
    cpSync(BUILT_IN_TEMPLATES, unclosed, { recursive: true });
    writeFileSync(join(unclosed, 'scorecard.txt.hbs'), 'Hello {{recipient.name}}\n{{#each groups}}\n{{title}}\n');
    await expect(compileTemplates('scorecard', unclosed)).rejects.toThrow(/scorecard\.txt\.hbs(:\d+)?: Parse error|scorecard\.txt\.hbs(:\d+)?: .*each/);

    const badMjml = tempDir('kpiops-templates-');
    writeFileSync(join(badMjml, 'scorecard.mjml'), '<mjml>\n  <mj-body>\n    <mj-section>\n      <mj-text>outside a column</mj-text>\n    </mj-section>\n  </mj-body>\n</mjml>\n');
    await expect(compileTemplates('scorecard', badMjml)).rejects.toThrow(/scorecard\.mjml:4: mj-text cannot be used inside mj-section/);
  });
});

describe('a large territory', () => {
  it('keeps the rep brief under 90 KB: HCPs with something to follow up in full, the others by id', async () => {
    const hcps = Array.from({ length: 400 }, (_, i) => ({
      hcp_id: `H${String(i).padStart(7, '0')}`, territory: 'DE-T01', segment: 'growth', specialty: 'cardiology', channels: ['rep_visit', 'email', 'webinar'], engaged_touches: 5,
      last_touch: { at: '2026-10-20T10:00:00.000Z', channel: 'rep_visit', event: 'detailed' },
      open_items: i % 40 === 0 ? [{ kind: 'sample_requested', at: '2026-10-12T10:00:00.000Z', text: 'Sample request of 12 Oct 2026, not followed up yet' }] : [],
    }));
    const rep: ScorecardSpec = { ...scorecard, id: 'rep_weekly', slice: ['territory'], brief: { look_back_months: 6 }, audience: [{ name: 'Jonas Keller', email: 'jonas@example.com', filter: { territory: 'DE-T01' } }] };
    const card = buildScorecards({ project: demoProject, calendar: { fiscalYearStart: 1 }, kpis: new Map([['reach', reach]]), results, briefs: new Map([['DE-T01', hcps]]) }, rep)[0]!;
    const r = renderScorecard(await compileTemplates('scorecard'), card);
    expect(Buffer.byteLength(r.html)).toBeLessThan(90 * 1024);
    // 400 HCPs, one in 40 with an open sample request: 10 in full, 390 by id; every one of them is in the email.
    expect(r.html.match(/Sample request of 12 Oct 2026/g)).toHaveLength(10);
    expect(r.html).toContain('Nothing to follow up for the other 390: H0000001, H0000002');
    for (const h of hcps) expect(r.html).toContain(h.hcp_id);
    expect(r.text).toContain('Nothing to follow up for the other 390: H0000001');
  });
});
