import { Type, type Static } from '@sinclair/typebox';
import { closed, Description, Duration, Id, Literals, OfTypes, Owner, Version } from './common.js';
import { Recipient } from './scorecard.js';

/** A KPI id, `{tag: …}` or `{stage: …}`: the scorecard's selectors, without a grain of their own (the alert has one). */
export type AlertSelector = string | { tag: string } | { stage: string };
const SelectorId = Id('A KPI id.', ['email_open_rate']);
const AlertSelector = OfTypes<AlertSelector>(['string', 'object'], {
  description: 'A KPI id, `{tag: …}` (every KPI with the tag) or `{stage: …}` (every KPI of the journey stage).',
  examples: ['email_open_rate', { tag: 'email' }, { stage: 'awareness' }],
  pattern: SelectorId.pattern,
  maxLength: SelectorId.maxLength,
  properties: {
    tag: Id('Every KPI with this tag.', ['email']),
    stage: Id('Every KPI of this journey stage.', ['awareness']),
  },
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: false,
});

export const ALERT_GRAINS = ['week', 'month', 'rolling_7d', 'rolling_28d'] as const;
export type AlertGrain = (typeof ALERT_GRAINS)[number];

const Change = Type.Object({
  vs: Literals(['previous_period', 'last_year'], { description: 'What the period is compared with: the period before it, or the same period a year earlier.', examples: ['previous_period'] }),
  by_more_than: Type.Optional(Type.Number({
    exclusiveMinimum: 0,
    description: 'In breach when the value moved by more than this, in the KPI\'s unit (a percent KPI in fractions: 0.05 = 5 points). Give this or `spreads`.',
    examples: [0.05],
  })),
  spreads: Type.Optional(Type.Number({
    exclusiveMinimum: 0,
    description: 'In breach when the value moved by more than this many of the KPI\'s own spreads in the slice: the standard deviation of its past changes of the same kind (period to period; year over year with `vs: last_year`). Give this or `by_more_than`.',
    examples: [3],
  })),
  direction: Type.Optional(Literals(['down', 'up', 'either'], {
    description: 'Which moves count. Default: the KPI\'s bad direction (`down` when higher is better, `up` when lower is better).',
    examples: ['down'],
  })),
}, { ...closed, description: 'The value moved too far from the period it is compared with.', examples: [{ vs: 'previous_period', spreads: 3 }, { vs: 'last_year', by_more_than: 0.05, direction: 'down' }] });

const When = Type.Object({
  status: Type.Optional(Type.Array(Literals(['red', 'amber'], { description: 'A status from the KPI\'s target and thresholds.' }), {
    minItems: 1, uniqueItems: true, description: 'In breach when the status is one of these (the KPI needs a target).', examples: [['red'], ['red', 'amber']],
  })),
  below: Type.Optional(Type.Number({ description: 'In breach when the value is below this, in the KPI\'s unit (a percent KPI in fractions: 0.2 = 20%).', examples: [0.2] })),
  above: Type.Optional(Type.Number({ description: 'In breach when the value is above this, in the KPI\'s unit (a percent KPI in fractions: 0.5 = 50%).', examples: [0.5] })),
  change: Type.Optional(Change),
}, { ...closed, minProperties: 1, description: 'The condition, exactly one: `status`, `below`, `above` or `change`.' });

const Lifecycle = Type.Object({
  pending: Type.Optional(Type.Integer({ minimum: 1, maximum: 52, default: 1, description: 'Consecutive periods in breach before the alert fires; 1 fires at once. A period judged twice counts once.' })),
  renotify: Type.Optional(Duration('Tell a still-firing alert again after this long (ISO-8601: `P7D`, `P1M`). Absent: told once per episode.', ['P7D'])),
  recovery: Type.Optional(Type.Boolean({ default: true, description: 'Send a message when the episode ends (the value is back within bounds).' })),
  on_error: Type.Optional(Type.Boolean({ default: true, description: 'Send a message when the evaluation fails or its data is blocked by the load checks (once each time it starts).' })),
  on_no_data: Type.Optional(Type.Boolean({ default: false, description: 'Send a message when there is no value to judge (once each time it starts).' })),
}, { ...closed, description: 'How an episode goes: when it fires, whether it is told again, and what else is told.' });

export const AlertSchema = Type.Object(
  {
    version: Version,
    id: Id('Unique alert id; the file is named after it (`alerts/<id>.yaml`).', ['email_opens_collapse']),
    title: Description('Title shown in the email subject.', ['Email opens collapse']),
    description: Type.Optional(Description('What the alert is for and what to do when it fires.')),
    owner: Type.Optional(Owner),
    kpis: Type.Array(AlertSelector, { minItems: 1, description: 'The KPIs watched, by id, tag or stage (as a scorecard selects them); each is judged on its own.' }),
    by: Type.Optional(Type.Array(Id('A dimension.', ['brand']), {
      minItems: 1,
      uniqueItems: true,
      description: 'Watch each slice of these dimensions. Default: each recipient\'s filter, or the total when the audience has no filters.',
      examples: [['brand']],
    })),
    when: When,
    grain: Literals(ALERT_GRAINS, {
      description: 'The periods judged: ISO `week` or calendar `month` (at the KPI\'s reporting grain), or a window of the last 7 or 28 days (`rolling_7d`, `rolling_28d`), judged daily.',
      examples: ['month'],
    }),
    closed_periods_only: Type.Optional(Type.Boolean({
      default: true, description: 'Judge only periods that have ended and that every source the KPI reads has covered (after its `lag`); a period still open is not judged.',
    })),
    lifecycle: Type.Optional(Lifecycle),
    audience: Type.Array(Recipient, { minItems: 1, description: 'Who is told, each with the slice they watch.' }),
  },
  {
    ...closed,
    title: 'kpiops alert (alerts/*.yaml)',
    description: 'An alert: which KPIs are watched, in which slices, the condition that is a breach, and who is told when it fires, is told again, recovers or cannot be judged.',
  },
);

/**
 * An alert file under `alerts/`.
 *
 * ```yaml
 * version: kpiops/v1
 * id: email_opens_collapse
 * title: Email opens collapse
 * kpis: [email_open_rate]
 * by: [brand]
 * when:
 *   change: {vs: previous_period, spreads: 3}
 * grain: month
 * lifecycle: {pending: 1, renotify: P7D}
 * audience:
 *   - {name: Neurexa brand team, email: neurexa@example.com, filter: {brand: Neurexa}}
 * ```
 */
export type AlertSpec = Static<typeof AlertSchema>;
