import { describe, expect, it } from 'vitest';
import { located, validateWith, type Change } from '../support/demo-project.js';

const OPEN_RATE = 'kpis/email/email_open_rate.yaml';
const EMAIL = 'channels/email.yaml';
const SCORECARD = 'scorecards/brand_monthly.yaml';
const PROJECT = 'kpiops.yaml';
const NPS = 'kpis/survey/nps.yaml';
const REACH = 'kpis/reach/reach.yaml';
const DISMISS = 'kpis/nba/suggestion_dismiss_rate.yaml';
const DAYS = 'kpis/nba/suggestion_time_to_action.yaml';
const AFTER = 'kpis/nba/engagement_after_actioned.yaml';
const kpi = (file: string, from: string, to: string): Change => ({ file, from, to });
/** A new derived KPI file whose formula (line 13, from column 15) is `expression`. */
const derived = (expression: string) =>
  `# yaml-language-server: $schema=../../schemas/kpi.schema.json\nversion: kpiops/v1\nid: engagement_ratio\nname: Engagement ratio\ndescription: Clicks per open.\nowner: "@demo-pharma/digital-marketing"\nstages: [consideration]\nindicator: leading\nunit: ratio\ndirection: higher\nmeasure:\n  kind: derived\n  expression: ${expression}\n`;

/**
 * Each case starts from the valid demo project, breaks one thing, and names the one
 * diagnostic expected: `file:line:col code` (1-based, as an editor shows it).
 */
const cases: Array<[name: string, changes: Change[], expected: string]> = [
  // YAML syntax
  ['a key written twice in one mapping is a duplicate-key error at the second key',
    [kpi(OPEN_RATE, 'unit: percent\n', 'unit: percent\nunit: ratio\n')], `${OPEN_RATE}:12:1 yaml/duplicate-key`],
  ['a tab used for indentation is reported where the tab is',
    [kpi(OPEN_RATE, '  kind: ratio', '\tkind: ratio')], `${OPEN_RATE}:15:1 yaml/tab-indent`],
  ['a mapping item indented less than its siblings is bad indentation',
    [kpi(OPEN_RATE, '    count: touches\n    where: {channel: email, event: delivered}', '    count: touches\n   where: {channel: email, event: delivered}')], `${OPEN_RATE}:23:4 yaml/bad-indent`],
  ['an unclosed flow sequence is reported',
    [kpi(OPEN_RATE, 'stages: [awareness]', 'stages: [awareness')], `${OPEN_RATE}:10:1 yaml/bad-indent`],
  ['an unclosed flow mapping is reported',
    [kpi(OPEN_RATE, 'thresholds: {green: 1.0, amber: 0.9}', 'thresholds: {green: 1.0, amber: 0.9')], `${OPEN_RATE}:36:1 yaml/bad-indent`],
  ['two YAML documents in one file are refused at the second',
    [kpi(OPEN_RATE, 'min_sample: 100\n', 'min_sample: 100\n---\nid: other\n')], `${OPEN_RATE}:37:1 yaml/multiple-documents`],
  ['an alias without an anchor is reported at the alias',
    [kpi(OPEN_RATE, 'tags: [email]', 'tags: *email_tags')], `${OPEN_RATE}:13:7 yaml/unresolved-alias`],
  ['an alias bomb is refused instead of expanded',
    [kpi(OPEN_RATE, 'tags: [email]', 'x0: &a [l, l, l, l, l, l, l, l, l, l]\nx1: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nx2: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nx3: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ntags: [email]')],
    `${OPEN_RATE}:14:9 yaml/alias-limit`],
  ['a !!js/function tag is refused at the tag, not read as the text after it',
    [kpi(OPEN_RATE, 'name: Email open rate', 'name: !!js/function "function () { return 1 }"')], `${OPEN_RATE}:4:7 yaml/unknown-tag`],
  ['a custom tag on a mapping is refused at the tag',
    [kpi(OPEN_RATE, '  numerator:\n', '  numerator: !include\n')], `${OPEN_RATE}:16:14 yaml/unknown-tag`],
  ['a !!binary tag is refused rather than turned into bytes',
    [kpi(OPEN_RATE, 'name: Email open rate', 'name: !!binary RW1haWwgb3BlbiByYXRl')], `${OPEN_RATE}:4:7 yaml/unknown-tag`],
  ['a core tag on a value of another type is refused at the tag',
    [kpi(OPEN_RATE, 'min_sample: 100', 'min_sample: !!int a hundred')], `${OPEN_RATE}:36:13 yaml/tag-mismatch`],
  ['an empty file is an error, not a silently missing KPI',
    [{ file: OPEN_RATE, to: '' }], `${OPEN_RATE}:1:1 file/empty`],
  ['a file of only comments is empty too',
    [{ file: OPEN_RATE, to: '# yaml-language-server: $schema=../../schemas/kpi.schema.json\n# TODO\n' }], `${OPEN_RATE}:1:1 file/empty`],
  ['binary garbage is refused as not text',
    [{ file: OPEN_RATE, to: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x1a]) }], `${OPEN_RATE}:1:1 file/binary`],
  ['invalid UTF-8 is refused as not text',
    [{ file: OPEN_RATE, to: new Uint8Array([0x69, 0x64, 0x3a, 0x20, 0xc3, 0x28]) }], `${OPEN_RATE}:1:1 file/binary`],
  ['nesting deeper than 64 levels is refused',
    [kpi(OPEN_RATE, 'tags: [email]', `tags: ${'['.repeat(70)}${']'.repeat(70)}`)], `${OPEN_RATE}:13:70 yaml/too-deep`],
  ['a key that is a list is refused at the key',
    [kpi(OPEN_RATE, 'tags: [email]', '? [a, b]\n: 1\ntags: [email]')], `${OPEN_RATE}:13:3 yaml/complex-key`],
  ['a file holding a list instead of a mapping is refused',
    [{ file: OPEN_RATE, to: '- id: x\n' }], `${OPEN_RATE}:1:1 yaml/not-a-mapping`],

  // schema
  ['an unknown key gets a did-you-mean suggestion and points at the key',
    [kpi(OPEN_RATE, 'direction: higher', 'directoin: higher')], `${OPEN_RATE}:12:1 schema/unknown-key`],
  ['an unknown key inside the measure points at that key',
    [kpi(OPEN_RATE, '    count: touches\n    where: {channel: email, event: opened', '    count: touches\n    wher: {channel: email, event: opened')], `${OPEN_RATE}:19:5 schema/unknown-key`],
  ['a missing required key points at the mapping that lacks it (the nearest existing ancestor)',
    [kpi(OPEN_RATE, '    source: interactions\n    count: touches\n    where: {channel: email, event: delivered}', '    count: touches\n    where: {channel: email, event: delivered}')],
    `${OPEN_RATE}:20:3 schema/required`],
  ['a missing top-level key points at the start of the document',
    [kpi(OPEN_RATE, 'indicator: leading\n', '')], `${OPEN_RATE}:2:1 schema/required`],
  ['a value of the wrong type points at the value',
    [kpi(OPEN_RATE, 'min_sample: 100', 'min_sample: many')], `${OPEN_RATE}:36:13 schema/type`],
  ['a word outside the allowed list is an enum error with a suggestion',
    [kpi(OPEN_RATE, 'unit: percent', 'unit: percnet')], `${OPEN_RATE}:11:7 schema/enum`],
  ['an unknown measure kind is one enum error at the kind',
    [kpi(OPEN_RATE, 'kind: ratio', 'kind: rate')], `${OPEN_RATE}:15:9 schema/enum`],
  ['an unsupported version is the only error reported for the file',
    [kpi(OPEN_RATE, 'version: kpiops/v1', 'version: kpiops/v9\nfuture_key: 1')], `${OPEN_RATE}:2:10 schema/version`],
  ['an id with capitals breaks the id pattern',
    [kpi(OPEN_RATE, 'id: email_open_rate', 'id: EmailOpenRate')], `${OPEN_RATE}:3:5 schema/pattern`],
  ['an owner that is not a GitHub handle breaks the owner pattern',
    [kpi(OPEN_RATE, 'owner: "@demo-pharma/digital-marketing"', 'owner: digital marketing')], `${OPEN_RATE}:8:8 schema/pattern`],
  ['an empty stage list is too short',
    [kpi(OPEN_RATE, 'stages: [awareness]', 'stages: []')], `${OPEN_RATE}:9:9 schema/size`],
  ['a schedule key that is not a period is refused at the key',
    [kpi('kpis/email/email_ctr.yaml', '  value: 0.035\n', '  value: 0.035\n  schedule:\n    2026-13: 0.03\n')], 'kpis/email/email_ctr.yaml:25:5 schema/pattern'],
  ['a comparison with an unknown operator is an unknown key inside the filter',
    [kpi(OPEN_RATE, 'bot: {ne: true}', 'bot: {neq: true}')], `${OPEN_RATE}:19:50 schema/unknown-key`],
  ['a recipient email that is not an address is a format error',
    [kpi(SCORECARD, 'email: luca.bianchi@demo-pharma.example', 'email: luca.bianchi')], `${SCORECARD}:37:12 schema/format`],
  ['a negative channel weight is out of range',
    [kpi(EMAIL, 'weight: 1', 'weight: -1')], `${EMAIL}:10:9 schema/range`],
  ['a snapshot table file with a folder in it is refused',
    [{ file: 'snapshots/demo/snapshot.yaml', kind: 'snapshot', to: '# yaml-language-server: $schema=../../schemas/snapshot.schema.json\nversion: kpiops/v1\nid: demo\nas_of: 2026-11-01T00:00:00Z\ntables:\n  hcps: {file: ../../etc/passwd, format: csv, rows: 1, sha256: ' + 'a'.repeat(64) + '}\n' }],
    'snapshots/demo/snapshot.yaml:6:16 schema/pattern'],
  ['a file without the schema modeline gets a warning on line 1',
    [kpi(OPEN_RATE, '# yaml-language-server: $schema=../../schemas/kpi.schema.json\n', '')], `${OPEN_RATE}:1:1 file/missing-modeline`],
  ['a modeline pointing at the wrong schema gets a warning',
    [kpi(OPEN_RATE, 'schemas/kpi.schema.json', 'schemas/channel.schema.json')], `${OPEN_RATE}:1:1 file/wrong-modeline`],

  // semantic rules
  ['two KPIs with one id are reported at the later file',
    [kpi('kpis/email/email_ctr.yaml', 'id: email_ctr', 'id: email_open_rate')], `${OPEN_RATE}:3:5 kpi/duplicate-id`],
  ['two channels with one id are reported at the second',
    [{ file: 'channels/mail.yaml', kind: 'channel', to: '# yaml-language-server: $schema=../schemas/channel.schema.json\nversion: kpiops/v1\nid: email\nname: Mail\nowner: "@o"\nmodality: digital_self_service\ndirection: push\nengagement_events: [opened]\nweight: 1\n' }],
    'channels/mail.yaml:3:5 channel/duplicate-id'],
  ['a KPI without an owner is an error at its id',
    [kpi(OPEN_RATE, 'owner: "@demo-pharma/digital-marketing"\n', '')], `${OPEN_RATE}:3:5 kpi/missing-owner`],
  ['a channel without an owner is a warning',
    [kpi(EMAIL, 'owner: "@demo-pharma/digital-marketing"\n', '')], `${EMAIL}:3:5 channel/missing-owner`],
  ['a misspelt channel in a filter is an unknown channel',
    [kpi(OPEN_RATE, 'where: {channel: email, event: delivered}', 'where: {channel: emial, event: delivered}')], `${OPEN_RATE}:23:22 kpi/unknown-channel`],
  ['an event the interactions table does not declare is an unknown value',
    [kpi(OPEN_RATE, 'where: {channel: email, event: delivered}', 'where: {channel: email, event: deliverd}')], `${OPEN_RATE}:23:36 kpi/unknown-value`],
  ['a filter on a column no source has is an unknown column at the key',
    [kpi(OPEN_RATE, 'bot: {ne: true}', 'robot: {ne: true}')], `${OPEN_RATE}:19:44 kpi/unknown-column`],
  ['a filter deep inside any/not still resolves its columns',
    [kpi('kpis/engagement/cross_channel_conversion.yaml', '- {channel: website, event: viewed}', '- {not: {chanel: website}}')], 'kpis/engagement/cross_channel_conversion.yaml:23:20 kpi/unknown-column'],
  ['an unknown source is reported at the source key',
    [kpi(OPEN_RATE, '    source: interactions\n    count: touches\n    where: {channel: email, event: opened', '    source: interaction\n    count: touches\n    where: {channel: email, event: opened')], `${OPEN_RATE}:17:13 kpi/unknown-source`],
  ['a sum over a column the source lacks is an unknown column',
    [kpi('kpis/outcomes/trx_share.yaml', 'sum: trx}', 'sum: trxx}')], 'kpis/outcomes/trx_share.yaml:16:32 kpi/unknown-own-column'],
  ['an unknown journey stage on a KPI is reported',
    [kpi(OPEN_RATE, 'stages: [awareness]', 'stages: [awarenes]')], `${OPEN_RATE}:9:10 kpi/unknown-stage`],
  ['an unknown stage in a channel stage map is reported',
    [kpi(EMAIL, 'clicked: consideration', 'clicked: considering')], `${EMAIL}:15:12 channel/unknown-stage`],
  ['a channel engagement event the data never has is reported',
    [kpi(EMAIL, 'engagement_events: [opened, clicked]', 'engagement_events: [opened, clicks]')], `${EMAIL}:9:29 channel/unknown-event`],
  ['a channel received event the data never has is reported',
    [kpi(EMAIL, 'received_events: [delivered, opened, clicked]', 'received_events: [delivred, opened, clicked]')], `${EMAIL}:17:19 channel/unknown-event`],
  ['a label for an event the data never has is reported at the event',
    [kpi(EMAIL, '  opened: {label: email opened}', '  opend: {label: email opened}')], `${EMAIL}:23:3 channel/unknown-event`],
  ['an event label that is not text is a schema error at the label',
    [kpi(EMAIL, '  opened: {label: email opened}', '  opened: {label: [email, opened]}')], `${EMAIL}:23:19 schema/type`],
  ['a derived formula naming an unknown KPI points at the name inside the formula',
    [{ file: 'kpis/email/engagement_ratio.yaml', to: derived('email_ctr / email_opn_rate') }],
    'kpis/email/engagement_ratio.yaml:13:27 kpi/unknown-kpi'],
  ['a derived formula with a syntax error points at the offending character',
    [{ file: 'kpis/email/engagement_ratio.yaml', to: derived('"email_ctr / * 2"') }],
    'kpis/email/engagement_ratio.yaml:13:28 kpi/expression-syntax'],
  // `expression: ` ends at column 14, so the formula's first character is column 15.
  ['a derived formula dividing by a written zero points at the zero (column 15 + 12)',
    [{ file: 'kpis/email/engagement_ratio.yaml', to: derived('email_ctr / 0') }],
    'kpis/email/engagement_ratio.yaml:13:27 kpi/division-by-zero'],
  ['a derived formula dividing by a difference that is always zero points at its opening parenthesis',
    [{ file: 'kpis/email/engagement_ratio.yaml', to: derived('email_ctr / (1 - 1)') }],
    'kpis/email/engagement_ratio.yaml:13:27 kpi/division-by-zero'],
  ['a derived formula dividing by a product with a zero factor points at the product, inside quotes too',
    [{ file: 'kpis/email/engagement_ratio.yaml', to: derived('"email_open_rate * 100 / (2 * 0)"') }],
    'kpis/email/engagement_ratio.yaml:13:40 kpi/division-by-zero'],
  ['derived KPIs that use each other are a cycle',
    [
      { file: 'kpis/a.yaml', to: '# yaml-language-server: $schema=../schemas/kpi.schema.json\nversion: kpiops/v1\nid: loop_a\nname: A\ndescription: A.\nowner: "@o"\nstages: [awareness]\nindicator: leading\nunit: ratio\ndirection: higher\nmeasure: {kind: derived, expression: loop_b * 2}\n' },
      { file: 'kpis/b.yaml', to: '# yaml-language-server: $schema=../schemas/kpi.schema.json\nversion: kpiops/v1\nid: loop_b\nname: B\ndescription: B.\nowner: "@o"\nstages: [awareness]\nindicator: leading\nunit: ratio\ndirection: higher\nmeasure: {kind: derived, expression: loop_a + 1}\n' },
    ], 'kpis/a.yaml:11:38 kpi/derived-cycle'],
  ['a percent target above 1 does not fit the unit',
    [kpi(OPEN_RATE, '  value: 0.22\n', '  value: 22\n')], `${OPEN_RATE}:30:10 kpi/target-unit`],
  ['an NPS target outside -100..100 does not fit the scale',
    [kpi(NPS, 'target: {value: -13}', 'target: {value: 130}')], `${NPS}:28:17 kpi/target-unit`],
  ['a share KPI whose target mix does not add up to 1 is refused',
    [kpi('kpis/reach/channel_mix.yaml', 'virtual: 0.33, digital', 'virtual: 0.43, digital')], 'kpis/reach/channel_mix.yaml:22:10 kpi/mix-sum'],
  ['a relative target that asks a lower-is-better KPI to rise is a warning',
    [kpi('kpis/reach/over_contact_rate.yaml', 'target: {value: 0.05}', 'target: {relative: {to: last_year, change: 0.1}}')], 'kpis/reach/over_contact_rate.yaml:24:44 kpi/target-direction'],
  ['green below amber on a higher-is-better KPI is out of order',
    [kpi(OPEN_RATE, 'thresholds: {green: 1.0, amber: 0.9}', 'thresholds: {green: 0.8, amber: 0.9}')], `${OPEN_RATE}:35:21 kpi/thresholds-order`],
  ['green above amber on a lower-is-better KPI is out of order',
    [kpi('kpis/reach/over_contact_rate.yaml', 'green: 0.05, amber: 0.1', 'green: 0.1, amber: 0.05')], 'kpis/reach/over_contact_rate.yaml:25:37 kpi/thresholds-order'],
  ['two overrides that match the same slice equally are a tie',
    [kpi(OPEN_RATE, '    - {where: {brand: pulmivo}, value: 0.21}\n', '    - {where: {brand: pulmivo}, value: 0.21}\n    - {where: {segment: growth}, value: 0.3}\n')], `${OPEN_RATE}:35:15 kpi/override-tie`],
  ['an override on a dimension the KPI does not have is refused',
    [kpi(OPEN_RATE, '{where: {brand: cardiora}', '{where: {brand: cardiora, territory: T-001}')], `${OPEN_RATE}:32:33 kpi/override-dimension`],
  ['a dimension that is no column is unknown',
    [kpi('kpis/email/email_ctor.yaml', 'dimensions: [brand, country, segment]', 'dimensions: [brand, county, segment]')], 'kpis/email/email_ctor.yaml:21:21 kpi/unknown-dimension'],
  ['an aggregate with both count and sum is malformed',
    [kpi('kpis/outcomes/trx_share.yaml', 'sum: trx}', 'sum: trx, count: rows}')], 'kpis/outcomes/trx_share.yaml:16:3 kpi/aggregate-shape'],
  ['a count across a dimension the KPI does not have is refused at that dimension',
    [kpi(DISMISS, 'across: [reason]', 'across: [territory]')], `${DISMISS}:19:125 kpi/aggregate-option`],
  ['an aggregate with both count and sum_days is malformed',
    [kpi(DAYS, '{source: recommendations, sum_days:', '{source: recommendations, count: rows, sum_days:')], `${DAYS}:16:3 kpi/aggregate-shape`],
  ['days between a text column and a timestamp are refused at the text column',
    [kpi(DAYS, 'sum_days: {from: posted_at', 'sum_days: {from: driver')], `${DAYS}:16:57 kpi/column-type`],
  ['engagement followed from a column that is no timestamp is refused',
    [kpi(AFTER, 'after: outcome_at', 'after: reason')], `${AFTER}:20:48 kpi/column-type`],
  ['a row followed in a source without time is refused: no window can be read there',
    [kpi(AFTER, 'source: interactions, after: outcome_at, within: P14D, engaged: true', 'source: goals, after: outcome_at, within: P14D')], `${AFTER}:20:27 kpi/missing-role`],
  ['a catalog count followed by engagement is refused: catalog items have no time to follow',
    [kpi('kpis/engagement/content_utilization.yaml', '{source: content, count: rows}', '{source: content, count: rows, followed_by: {source: interactions, after: approved_at, within: P14D}}')], 'kpis/engagement/content_utilization.yaml:17:47 kpi/aggregate-option'],
  ['a top-box score without top is refused',
    [kpi('kpis/survey/csat.yaml', '  top: 2\n', '')], 'kpis/survey/csat.yaml:18:11 kpi/top-box-without-top'],
  ['index weights that do not add up to 1 are refused',
    [kpi('kpis/engagement/cei.yaml', 'consistency: 0.3334', 'consistency: 0.5')], 'kpis/engagement/cei.yaml:21:3 kpi/index-weights'],
  ['a scorecard naming an unknown KPI is an error with a suggestion',
    [kpi(SCORECARD, '  - frequency\n', '  - frequncy\n')], `${SCORECARD}:14:5 scorecard/unknown-kpi`],
  ['a scorecard tag selector that matches no KPI is an error',
    [kpi(SCORECARD, '{tag: email}', '{tag: emails}')], `${SCORECARD}:17:5 scorecard/empty-selector`],
  ['a scorecard with no lagging KPI gets a warning',
    [kpi(SCORECARD, '  - nps\n  - nps_gap_to_leader\n  - intent_to_prescribe\n  - trx_share\n  - nrx_growth\n', '  - intent_to_prescribe\n')], `${SCORECARD}:12:1 scorecard/no-lagging`],
  ['a stage a scorecard claims but no KPI covers gets a warning',
    [kpi(SCORECARD, '  - sample_request_rate\n  - cross_channel_conversion\n', ''), kpi(SCORECARD, '  - goal_attainment\n', ''), kpi(SCORECARD, '  - intent_to_prescribe\n', ''), kpi(SCORECARD, '  - nrx_growth\n', '')],
    `${SCORECARD}:23:36 scorecard/uncovered-stage`],
  ['a scorecard template that does not exist is an error',
    [kpi(SCORECARD, 'template: scorecard', 'template: scorcard')], `${SCORECARD}:45:11 scorecard/unknown-template`],
  ['a recipient filter on a dimension outside the slice is refused',
    [kpi(SCORECARD, 'filter: {brand: cardiora}', 'filter: {brand: cardiora, country: DE}')], `${SCORECARD}:35:31 scorecard/filter-outside-slice`],
  ['a misspelt explain dimension is refused, with the one meant',
    [kpi(SCORECARD, 'by: [country, segment]', 'by: [contry, segment]')], `${SCORECARD}:47:16 scorecard/unknown-explain-dimension`],
  ['a slice dimension some KPI lacks is refused',
    [kpi(SCORECARD, 'slice: [brand]', 'slice: [brand, territory]'), ...['cardiora', 'neurexa', 'pulmivo'].map((b) => kpi(SCORECARD, `filter: {brand: ${b}}`, `filter: {brand: ${b}, territory: DE-T01}`))], `${SCORECARD}:31:16 scorecard/unknown-dimension`],
  ['a recipient without a filter for the slice would see every brand, so it is refused',
    [kpi(SCORECARD, '    filter: {brand: neurexa}\n', '')], `${SCORECARD}:36:5 scorecard/incomplete-filter`],
  ['one address twice in an audience (a lead of two brands, written in another case) is refused at the second entry',
    [kpi(SCORECARD, 'email: luca.bianchi@demo-pharma.example', 'email: Clara.Weiss@DEMO-pharma.example')], `${SCORECARD}:37:12 scorecard/duplicate-recipient`],
  ['a recipient filtered on a brand that does not exist is refused',
    [kpi(SCORECARD, 'filter: {brand: neurexa}', 'filter: {brand: neurexia}')], `${SCORECARD}:38:21 scorecard/unknown-value`],
  ['a target override on a country that does not exist is refused',
    [kpi(OPEN_RATE, '{where: {brand: cardiora}', '{where: {brand: cardiora, country: DEU}')], `${OPEN_RATE}:32:42 kpi/override-value`],
  ['a population filter on a column the HCP table lacks is refused',
    [kpi('kpis/reach/reach.yaml', 'population: {target: true}', 'population: {targte: true}')], 'kpis/reach/reach.yaml:17:16 kpi/unknown-column'],
  ['a source named like a built-in property is unknown, not a crash',
    [kpi(OPEN_RATE, '    source: interactions\n    count: touches\n    where: {channel: email, event: opened', '    source: constructor\n    count: touches\n    where: {channel: email, event: opened')], `${OPEN_RATE}:17:13 kpi/unknown-source`],
  ['a filter key named __proto__ is refused as a column name',
    [kpi(OPEN_RATE, 'bot: {ne: true}', '__proto__: {ne: true}')], `${OPEN_RATE}:19:44 schema/pattern`],
  ['a filter value of the wrong type for its column is refused',
    [kpi(OPEN_RATE, 'bot: {ne: true}', 'bot: {ne: "yes"}')], `${OPEN_RATE}:19:54 kpi/value-type`],
  ['a sum over a text column is refused',
    [kpi('kpis/outcomes/trx_share.yaml', 'sum: trx}', 'sum: brand}')], 'kpis/outcomes/trx_share.yaml:16:32 kpi/column-type'],
  ['a derived KPI sliced by a dimension one of its KPIs lacks is refused',
    [{ file: 'kpis/email/engagement_ratio.yaml', to: derived('email_ctr / email_open_rate').replace('measure:', 'dimensions: [territory]\nmeasure:') }],
    'kpis/email/engagement_ratio.yaml:11:14 kpi/derived-dimension'],
  ['a target mix with a category that is not a modality is refused at the key',
    [kpi('kpis/reach/channel_mix.yaml', '{in_person: 0.34,', '{in_persn: 0.34,')], 'kpis/reach/channel_mix.yaml:22:11 kpi/mix-unknown-category'],
  ['a negative target with the default ratio bands cannot work',
    [kpi('kpis/survey/nps_gap_to_leader.yaml', 'thresholds: {mode: absolute, green: -27, amber: -37}\n', '')], 'kpis/survey/nps_gap_to_leader.yaml:27:17 kpi/thresholds-default-target'],
  ['a survey score with unit percent is refused',
    [kpi('kpis/survey/csat.yaml', 'unit: score', 'unit: percent')], 'kpis/survey/csat.yaml:10:7 kpi/unit-kind'],
  ['a grain the target does not know is refused at the key',
    [kpi(REACH, '    week:\n', '    day:\n')], `${REACH}:33:5 schema/unknown-key`],
  ['a grain entry without a value or an override is refused',
    [kpi(REACH, '    week:\n      value: 0.35\n', '    week: {}\n')], `${REACH}:33:11 schema/size`],
  ['a weekly target above 1 does not fit the unit, at the grain\'s value',
    [kpi(REACH, '      value: 0.35\n', '      value: 35\n')], `${REACH}:34:14 kpi/target-unit`],
  ['a quarterly override on a dimension the KPI does not have is refused inside the grain',
    [kpi(REACH, '        - {where: {brand: neurexa}, value: 0.51}', '        - {where: {brand: neurexa, region: north}, value: 0.51}')], `${REACH}:39:36 kpi/override-dimension`],
  ['two quarterly overrides that match the same slice equally are a tie inside the grain',
    [kpi(REACH, '        - {where: {brand: pulmivo}, value: 0.7}\n', '        - {where: {brand: pulmivo}, value: 0.7}\n        - {where: {segment: growth}, value: 0.9}\n')], `${REACH}:41:19 kpi/override-tie`],
  ['a weekly target of 0 with the default ratio bands cannot work, and is reported at the week\'s value',
    [kpi('kpis/reach/frequency.yaml', '    week:\n      value: 1.2\n', '    week:\n      value: 0\n')], 'kpis/reach/frequency.yaml:33:14 kpi/thresholds-default-target'],
  ['a fixed and a relative target together are refused',
    [kpi(OPEN_RATE, '  value: 0.22\n', '  value: 0.22\n  relative: {to: last_year, change: 0.05}\n')], `${OPEN_RATE}:31:3 kpi/target-fixed-and-relative`],
  ['a source role naming a missing column is reported in kpiops.yaml',
    [kpi(PROJECT, '    touch: message_id', '    touch: message')], `${PROJECT}:55:12 project/unknown-column`],
  ['a column referencing an unknown source is reported',
    [kpi(PROJECT, '      hcp_id: {type: string, references: hcps}\n      brand: {type: string, values: [cardiora, neurexa, pulmivo]}\n      period_start', '      hcp_id: {type: string, references: hpcs}\n      brand: {type: string, values: [cardiora, neurexa, pulmivo]}\n      period_start')], `${PROJECT}:100:42 project/unknown-source`],
  ['two HCP tables are refused',
    [kpi(PROJECT, '    description: Survey answers (NPS, CSAT, CES, intent to prescribe).\n', '    description: Survey answers (NPS, CSAT, CES, intent to prescribe).\n    entity: true\n')], `${PROJECT}:77:13 project/entity-table`],
];

describe('a broken project gets one precise diagnostic', () => {
  it.each(cases)('%s', (_name, changes, expected) => {
    const result = validateWith(changes);
    expect(located(result)).toEqual([expected]);
  });

  it('has at least 40 distinct broken inputs with distinct expectations', () => {
    expect(new Set(cases.map(([, , e]) => e)).size).toBeGreaterThanOrEqual(40);
  });
});

describe('YAML tags', () => {
  it('the core tags and the non-specific tag read as plain values', () => {
    const result = validateWith([kpi(OPEN_RATE, 'name: Email open rate\n', 'name: !!str Email open rate\n'), kpi(OPEN_RATE, 'min_sample: 100', 'min_sample: !!int "100"'), kpi(OPEN_RATE, 'stages: [awareness]', 'stages: !!seq [! awareness]')]);
    expect(located(result)).toEqual([]);
    expect(result.files.kpis.find((k) => k.spec.id === 'email_open_rate')?.spec).toMatchObject({ name: 'Email open rate', min_sample: 100, stages: ['awareness'] });
  });

  it('every refused tag of a file is reported, each naming its tag', () => {
    const result = validateWith([kpi(OPEN_RATE, 'name: Email open rate', 'name: !!timestamp 2026-01-01'), kpi(OPEN_RATE, 'unit: percent', 'unit: !<tag:example.com,2026:unit> percent')]);
    expect(result.diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`)).toEqual([
      '4:7 The tag !!timestamp is not allowed; write the value without it (kpiops reads plain YAML values; only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq may be written).',
      '11:7 The tag !<tag:example.com,2026:unit> is not allowed; write the value without it (kpiops reads plain YAML values; only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq may be written).',
    ]);
  });
});

describe('a derived formula that divides by a constant zero', () => {
  it('underlines exactly the divisor and quotes it in the message', () => {
    const result = validateWith([{ file: 'kpis/email/engagement_ratio.yaml', to: derived('email_ctr / max(0, 1 - 1) + 1') }]);
    // `max(0, 1 - 1)` is 13 characters from column 15 + 12 = 27: columns 27 to 40 (end exclusive), 0-based 26 to 39.
    expect(result.diagnostics.map((d) => [d.code, d.message, d.range])).toEqual([
      ['kpi/division-by-zero', 'The formula divides by max(0, 1 - 1), which is always zero, so it can never have a value.', { start: { line: 12, character: 26 }, end: { line: 12, character: 39 } }],
    ]);
  });

  it('leaves a divisor that names a KPI or is not zero alone', () => {
    for (const formula of ['email_ctr / email_open_rate', 'email_ctr / (1 - 0.5)', 'email_ctr / (email_open_rate - 1)', '0 / email_ctr']) {
      expect(located(validateWith([{ file: 'kpis/email/engagement_ratio.yaml', to: derived(formula) }])), formula).toEqual([]);
    }
  });
});

describe('the demo project', () => {
  it('validates clean', () => {
    expect(located(validateWith([]))).toEqual([]);
  });

  it('without kpiops.yaml reports the missing project file', () => {
    expect(located(validateWith([], { remove: ['kpiops.yaml'] }))).toEqual(['kpiops.yaml:1:1 project/missing']);
  });
});
