import { Type, type Static } from '@sinclair/typebox';
import { closed, Description, Grain, Id, Literals, OfTypes, Owner, Version } from './common.js';

/**
 * A KPI id, `{tag: …}` / `{stage: …}`, or `{kpi: …, grain: …}` for a KPI shown at another
 * grain than the scorecard's (monthly Rx on a weekly brief); dispatched on the JSON type so
 * each mistake gets one error. The object shapes are told apart by which keys they hold
 * (`dependentRequired`/`dependentSchemas`), not by a `oneOf`: `required` and `maxProperties`
 * say nothing about a string, so every plain id matched all three branches of a `oneOf`.
 */
export type KpiSelector = string | { tag: string } | { stage: string } | { kpi: string; grain: 'week' | 'month' | 'quarter' };
const SelectorId = Id('A KPI id.', ['reach']);
const KpiSelector = OfTypes<KpiSelector>(['string', 'object'], {
  description: 'A KPI id, `{tag: …}` (every KPI with the tag), `{stage: …}` (every KPI of the journey stage), or `{kpi: …, grain: month}` (a KPI at its own grain, e.g. monthly prescriptions on a weekly scorecard).',
  examples: ['reach', { tag: 'email' }, { stage: 'awareness' }, { kpi: 'trx_share', grain: 'month' }],
  pattern: SelectorId.pattern,
  maxLength: SelectorId.maxLength,
  properties: {
    tag: Id('Every KPI with this tag.', ['email']),
    stage: Id('Every KPI of this journey stage.', ['awareness']),
    kpi: Id('A KPI id.', ['trx_share']),
    grain: { ...Grain, description: 'The grain this KPI is shown at: its last complete period of that grain.' },
  },
  minProperties: 1,
  dependentRequired: { kpi: ['grain'], grain: ['kpi'] },
  dependentSchemas: { tag: { maxProperties: 1 }, stage: { maxProperties: 1 } },
  additionalProperties: false,
});
const FilterValue = OfTypes<string | number | boolean>(['string', 'number', 'boolean'], { description: 'A dimension value.' });

export const Recipient = Type.Object(
  {
    name: Description('The recipient\'s name, used in the greeting.', ['Anna Berg']),
    email: Type.String({ format: 'email', description: 'Where the scorecard is sent.', examples: ['anna.berg@example.com'] }),
    filter: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), FilterValue, { ...closed,
      minProperties: 1,
      description: 'The slice this recipient sees, by dimension value; they see nothing outside it.',
      examples: [{ brand: 'cardiora' }],
    })),
  },
  { ...closed, description: 'One recipient.' },
);

export const ScorecardSchema = Type.Object(
  {
    version: Version,
    id: Id('Unique scorecard id.', ['brand_monthly']),
    title: Description('Title shown in the email subject and heading.', ['Brand monthly scorecard']),
    description: Type.Optional(Description('What the scorecard is for.')),
    owner: Type.Optional(Owner),
    grain: Grain,
    schedule: Type.Optional(Type.Object({
      cron: Type.String({ pattern: '^\\S+ \\S+ \\S+ \\S+ \\S+$', description: 'When the scheduled workflow sends it (five-field cron, UTC).', examples: ['17 6 3 * *'] }),
    }, { ...closed, description: 'When the scorecard is sent.' })),
    kpis: Type.Array(KpiSelector, { minItems: 1, description: 'The KPIs on the scorecard, by id, tag or stage.' }),
    stages: Type.Optional(Type.Array(Id('A journey stage id.', ['awareness']), {
      uniqueItems: true, description: 'The journey stages this scorecard claims to cover; each should have at least one KPI.',
    })),
    group_by: Type.Optional(Type.Array(Literals(['stage', 'indicator'], { description: 'A grouping.' }), {
      uniqueItems: true, description: 'How KPIs are grouped: by journey `stage`, by `indicator` (leading/lagging), or both.', examples: [['stage', 'indicator']],
    })),
    comparisons: Type.Optional(Type.Array(Literals(['previous_period', 'last_year', 'target', 'benchmark'], { description: 'A comparison.' }), {
      uniqueItems: true, description: 'What each value is compared with.', examples: [['previous_period', 'target']],
    })),
    slice: Type.Optional(Type.Array(Id('A dimension.', ['brand']), {
      uniqueItems: true, description: 'The dimensions each recipient\'s filter sets (one scorecard per slice).', examples: [['brand']],
    })),
    breakdown: Type.Optional(Id('A dimension whose every value gets its own column next to the slice\'s value (e.g. `brand` on an all-brands scorecard). Cells under the privacy minimum are hidden, with complementary suppression.', ['brand'])),
    explain: Type.Optional(Type.Object({
      by: Type.Array(Id('A dimension.', ['country']), {
        minItems: 1, uniqueItems: true, description: 'The dimensions each headline move is split by, within the recipient\'s slice. KPIs not sliced by one are not split by it.', examples: [['country', 'segment']],
      }),
      top: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 3, description: 'How many slices are named per dimension; the rest are summed as one.' })),
    }, { ...closed, description: '"What moved it" under each headline move: its change split into each slice\'s rate effect and the mix, over each dimension that partitions the recipient\'s slice (see docs/explain.md). Off unless given; the results then hold the recipient slice × each dimension.' })),
    brief: Type.Optional(Type.Object({
      look_back_months: Type.Optional(Type.Integer({ minimum: 1, maximum: 24, default: 6, description: 'How far back each HCP\'s engagement summary looks.' })),
      open_items: Type.Optional(Type.Array(Type.Object({
        event: Id('An interaction event that opens an item.', ['sample_requested']),
        name: Description('How the item reads in the brief.', ['Sample request']),
        closed_by: Type.Optional(Type.Array(Id('A channel id.', ['rep_visit']), { uniqueItems: true, description: 'A later touch on one of these channels closes the item.' })),
      }, { ...closed, description: 'An open item: an event not yet followed up.' }), { description: 'What counts as an open item for the rep.' })),
    }, { ...closed, description: 'An n=1 pre-meeting brief of the target HCPs in the recipient\'s territory (channels used, last touch, open items, over-contact): the 15 most urgent listed by name, the others summed up, every HCP in an attached CSV. Only for recipients whose filter names a `territory`: the rep who owns it. Rx figures on such a scorecard leave out HCPs who opted out of sharing prescribing data with reps (PDRP).' })),
    audience: Type.Array(Recipient, { minItems: 1, description: 'Who receives it.' }),
    send: Type.Optional(Type.Object({
      when: Literals(['always', 'on_change', 'on_status_change'], {
        default: 'always', description: '`always`; `on_change`: only when a value differs from the last sent version; `on_status_change`: only when a status flips.',
      }),
      skip_when_empty: Type.Optional(Type.Boolean({ default: true, description: 'Send nothing to a recipient whose slice has no data.' })),
    }, { ...closed, description: 'When a recipient gets a new email.' })),
    template: Type.Optional(Id('Template name in `templates/` (without `.mjml`). Default: `scorecard`.', ['scorecard'])),
  },
  {
    ...closed,
    title: 'kpiops scorecard (scorecards/*.yaml)',
    description: 'A periodic scorecard: which KPIs, for whom, grouped how, sent when.',
  },
);

/**
 * A scorecard file under `scorecards/`.
 *
 * ```yaml
 * version: kpiops/v1
 * id: brand_monthly
 * title: Brand monthly scorecard
 * grain: month
 * kpis: [reach, {tag: email}, trx_share]
 * group_by: [stage]
 * slice: [brand]
 * audience:
 *   - {name: Anna Berg, email: anna.berg@example.com, filter: {brand: cardiora}}
 * ```
 */
export type ScorecardSpec = Static<typeof ScorecardSchema>;
