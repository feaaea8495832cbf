import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { closed, Duration, Id, Literals } from './common.js';
import { Where } from './filter.js';

const SourceRef = Id('The source table this measure reads (declared in `kpiops.yaml`).', ['interactions']);
const ColumnRef = (description: string, examples: string[]) => Id(description, examples);
const Population = Where('Which HCPs are counted (columns of the HCP table), e.g. `{target: true}` for target HCPs. Default: all HCPs.');

const kind = <K extends string>(k: K, description: string) => Type.Literal(k, { description });

export const Aggregate = Type.Object(
  {
    source: SourceRef,
    count: Type.Optional(Literals(['rows', 'touches', 'entities'], {
      description: '`touches`: distinct touches (e.g. email sends); `entities`: distinct HCPs; `rows`: rows (items, for catalog tables). Give either `count` or `sum`.',
    })),
    sum: Type.Optional(ColumnRef('Add up this numeric column instead of counting. Give either `count`, `sum` or `sum_days`.', ['trx'])),
    sum_days: Type.Optional(Type.Object({
      from: ColumnRef('The date or timestamp column the span starts at.', ['posted_at']),
      to: ColumnRef('The date or timestamp column the span ends at.', ['outcome_at']),
    }, { ...closed, description: 'Add up the days from one date or timestamp column to another, per row (rows missing either are left out): over a count of the same rows, the mean time taken. Give either `count`, `sum` or `sum_days`.' })),
    where: Type.Optional(Where('Only rows matching this filter.')),
    engaged: Type.Optional(Type.Boolean({ description: 'Only events that count as engagement for their channel (`engagement_events` in `channels/`).' })),
    min_channels: Type.Optional(Type.Integer({ minimum: 2, description: 'With `count: entities`: only HCPs engaged through at least this many distinct channels.' })),
    followed_by: Type.Optional(Type.Object({
      source: SourceRef,
      after: ColumnRef('The date or timestamp column of this aggregate\'s own rows the window starts at (just after it).', ['outcome_at']),
      within: Duration('How long after `after` the other row may come (ISO-8601).', ['P14D']),
      where: Type.Optional(Where('Only rows of that source matching this filter.')),
      engaged: Type.Optional(Type.Boolean({ description: 'Only rows of that source that count as engagement for their channel.' })),
    }, { ...closed, description: 'Only rows whose HCP has a row in another source (e.g. an engagement event) after the row\'s `after` time and within `within` of it. A period whose window the data does not cover yet is provisional.' })),
    across: Type.Optional(Type.Array(ColumnRef('A dimension of the KPI.', ['reason']), {
      uniqueItems: true, minItems: 1,
      description: 'Dimensions this count is not split by: a slice by one of them divides by the count over all its values (e.g. each dismiss reason\'s share of all resolved suggestions, adding up to the dismiss rate).',
    })),
    used_in: Type.Optional(Type.Object({
      source: SourceRef,
      where: Type.Optional(Where('Only referencing rows matching this filter.')),
    }, { ...closed, description: 'For catalog tables: only items referenced by at least one row of this source in the period (e.g. content used in a touch).' })),
  },
  {
    ...closed,
    description: 'A count or sum over one source in the period.',
    examples: [{ source: 'interactions', count: 'touches', where: { channel: 'email', event: 'delivered' } }],
  },
);
export type AggregateSpec = Static<typeof Aggregate>;

const measure = <K extends string, P extends TProperties>(k: K, description: string, props: P, example: object) =>
  Type.Object({ kind: kind(k, description), ...props }, { ...closed, description, examples: [{ kind: k, ...example }] });

export const ReachMeasure = measure('reach', 'HCPs with at least one engagement event in the period ÷ HCPs in the population.', {
  source: SourceRef,
  population: Type.Optional(Population),
  where: Type.Optional(Where('Only engagement events matching this filter count (e.g. one brand).')),
}, { source: 'interactions', population: { target: true } });

export const RatioMeasure = measure('ratio', 'One count or sum divided by another.', {
  numerator: Aggregate,
  denominator: Aggregate,
}, { numerator: { source: 'interactions', count: 'touches', where: { event: 'clicked' } }, denominator: { source: 'interactions', count: 'touches', where: { event: 'delivered' } } });

export const FunnelStep = Type.Object({
  name: Id('Step name shown with its count and drop-off.', ['registered']),
  where: Where('Events that complete this step.'),
}, { ...closed, description: 'One funnel step.' });

export const FunnelMeasure = measure('funnel', 'Share of those who take the first step that go on to take the last, in order, within a window; reports each step\'s count and drop-off.', {
  source: SourceRef,
  per: Type.Optional(ColumnRef('Follow each (HCP, this column) pair separately, e.g. `message_id` for one webinar or `content_id` for one document. Default: each HCP.', ['message_id'])),
  window: Type.Optional(Duration('Time allowed from the first step to the last (ISO-8601, default P30D). Steps after the period end still count; a window the data does not cover yet is provisional.', ['P30D', 'P14D'])),
  steps: Type.Array(FunnelStep, { minItems: 2, description: 'The steps in order.' }),
}, { source: 'interactions', per: 'message_id', steps: [{ name: 'registered', where: { event: 'registered' } }, { name: 'attended', where: { event: 'attended' } }] });

export const ScoreMeasure = measure('score', 'A survey score: NPS, top-box share or mean, with its answer distribution and respondent count.', {
  source: SourceRef,
  where: Type.Optional(Where('Which responses (e.g. `{survey: nps}`).')),
  column: ColumnRef('The score column.', ['score']),
  method: Literals(['nps', 'top_box', 'mean'], {
    description: '`nps`: % promoters (9–10) − % detractors (0–6) on a 0–10 scale; `top_box`: % of answers in the top `top` boxes; `mean`: the average answer.',
  }),
  top: Type.Optional(Type.Integer({ minimum: 1, description: 'With `method: top_box`: how many of the highest answers count (2 = top-2-box).' })),
}, { source: 'responses', where: { survey: 'nps' }, column: 'score', method: 'nps' });

const Weight = (what: string) => Type.Number({ minimum: 0, maximum: 1, description: `Weight of ${what} in the index.` });
export const IndexMeasure = measure('index', 'Customer engagement index per HCP over a trailing window: breadth (channels), depth (weighted touches) and consistency (active months), 0–100; the slice value is the mean.', {
  source: SourceRef,
  population: Type.Optional(Population),
  trailing_months: Type.Optional(Type.Integer({ minimum: 1, maximum: 24, default: 6, description: 'Length of the trailing window in months (default 6).' })),
  depth_cap: Type.Number({ exclusiveMinimum: 0, description: 'Engagement points at which depth reaches its maximum of 1.', examples: [20] }),
  weights: Type.Optional(Type.Object({ breadth: Weight('breadth'), depth: Weight('depth'), consistency: Weight('consistency') }, {
    ...closed, description: 'Component weights; they must add up to 1. Default: one third each.',
  })),
}, { source: 'interactions', population: { target: true }, depth_cap: 20 });

export const AttainmentMeasure = measure('attainment', 'Per HCP with an engagement goal: engagement points to date ÷ goal points (capped at 1); the value is the mean, with the share of HCPs on pace.', {
  source: SourceRef,
  goals: Type.Object({
    source: SourceRef,
    points: ColumnRef('Column with the goal in engagement points.', ['goal_points']),
    start: ColumnRef('Column with the first day of the goal\'s planning period.', ['period_start']),
    end: ColumnRef('Column with the last day of the goal\'s planning period.', ['period_end']),
  }, { ...closed, description: 'Where the per-HCP goals are.' }),
}, { source: 'interactions', goals: { source: 'goals', points: 'goal_points', start: 'period_start', end: 'period_end' } });

export const ReengagementMeasure = measure('reengagement', 'HCPs with past engagement but none in the lookback before the period who engage in the period ÷ those HCPs.', {
  source: SourceRef,
  population: Type.Optional(Population),
  lookback: Duration('Quiet time before the period start that makes an HCP lapsed (default P90D).', ['P90D']),
}, { source: 'interactions', lookback: 'P90D' });

export const CapMeasure = measure('cap', 'Reached HCPs who received more push touches in a week or month than the cap allows ÷ reached HCPs.', {
  source: SourceRef,
  population: Type.Optional(Population),
  per: Literals(['week', 'month'], { description: 'The window the cap counts in (ISO week or month).' }),
  max: Type.Optional(Type.Integer({ minimum: 1, description: 'Maximum push touches per window across channels. Default: each channel\'s own `cap`.' })),
}, { source: 'interactions', per: 'week' });

export const ShareMeasure = measure('share', 'Each category\'s share of engaged touches (e.g. by channel modality); status by distance from the target mix.', {
  source: SourceRef,
  by: Literals(['modality', 'direction', 'channel'], { description: 'Split touches by channel modality, direction (push/pull) or channel.' }),
  where: Type.Optional(Where('Only touches matching this filter.')),
}, { source: 'interactions', by: 'modality' });

export const GrowthMeasure = measure('growth', 'This period\'s count or sum ÷ the comparison period\'s − 1.', {
  of: Aggregate,
  compare: Type.Optional(Literals(['last_year', 'previous_period'], { default: 'last_year', description: 'Compare with the same period last year (default) or the previous period.' })),
}, { of: { source: 'rx', sum: 'nrx' }, compare: 'last_year' });

export const BenchmarkMeasure = measure('benchmark', 'Our value of a KPI minus a competitor figure from the benchmarks table.', {
  kpi: Id('The KPI giving our value.', ['nps']),
  source: SourceRef,
  metric: Type.String({ minLength: 1, description: 'The `metric` value to read from the benchmarks table.', examples: ['nps'] }),
  against: Literals(['leader', 'median'], { description: '`leader`: the best competitor; `median`: the competitors\' median.' }),
}, { kpi: 'nps', source: 'benchmarks', metric: 'nps', against: 'leader' });

export const StageMeasure = measure('stage', 'Share of HCPs at each journey stage (the furthest stage their events in the trailing window map to), and the share that moved up since the previous period.', {
  source: SourceRef,
  population: Type.Optional(Population),
  trailing_months: Type.Optional(Type.Integer({ minimum: 1, maximum: 24, default: 6, description: 'Length of the trailing window in months (default 6).' })),
}, { source: 'interactions', population: { target: true } });

export const DerivedMeasure = measure('derived', 'Arithmetic over other KPIs of the same period and slice: + − × ÷, parentheses, numbers, `min(a, b)`, `max(a, b)`.', {
  expression: Type.String({ minLength: 1, maxLength: 500, description: 'The formula, using KPI ids as variables, e.g. `(trx_share - 0.2) * 100`.', examples: ['email_ctr / email_open_rate'] }),
}, { expression: 'email_ctr / email_open_rate' });

export const AverageMeasure = measure('average', 'A numeric column\'s total per HCP in the period, averaged over the HCPs of the population (an HCP with no rows counts as 0), e.g. TRx per target HCP.', {
  source: SourceRef,
  column: ColumnRef('The numeric column added up per HCP.', ['trx']),
  where: Type.Optional(Where('Only rows matching this filter are added up (e.g. one brand).')),
  population: Type.Optional(Population),
}, { source: 'rx', column: 'trx', population: { target: true } });

const measures = [
  ReachMeasure, RatioMeasure, FunnelMeasure, ScoreMeasure, IndexMeasure, AttainmentMeasure, ReengagementMeasure,
  CapMeasure, ShareMeasure, GrowthMeasure, BenchmarkMeasure, StageMeasure, DerivedMeasure, AverageMeasure,
] as const;

export const MEASURE_KINDS = measures.map((m) => (m.properties.kind as { const: string }).const);

const MeasureUnion = Type.Union([...measures]);
/** The measure, chosen by `kind`. Emitted as `oneOf` + `discriminator` so a mistake reports against one kind only. */
export const Measure = Type.Unsafe<Static<typeof MeasureUnion>>({
  type: 'object',
  description: 'How the KPI is computed; `kind` picks one of the building blocks and decides which other keys apply.',
  discriminator: { propertyName: 'kind' },
  required: ['kind'],
  properties: { kind: { enum: MEASURE_KINDS, description: 'The kind of measure.' } },
  oneOf: measures,
});
export type MeasureSpec = Static<typeof MeasureUnion>;
export type MeasureKind = MeasureSpec['kind'];
