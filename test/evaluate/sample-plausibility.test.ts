import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { duckdb } from '../../src/compile/dialects/index.js';
import { runPlan } from '../../src/engine/run-plan.js';
import { evaluate, type KpiValues } from '../../src/evaluate/evaluate.js';
import { normalize } from '../../src/model/normalize.js';
import { parsePeriod } from '../../src/model/period.js';
import { validateWith } from '../support/demo-project.js';
import { cachedSample, load, removeTempDirs } from '../support/snapshots.js';
import { afterAll } from 'vitest';

/** The reference catalog on a generated sample (1,000 HCPs, 14 months, so last year's Rx exists): every KPI has a sensible value. */
const RANGES: Record<string, [number, number]> = {
  reach: [0.5, 1], frequency: [1, 5], multichannel_rate: [0.2, 0.9], sample_request_rate: [0.02, 0.3], over_contact_rate: [0, 0.3],
  email_open_rate: [0.1, 0.35], email_ctr: [0.005, 0.08], email_ctor: [0.03, 0.4],
  webinar_attendance_rate: [0.2, 0.7], content_download_rate: [0.03, 0.5], cross_channel_conversion: [0.02, 0.6], content_utilization: [0.05, 0.9],
  nps: [-60, 60], csat: [30, 95], ces: [1, 7], intent_to_prescribe: [0, 10],
  cei: [10, 100], goal_attainment: [0, 1], reengagement_rate: [0.02, 0.9],
  trx_share: [0.02, 0.5], nrx_growth: [-0.5, 0.5],
  suggestion_action_rate: [0.2, 0.8], suggestion_dismiss_rate: [0.1, 0.5], suggestion_time_to_action: [0.5, 7],
  engagement_after_actioned: [0.3, 0.95], engagement_after_dismissed: [0.2, 0.9], nba_engagement_lift: [0, 0.4],
};

const { files } = validateWith([]);
let values: Map<string, KpiValues>;
beforeAll(async () => {
  const dir = await cachedSample({ hcps: 1000, months: 14, seed: 11, format: 'parquet', end: '2026-10' }, 'kpiops-plausible-');
  const validated = validateWith([]);
  const loaded = await load(validated, dir);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const model = normalize({ project: files.project!.spec, channels: files.channels.map((c) => c.spec), kpis: files.kpis.map((k) => k.spec), scorecards: files.scorecards.map((s) => s.spec) });
  const plan = compile(model, duckdb, { period: parsePeriod('2026-10')!, asOf: new Date('2026-11-01T00:00:00Z') });
  const { rows } = await runPlan(loaded.db, plan);
  values = new Map(evaluate(plan, rows).map((v) => [v.plan.id, v]));
  loaded.db.close();
}, 60_000);
afterAll(removeTempDirs);

const total = (id: string) => values.get(id)!.slices.find((s) => Object.keys(s.dims).length === 0)!;

describe('the reference catalog on the sample snapshot', () => {
  it('has all 30 reference KPIs under their ids', () => {
    expect([...values.keys()].sort()).toEqual([...Object.keys(RANGES), 'channel_mix', 'nps_gap_to_leader', 'stage_distribution'].sort());
  });

  it.each(Object.entries(RANGES))('%s has a plausible value for the whole population', (id, [low, high]) => {
    const { value, n } = total(id);
    expect(typeof value).toBe('number');
    expect(value as number).toBeGreaterThanOrEqual(low);
    expect(value as number).toBeLessThanOrEqual(high);
    expect(n).toBeGreaterThan(0);
  });

  it('channel mix and stage distribution are shares adding up to 1', () => {
    for (const id of ['channel_mix', 'stage_distribution']) {
      const shares = Object.values(total(id).value as Record<string, number>);
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it('the NPS gap to the leader is computed per brand', () => {
    const brands = values.get('nps_gap_to_leader')!.slices.filter((s) => 'brand' in s.dims);
    expect(brands).toHaveLength(3);
    for (const b of brands) expect(b.value as number).toBeLessThan(100);
  });

  it('Rx KPIs report September, the last month Rx covers as of 1 November', () => {
    expect(values.get('trx_share')!.plan.stale).toEqual({ requested: '2026-10', source: 'rx', lag: 'P1M' });
    expect(values.get('trx_share')!.plan.period.label).toBe('2026-09');
  });
});
