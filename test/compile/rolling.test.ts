import { Parser } from 'node-sql-parser';
import { parse } from 'sql-parser-cst';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { DIALECTS } from '../../src/compile/dialects/index.js';
import { RollingRefusedError, rollingRefusals } from '../../src/compile/rolling.js';
import type { KpiModel } from '../../src/model/kpi.js';
import { normalize } from '../../src/model/normalize.js';
import { rollingPeriod } from '../../src/model/period.js';
import { validateWith } from '../support/demo-project.js';

const { files } = validateWith([]);
const all = normalize({ project: files.project!.spec, channels: files.channels.map((c) => c.spec), kpis: files.kpis.map((k) => k.spec), scorecards: files.scorecards.map((s) => s.spec) });
const refused = rollingRefusals(all.kpis);
const model = { ...all, kpis: all.kpis.filter((k) => !refused.has(k.id)) };
const D = new Date('2026-11-01T00:00:00Z');
const week = rollingPeriod(D, 7);

describe('rolling windows in the compiler', () => {
  it('refuses the kinds cut by the calendar, each with its reason, and only those', () => {
    expect(Object.fromEntries([...refused].map(([id, reason]) => [id, reason.split(' ').slice(0, 3).join(' ')]))).toEqual({
      cei: 'the engagement index', stage_distribution: 'journey stages are', goal_attainment: 'goal attainment counts',
      nps_gap_to_leader: 'competitor benchmarks are', over_contact_rate: 'over-contact is counted',
    });
    expect(() => compile(all, DIALECTS.duckdb, { period: week, asOf: D })).toThrow(RollingRefusedError);
    expect(() => compile(all, DIALECTS.duckdb, { period: week, asOf: D })).toThrow(/over_contact_rate: over-contact is counted in calendar weeks or months/);
  });

  it('refuses a KPI computed from a refused one, naming it', () => {
    const kpi = (id: string, kind: string, dependsOn: string[] = []) => ({ id, measure: { kind }, dependsOn }) as unknown as KpiModel;
    const out = rollingRefusals([kpi('cei', 'index'), kpi('reach', 'reach'), kpi('mix', 'derived', ['reach', 'cei']), kpi('mix2', 'derived', ['mix'])]);
    expect([...out.keys()]).toEqual(['cei', 'mix', 'mix2']);
    expect(out.get('mix')).toMatch(/^it is computed from cei, which cannot be: the engagement index/);
    expect(out.get('mix2')).toMatch(/^it is computed from mix, which cannot be: it is computed from cei/);
  });

  it.each(Object.keys(DIALECTS) as (keyof typeof DIALECTS)[])('cuts rows into windows with a CASE over bound boundaries in %s, no truncation', (name) => {
    const plan = compile(model, DIALECTS[name], { period: week, asOf: D });
    const scan = plan.queries.find((q) => q.id === 'scan:interactions:rolling_7d:2026-08-02..2026-08-08')!;
    expect(scan.sql).not.toMatch(/date_trunc|DATE_TRUNC|TIMESTAMP_TRUNC/);
    // 13 windows back to back share 14 boundaries, each bound once: 2026-08-02 … 2026-11-01.
    const bounds = scan.params.filter((p) => typeof p === 'string' && /^2026-(08|09|10|11)-\d\dT00:00:00.000Z$/.test(p));
    expect(bounds).toContain('2026-08-02T00:00:00.000Z');
    expect(scan.sql.match(/ THEN /g)!.length).toBeGreaterThanOrEqual(13);
    expect(plan.kpis.find((k) => k.id === 'reach')!.trend.map((t) => t.label)).toHaveLength(13);
  });

  it('writes Snowflake and BigQuery SQL their parsers read', () => {
    for (const q of compile(model, DIALECTS.snowflake, { period: week, asOf: D }).queries) new Parser().astify(q.sql, { database: 'snowflake' });
    for (const q of compile(model, DIALECTS.bigquery, { period: week, asOf: D }).queries) parse(q.sql, { dialect: 'bigquery', paramTypes: ['@name'] });
  });

  it('reports the window a lagging source covers, flagged stale: complete days only', () => {
    const plan = compile(model, DIALECTS.duckdb, { period: week, asOf: D });
    // rx arrives a month late (lag P1M): as of 1 November it is complete to 1 October, so the window ends there.
    const trx = plan.kpis.find((k) => k.id === 'trx_share')!;
    expect(trx.period.label).toBe('2026-09-24..2026-09-30');
    expect(trx.stale).toEqual({ requested: '2026-10-25..2026-10-31', source: 'rx', lag: 'P1M' });
    expect(plan.kpis.find((k) => k.id === 'reach')!.stale).toBeUndefined();
  });

  it('compares growth with the window 364 days earlier', () => {
    const plan = compile(model, DIALECTS.duckdb, { period: week, asOf: D });
    const growth = plan.kpis.find((k) => k.id === 'nrx_growth')!;
    if (growth.kind !== 'growth') throw new Error('nrx_growth is a growth KPI');
    // Its own window is rx's stale one, 2026-09-24..2026-09-30; 364 days before is 2025-09-25..2025-10-01.
    expect(growth.settings.comparison['2026-09-24..2026-09-30']!.label).toBe('2025-09-25..2025-10-01');
  });
});
