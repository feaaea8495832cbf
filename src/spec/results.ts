import { Type, type Static } from '@sinclair/typebox';

const Period = Type.Object({
  label: Type.String({ description: 'The period: `2026-10` (month), `2026-W43` (ISO week) or `2026-Q3` (quarter).' }),
  start: Type.String({ format: 'date-time', description: 'First instant of the period (UTC).' }),
  end: Type.String({ format: 'date-time', description: 'First instant after the period (UTC): periods are half-open.' }),
}, { additionalProperties: false, description: 'A reporting period.' });

const Value = Type.Union([
  Type.Number(),
  Type.Null(),
  Type.Record(Type.String(), Type.Number(), { description: 'For share and stage KPIs: each category\'s share (they add up to 1).' }),
], { description: 'The KPI\'s value; null when it is undefined (see `reason`). Percent KPIs are fractions (0.25 = 25%).' });

const Dims = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]), {
  description: 'The slice: dimension → value. An empty object is the total; a dimension set to null is the slice of rows where it is missing.',
});

const TrendPoint = Type.Object({
  period: Type.String({ description: 'Period label.' }),
  value: Value,
  n: Type.Number({ description: 'Support count of this period\'s value.' }),
  reason: Type.Optional(Type.String({ description: 'Why the value is null.' })),
  provisional: Type.Optional(Type.Literal(true, { description: 'Later funnel steps may still arrive: the window runs past the snapshot\'s as-of date.' })),
}, { additionalProperties: false });

const Slice = Type.Object({
  dims: Dims,
  value: Value,
  reason: Type.Optional(Type.String({ description: 'Why the value is null, e.g. "the denominator is 0".' })),
  n: Type.Number({ description: 'Support count: the HCPs, touches, respondents or goals behind the value (the denominator of a ratio).' }),
  provisional: Type.Optional(Type.Literal(true, { description: 'The reported period is provisional (see trend points).' })),
  components: Type.Record(Type.String(), Type.Unknown(), {
    description: 'What the value is made of, by kind: numerator/denominator; reached/population; respondents, distribution and promoters/passives/detractors; funnel steps with counts and drop-off; category touches; stage counts and moved_up …',
  }),
  trend: Type.Array(TrendPoint, { description: 'The reported period and the periods before it, oldest first: 12 before it, and 27 for goal-attainment KPIs (`attainment`) reported by month, whose scorecard projects the value to the end of the goals\' quarter from 9 past quarters read at the same month (an 80% range). A scorecard shows the last 13 points of every trend.' }),
  benchmark_target: Type.Optional(Type.Object({
    value: Type.Union([Type.Number(), Type.Null()], { description: 'The target: the percentile of the competitors\' values (null: see `reason`).' }),
    percentile: Type.Number({ description: 'The percentile asked for; 100 = the best competitor in the KPI\'s direction.' }),
    study: Type.Optional(Type.String({ description: 'The benchmark study (period) used: the latest starting no later than the reported period.' })),
    competitors: Type.Number({ description: 'How many competitors the study has for this slice.' }),
    reason: Type.Optional(Type.String({ description: 'Why there is no benchmark target for this slice.' })),
  }, { additionalProperties: false, description: 'For a KPI whose target is relative to competitor benchmarks: that target for the reported period.' })),
}, { additionalProperties: false });

const KpiResult = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String({ description: 'The measure kind (reach, ratio, funnel …).' }),
  unit: Type.String(),
  direction: Type.Union([Type.Literal('higher'), Type.Literal('lower')]),
  indicator: Type.Union([Type.Literal('leading'), Type.Literal('lagging')]),
  stages: Type.Array(Type.String()),
  definition_hash: Type.String({ description: 'SHA-256 of everything that decides the numbers (measure, dimensions, the channel definitions and source roles it reads); a change breaks the comparability of the trend.' }),
  period: Period,
  stale: Type.Optional(Type.Object({
    requested: Type.String({ description: 'The period asked for.' }),
    source: Type.String({ description: 'The lagging source that has not covered it yet.' }),
    lag: Type.String({ description: 'The source\'s declared lag (ISO-8601 duration).' }),
  }, { additionalProperties: false, description: 'Present when the KPI reports an earlier period than requested because a lagging source has not covered it yet.' })),
  slices: Type.Array(Slice),
}, { additionalProperties: false });

const Nullable = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });

const Explained = Type.Object({
  scorecard: Type.String({ description: 'The scorecard that opts in with `explain`.' }),
  slice: Dims,
  kpi: Type.String(),
  period: Type.String({ description: 'The period the KPI reports (a lagging source may hold it back).' }),
  compared_to: Type.String({ description: 'The period before it.' }),
  value: Type.Number(),
  previous: Type.Number(),
  change: Type.Number({ description: '`value` − `previous`.' }),
  by: Type.Array(Type.Object({
    dimension: Type.String(),
    additive: Type.Boolean({ description: 'Whether the slices partition the slice, so the contributions add up to the change (within 1e-9). When not, each slice\'s own change is its `total` and no rate or mix is given.' }),
    residual: Type.Number({ description: 'The change the contributions do not explain: floating-point dust when additive.' }),
    reason: Type.Optional(Type.String({ description: 'Why the slices do not add up, when they do not.' })),
    contributions: Type.Array(Type.Object({
      slice: Type.Union([Type.String(), Type.Null()], { description: 'The dimension\'s value; null is the slice of rows where it is missing.' }),
      rate_effect: Nullable('w0 × (r1 − r0): the slice\'s own change, at its earlier weight.'),
      mix_effect: Nullable('(w1 − w0) × r0: the slice\'s change of weight, at its earlier value.'),
      interaction: Nullable('(w1 − w0) × (r1 − r0).'),
      total: Nullable('The three summed (additive), or the slice\'s own change (not additive).'),
    }, { additionalProperties: false }), { description: 'Largest first.' }),
  }, { additionalProperties: false })),
}, { additionalProperties: false, description: 'One KPI\'s move in one recipient slice of a scorecard, split as `kpiops explain --format json` splits a total (docs/explain.md).' });

export const ResultsSchema = Type.Object({
  version: Type.Literal('results/v1'),
  generated_by: Type.String({ description: 'The kpiops version that computed the results.' }),
  config_hash: Type.String({ description: 'SHA-256 over the project\'s KPI, channel and project files.' }),
  snapshot: Type.Object({
    id: Type.String(),
    as_of: Type.String({ format: 'date-time' }),
    checksum: Type.String({ description: 'SHA-256 of the snapshot manifest (which holds every table\'s SHA-256); on a live warehouse, of each table\'s row count and latest time.' }),
    coverage: Type.Optional(Type.Record(Type.String(), Type.String({ format: 'date' }), { description: 'Each table\'s coverage end from the manifest: the last day its data is complete for.' })),
    coverage_start: Type.Optional(Type.Record(Type.String(), Type.String({ format: 'date' }), { description: 'Each table\'s coverage start from the manifest: the first day its data is complete from.' })),
  }, { additionalProperties: false }),
  period: Type.Object({
    label: Type.String({ description: 'The period requested.' }),
    grain: Type.Union([Type.Literal('week'), Type.Literal('month'), Type.Literal('quarter'), Type.Literal('rolling_7d'), Type.Literal('rolling_28d')], {
      description: 'A calendar period, or a window of the last 7 or 28 complete days (labelled `2026-11-05..2026-12-02`, first and last day included), as alerts judged daily read.',
    }),
    start: Type.String({ format: 'date-time' }),
    end: Type.String({ format: 'date-time' }),
  }, { additionalProperties: false, description: 'The period requested (KPIs on lagging sources may report an earlier one).' }),
  kpis: Type.Array(KpiResult),
  blocked: Type.Array(Type.Object({
    kpi: Type.String(),
    table: Type.String({ description: 'The table that failed its load checks.' }),
  }, { additionalProperties: false }), { description: 'KPIs not computed because a table they read failed its checks.' }),
  explained: Type.Optional(Type.Array(Explained, {
    description: 'What moved each KPI, for the scorecards that opt in with `explain` (at the results\' grain): per recipient slice and KPI whose value is a ratio of its support, the change from the period before split by each of the scorecard\'s `explain.by` dimensions, every slice unfolded. Absent when no scorecard opts in.',
  })),
}, {
  $id: 'https://kpiops.dev/schemas/results.schema.json',
  title: 'kpiops results (results/v1)',
  description: 'What `kpiops eval` writes: every KPI\'s value per slice for one period, with support counts, components and trends.',
});
export type Results = Static<typeof ResultsSchema>;
export type KpiResultSpec = Static<typeof KpiResult>;
