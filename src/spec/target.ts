import { Type, type Static } from '@sinclair/typebox';
import { closed, type Grain, Literals, OfTypes, PERIOD_PATTERN } from './common.js';

export const Thresholds = Type.Object(
  {
    mode: Type.Optional(Literals(['ratio', 'absolute'], {
      default: 'ratio',
      description: '`ratio`: bands are fractions of the target (0.9 = 90% of target). `absolute`: bands are values in the KPI\'s unit.',
    })),
    green: Type.Number({ description: 'Green from this band on (at or above it when higher is better, at or below when lower is better).', examples: [1] }),
    amber: Type.Number({ description: 'Amber from this band on; beyond it the status is red.', examples: [0.9] }),
  },
  {
    ...closed,
    description: 'Where green turns amber and amber turns red. Direction-aware: for lower-is-better KPIs green must be the smaller band.',
    examples: [{ green: 1, amber: 0.9 }],
  },
);
export type ThresholdsSpec = Static<typeof Thresholds>;

const Mix = Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), Type.Number({ minimum: 0, maximum: 1 }), { ...closed,
  minProperties: 1,
  description: 'For share KPIs: the target share of each category (they must add up to 1).',
  examples: [{ in_person: 0.34, virtual: 0.33, digital_self_service: 0.33 }],
});

export type TargetValue = number | Record<string, number>;
export const TargetValue = OfTypes<TargetValue>(['number', 'object'], {
  description: 'The target in the KPI\'s unit (percent KPIs as a fraction: 0.25 = 25%), or a mix of shares for share KPIs.',
  examples: [0.25, { in_person: 0.34, virtual: 0.33, digital_self_service: 0.33 }],
  if: { type: 'object' },
  then: Mix,
});

const SliceMatch = Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), OfTypes<string | number | boolean>(['string', 'number', 'boolean'], { description: 'A dimension value.' }), {
  ...closed,
  minProperties: 1,
  description: 'The slice this override applies to, by dimension value. The override with the most matching dimensions wins.',
  examples: [{ brand: 'cardiora', country: 'DE' }],
});

const RelativeToLastYear = Type.Object({
  to: Type.Literal('last_year', { description: 'Relative to the same period last year.' }),
  change: Type.Number({ description: 'Required change as a fraction: 0.10 = 10% above last year, -0.05 = 5% below.', examples: [0.1] }),
}, { ...closed, description: 'A change on the same period last year.', examples: [{ to: 'last_year', change: 0.1 }] });
const RelativeToBenchmark = Type.Object({
  to: Type.Literal('benchmark', { description: 'Relative to competitors in the benchmarks table.' }),
  percentile: Type.Integer({ minimum: 0, maximum: 100, description: 'Benchmark percentile to reach (50 = the competitors\' median, 100 = the best of them), interpolated linearly between competitors.', examples: [50] }),
  metric: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]*$', description: 'The metric in the benchmarks table. Default: the KPI\'s id.', examples: ['nps'] })),
  source: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]*$', default: 'benchmarks', description: 'The source holding the benchmarks (columns period, company, metric, value). Default: `benchmarks`.' })),
}, { ...closed, description: 'A percentile of the competitors in the benchmarks table.', examples: [{ to: 'benchmark', percentile: 50 }] });
const RelativeUnion = Type.Union([RelativeToLastYear, RelativeToBenchmark]);
const Relative = Type.Unsafe<Static<typeof RelativeUnion>>({
  type: 'object',
  description: 'A target computed from last year (`to: last_year`) or from competitor benchmarks (`to: benchmark`) instead of a fixed value.',
  required: ['to'],
  properties: { to: { enum: ['last_year', 'benchmark'], description: 'What the target is relative to.' } },
  discriminator: { propertyName: 'to' },
  oneOf: [RelativeToLastYear, RelativeToBenchmark],
});

const Overrides = Type.Array(Type.Object({
  where: SliceMatch,
  value: TargetValue,
}, { ...closed, description: 'A different target for one slice.' }), { description: 'Slice-specific targets; two overrides that could match the same slice equally specifically are an error.' });

/*
 * A count over the period (reach, frequency) is lower over a week than over a month and
 * higher over a quarter, so one figure cannot be the target at every grain a scorecard
 * shows the KPI at. A grain's entry is the whole target at that grain.
 */
const GrainTarget = Type.Object({
  value: Type.Optional(TargetValue),
  overrides: Type.Optional(Overrides),
}, {
  ...closed,
  minProperties: 1,
  description: 'The target when the KPI is shown at this grain: this value and these overrides stand in for the KPI\'s own (its schedule and relative target do not apply at this grain).',
  examples: [{ value: 0.35 }],
});

export const Target = Type.Object(
  {
    value: Type.Optional(TargetValue),
    overrides: Type.Optional(Overrides),
    schedule: Type.Optional(Type.Record(Type.String({ pattern: PERIOD_PATTERN }), TargetValue, { ...closed,
      minProperties: 1,
      description: 'Targets that change over time (a ramp), by period: `2026-Q1: 0.20`. A period without an entry uses the latest earlier one, then `value`.',
      examples: [{ '2026-Q1': 0.2, '2026-Q2': 0.22 }],
    })),
    relative: Type.Optional(Relative),
    grains: Type.Optional(Type.Object({
      week: Type.Optional(GrainTarget),
      month: Type.Optional(GrainTarget),
      quarter: Type.Optional(GrainTarget),
    }, {
      ...closed,
      minProperties: 1,
      description: 'Targets for the grains a figure differs at: a KPI shown weekly on one scorecard and monthly on another (weekly reach is lower than monthly). A grain without an entry uses the target above.',
      examples: [{ week: { value: 0.35 }, quarter: { value: 0.95, overrides: [{ where: { brand: 'cardiora' }, value: 0.7 }] } }],
    })),
  },
  {
    ...closed,
    minProperties: 1,
    description: 'What good looks like: a value, slice overrides, a schedule by period, or a relative target; and, where a figure differs by grain, a target per grain.',
    examples: [{ value: 0.25, overrides: [{ where: { country: 'DE' }, value: 0.3 }] }],
  },
);
export type TargetSpec = Static<typeof Target>;
export type OverrideSpec = Static<typeof Overrides>[number];
export type GrainTargetSpec = Static<typeof GrainTarget>;
