import { normalize } from '../../src/model/normalize.js';
import { parsePeriod, trailing } from '../../src/model/period.js';
import { buildScorecards } from '../../src/scorecard/build.js';
import type { ScorecardContext } from '../../src/scorecard/context.js';
import type { KpiRow, RecipientScorecard } from '../../src/scorecard/view.js';
import type { Dims } from '../../src/scorecard/target.js';
import type { KpiSpec } from '../../src/spec/kpi.js';
import type { ProjectSpec } from '../../src/spec/project.js';
import type { KpiResultSpec, Results } from '../../src/spec/results.js';
import type { ScorecardSpec } from '../../src/spec/scorecard.js';
import { demoChannels, demoKpis, demoProject } from './engine-fixture.js';

// Hand-made results/v1 documents and the scorecards built from them: no engine, every number
// a test gives is written by hand. Reported period 2026-10 unless a test says otherwise.

export const CAL = { fiscalYearStart: 1 };
export type Value = number | Record<string, number> | null;
export type SliceSpec = KpiResultSpec['slices'][number];

/** A KPI of the demo catalog, as written. */
export const demo = (id: string): KpiSpec => {
  const k = demoKpis.find((x) => x.id === id);
  if (!k) throw new Error(`no ${id} in the demo catalog`);
  return k;
};
/** A demo KPI with some fields replaced (`undefined` removes one). */
export const kpi = (id: string, patch: Partial<KpiSpec> = {}): KpiSpec => ({ ...demo(id), ...patch });

export const iso = (label: string) => {
  const p = parsePeriod(label, CAL)!;
  return { label: p.label, start: p.start.toISOString(), end: p.end.toISOString(), grain: p.grain };
};
/** `count` period labels ending with `last`, oldest first. */
export const labels = (last: string, count: number) => trailing(parsePeriod(last, CAL)!, count - 1, CAL).map((p) => p.label);

export interface SliceOptions { last?: string; n?: number | number[]; reason?: string; components?: Record<string, unknown> }
/** A slice whose trend holds these values (and support counts `n`, 500 by default), oldest first; the last one is the reported period's value. */
export function slice(dims: Dims, values: Value[], opts: SliceOptions = {}): SliceSpec {
  const periods = labels(opts.last ?? '2026-10', values.length);
  const nAt = (i: number) => (Array.isArray(opts.n) ? opts.n[i]! : opts.n ?? 500);
  return {
    dims, value: values.at(-1) ?? null, n: nAt(values.length - 1), components: opts.components ?? {},
    ...(opts.reason ? { reason: opts.reason } : {}),
    trend: values.map((value, i) => ({ period: periods[i]!, value, n: nAt(i) })),
  };
}

export function result(spec: KpiSpec, slices: SliceSpec[], extra: { period?: string; stale?: KpiResultSpec['stale'] } = {}): KpiResultSpec {
  const { grain: _grain, ...period } = iso(extra.period ?? '2026-10');
  return {
    id: spec.id, name: spec.name, kind: spec.measure.kind, unit: spec.unit, direction: spec.direction, indicator: spec.indicator,
    stages: spec.stages, definition_hash: 'a'.repeat(64), period, slices, ...(extra.stale ? { stale: extra.stale } : {}),
  };
}

export function resultsDoc(kpis: KpiResultSpec[], period = '2026-10', coverage?: Record<string, string>): Results {
  return {
    version: 'results/v1', generated_by: 'kpiops test', config_hash: 'c'.repeat(64),
    snapshot: { id: 'demo-2026-11-01', as_of: '2026-11-01T00:00:00.000Z', checksum: 'd'.repeat(64), ...(coverage ? { coverage } : {}) },
    period: iso(period), kpis, blocked: [],
  };
}

/** The one recipient of `scorecard` unless a test gives an audience: the cardiora brand lead. */
export const CLARA = { name: 'Clara Weiss', email: 'clara.weiss@example.com', filter: { brand: 'cardiora' } };
export function scorecard(kpis: ScorecardSpec['kpis'], patch: Partial<ScorecardSpec> = {}): ScorecardSpec {
  return { version: 'kpiops/v1', id: 'test_card', title: 'Test scorecard', grain: 'month', kpis, slice: ['brand'], audience: [CLARA], ...patch };
}

/**
 * The scorecard context of these KPIs, as written, from these results: modelled as `kpiops run`
 * models them, with the rest of the demo catalog (the KPIs a derived one is computed from), on
 * the demo project or the written project given.
 */
export function contextOf(specs: KpiSpec[], results: Results, extra: Partial<ScorecardContext> = {}, project: ProjectSpec = demoProject): ScorecardContext {
  const given = new Set(specs.map((k) => k.id));
  const model = normalize({ project, channels: demoChannels, kpis: [...demoKpis.filter((k) => !given.has(k.id)), ...specs] });
  const byId = new Map(model.kpis.map((k) => [k.id, k]));
  return { project: model, kpis: new Map(specs.map((k) => [k.id, byId.get(k.id)!])), results, ...extra };
}

export interface BuildOptions { card?: Partial<ScorecardSpec>; period?: string; ctx?: Partial<ScorecardContext>; coverage?: Record<string, string>; project?: ProjectSpec }
/** Every recipient's scorecard of these KPIs, on the demo project (or the written project given), from these results. */
export function build(specs: KpiSpec[], kpiResults: KpiResultSpec[], opts: BuildOptions = {}): RecipientScorecard[] {
  const ctx = contextOf(specs, resultsDoc(kpiResults, opts.period, opts.coverage), opts.ctx, opts.project);
  return buildScorecards(ctx, scorecard(specs.map((k) => k.id), opts.card));
}

export const rowsOf = (card: RecipientScorecard) => card.groups.flatMap((g) => g.rows);
export const rowIn = (card: RecipientScorecard, id: string): KpiRow => {
  const r = rowsOf(card).find((x) => x.id === id);
  if (!r) throw new Error(`no row ${id}`);
  return r;
};

/** Clara's (brand cardiora) row of one KPI whose cardiora slice has this trend. */
export function rowOf(spec: KpiSpec, values: Value[], opts: SliceOptions & { stale?: KpiResultSpec['stale']; period?: string; ctx?: Partial<ScorecardContext>; project?: ProjectSpec } = {}): KpiRow {
  const reported = opts.last ?? '2026-10';
  const r = result(spec, [slice({ brand: 'cardiora' }, values, opts)], { period: reported, ...(opts.stale ? { stale: opts.stale } : {}) });
  const grain = parsePeriod(reported, CAL)!.grain;
  const [card] = build([spec], [r], { period: opts.period ?? reported, card: { grain }, ...(opts.ctx ? { ctx: opts.ctx } : {}), ...(opts.project ? { project: opts.project } : {}) });
  return rowIn(card!, spec.id);
}
