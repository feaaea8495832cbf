import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { duckdb } from '../../src/compile/dialects/index.js';
import { normalize } from '../../src/model/normalize.js';
import { parsePeriod } from '../../src/model/period.js';
import { validateWith } from '../support/demo-project.js';
import { expectGolden, planSql, readableJson } from '../support/golden.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/plan');

describe('the compiled plan of the demo catalog', () => {
  const { files } = validateWith([]);
  const model = normalize({ project: files.project!.spec, channels: files.channels.map((c) => c.spec), kpis: files.kpis.map((k) => k.spec), scorecards: files.scorecards.map((s) => s.spec) });
  const plan = compile(model, duckdb, { period: parsePeriod('2026-10')!, asOf: new Date('2026-11-01T00:00:00Z') });

  it('writes the reviewed SQL, query by query (refresh with UPDATE=1 and read the diff)', () => {
    expectGolden(join(FIXTURES, 'demo-2026-10.duckdb.sql'), planSql(plan, { dims: true, feeds: true }));
  });

  it('gives each KPI the reviewed components and settings (refresh with UPDATE=1 and read the diff)', () => {
    // Periods as their labels: the dates they stand for are tested in test/model/period.test.ts.
    const shape = {
      version: plan.version,
      dialect: plan.dialect,
      period: plan.period.label,
      asOf: plan.asOf,
      kpis: plan.kpis.map(({ period, trend, ...kpi }) => ({ ...kpi, period: period.label, trend: trend.map((p) => p.label) })),
    };
    expectGolden(join(FIXTURES, 'plan-shape.json'), readableJson(shape));
  });

  it('fuses KPIs that read the same table at the same grain into one scan', () => {
    const scans = plan.queries.filter((q) => q.id.startsWith('scan:'));
    // Rx growth reads a year more than Rx share, so it has its own pass.
    expect(scans.map((q) => q.id).sort()).toEqual(['scan:hcps', 'scan:interactions:month:2025-10', 'scan:recommendations:month:2025-10', 'scan:responses:month:2025-10', 'scan:rx:month:2024-09', 'scan:rx:month:2025-09']);
    const kpisOf = (id: string) => [...new Set(plan.queries.find((q) => q.id === id)!.feeds.map((f) => f.split(':')[0]))].sort();
    expect(kpisOf('scan:interactions:month:2025-10')).toEqual(['channel_mix', 'email_ctor', 'email_ctr', 'email_open_rate', 'frequency', 'multichannel_rate', 'reach', 'sample_request_rate']);
    expect(kpisOf('scan:responses:month:2025-10')).toEqual(['ces', 'csat', 'intent_to_prescribe', 'nps']);
    expect(kpisOf('scan:rx:month:2025-09')).toEqual(['nrx_growth', 'trx_share']);
    // The five suggestion ratios are one pass over the suggestions (the lift is derived from two of them).
    expect(kpisOf('scan:recommendations:month:2025-10')).toEqual(['engagement_after_actioned', 'engagement_after_dismissed', 'suggestion_action_rate', 'suggestion_dismiss_rate', 'suggestion_time_to_action']);
  });

  it('binds every value and names only declared tables and columns', () => {
    const declared = new Set(Object.keys(model.project.sources));
    for (const q of plan.queries) {
      for (const [, table] of q.sql.matchAll(/(?:FROM|JOIN) "([^"]+)"/g)) expect(declared).toContain(table);
      expect(q.sql).not.toMatch(/'(?:cardiora|email|opened|delivered|nps)'/); // values are parameters, never text
      const used = new Set([...q.sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
      expect([...used].sort((a, b) => a - b)).toEqual(q.params.map((_p, i) => i + 1));
    }
  });
});
