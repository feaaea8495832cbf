import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { duckdb } from '../../src/compile/dialects/index.js';
import { normalize } from '../../src/model/normalize.js';
import { parsePeriod } from '../../src/model/period.js';
import type { KpiSpec } from '../../src/spec/kpi.js';
import { validateWith } from '../support/demo-project.js';
import { demoKpis, demoProject, evaluateFixture, slice } from '../support/engine-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'kpiops-injection-'));
const LEAK = join(dir, 'leak.csv');
const CRAFTED = `x'); COPY interactions TO '${LEAK}'; --`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const openRate = demoKpis.find((k) => k.id === 'email_open_rate')!;

describe('YAML crafted to inject SQL or reach files', () => {
  it('a filter value written as SQL is bound as data: it matches nothing and writes no file', async () => {
    const crafted: KpiSpec = {
      ...openRate, id: 'crafted',
      measure: { kind: 'ratio', numerator: { source: 'interactions', count: 'touches', where: { campaign_id: CRAFTED } }, denominator: { source: 'interactions', count: 'touches' } },
    };
    const model = normalize({ project: demoProject, channels: [], kpis: [crafted] });
    const plan = compile(model, duckdb, { period: parsePeriod('2026-10')! });
    expect(plan.queries.map((q) => q.sql).join('\n')).not.toContain('COPY');
    expect(plan.queries.flatMap((q) => q.params)).toContain(CRAFTED);
    const interactions = [
      { event_id: 'e1', message_id: 'M1', hcp_id: 'H1', occurred_at: '2026-10-01 09:00:00', channel: 'email', event: 'delivered', campaign_id: 'C1' },
      { event_id: 'e2', message_id: 'M2', hcp_id: 'H1', occurred_at: '2026-10-02 09:00:00', channel: 'email', event: 'delivered', campaign_id: CRAFTED },
    ];
    const v = await evaluateFixture({ hcps: [{ hcp_id: 'H1' }], interactions }, { period: '2026-10', asOf: '2026-11-01T00:00:00Z', kpis: [crafted] });
    expect(slice(v, 'crafted')).toMatchObject({ value: 1 / 2, components: { numerator: 1, denominator: 2 } }); // the crafted text is just a campaign id
    expect(existsSync(LEAK)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ['a dimension', 'dimensions: [brand, country, segment]', "dimensions: [brand, \"read_csv('secrets.csv')\"]"],
    ['a filter field', 'where: {channel: email, event: delivered}', "where: {channel: email, \"read_csv('secrets.csv')\": x}"],
    ['a summed column', 'count: touches\n    where: {channel: email, event: delivered}', "sum: \"read_csv('secrets.csv')\"\n    where: {channel: email, event: delivered}"],
  ])('%s named read_csv(\'secrets.csv\') is rejected at validation', (_what, from, to) => {
    const result = validateWith([{ file: 'kpis/email/email_open_rate.yaml', from, to }]);
    const errors = result.diagnostics.filter((d) => d.severity === 'error' && d.file === 'kpis/email/email_open_rate.yaml');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((d) => d.message).join('\n')).toMatch(/read_csv|pattern|must match|unknown|not a column/i);
  });
});
