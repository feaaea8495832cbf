import { Type, type Static } from '@sinclair/typebox';
import { closed, Description, Id, Literals, Owner, Version } from './common.js';
import { Measure } from './measure.js';
import { Target, Thresholds } from './target.js';

export const KpiSchema = Type.Object(
  {
    version: Version,
    id: Id('Unique KPI id, used by scorecards, derived KPIs and results.', ['email_open_rate']),
    name: Description('Short display name.', ['Email open rate']),
    description: Description(
      'What the KPI means in plain words, for a reader who does not know marketing jargon (it is shown in scorecards and reviews).',
      ['Of the emails that reached an HCP\'s inbox, the share opened by a person (automatic opens by mail scanners are left out).'],
    ),
    owner: Type.Optional(Owner),
    stages: Type.Array(Id('A journey stage id from `kpiops.yaml`.', ['awareness']), {
      minItems: 1, uniqueItems: true, description: 'The journey stage(s) this KPI informs.',
    }),
    indicator: Literals(['leading', 'lagging'], {
      description: '`leading`: early signal (reach, opens, engagement); `lagging`: outcome (prescriptions, share, NPS trend).',
    }),
    unit: Literals(['percent', 'ratio', 'count', 'score', 'currency'], {
      description: 'How the value reads. `percent` values are fractions (0.25 shows as 25%); `score` is on the survey\'s or index\'s own scale.',
    }),
    direction: Literals(['higher', 'lower'], { description: 'Whether higher or lower values are better.' }),
    tags: Type.Optional(Type.Array(Id('A tag.', ['email']), { uniqueItems: true, description: 'Free tags; scorecards can select KPIs by tag.' })),
    measure: Measure,
    dimensions: Type.Optional(Type.Array(Id('A column of the measure\'s source or of the HCP table.', ['brand']), {
      uniqueItems: true, description: 'Dimensions the KPI may be sliced by (totals are always computed).', examples: [['brand', 'country']],
    })),
    target: Type.Optional(Target),
    thresholds: Type.Optional(Thresholds),
    min_sample: Type.Optional(Type.Integer({ minimum: 1, description: 'Below this support count (n) the status is `insufficient_data` instead of a colour.' })),
  },
  {
    ...closed,
    title: 'kpiops KPI (kpis/**/*.yaml)',
    description: 'One KPI: what it measures, for whom, and what good looks like.',
  },
);

/**
 * A KPI file under `kpis/`.
 *
 * ```yaml
 * version: kpiops/v1
 * id: email_open_rate
 * name: Email open rate
 * description: Of the emails that reached an HCP's inbox, the share opened by a person.
 * owner: "@acme/omnichannel-analytics"
 * stages: [awareness]
 * indicator: leading
 * unit: percent
 * direction: higher
 * measure:
 *   kind: ratio
 *   numerator: {source: interactions, count: touches, where: {channel: email, event: opened, bot: {ne: true}}}
 *   denominator: {source: interactions, count: touches, where: {channel: email, event: delivered}}
 * dimensions: [brand, country]
 * target: {value: 0.25}
 * ```
 */
export type KpiSpec = Static<typeof KpiSchema>;
