import { Type, type Static } from '@sinclair/typebox';
import { closed, Description, Duration, Id, Literals, OfTypes, Version } from './common.js';
import { Encoding } from './encoding.js';
import { Thresholds } from './target.js';
import { PRESET_NAMES } from './presets.js';

export const ColumnType = Literals(
  ['string', 'integer', 'number', 'boolean', 'date', 'timestamp'],
  { description: 'Column type. `timestamp` values are UTC; `date` is a calendar day.', examples: ['string'] },
);

const Scale = (description: string) => Type.Object({
  min: Type.Number({ description: 'Lowest valid score.' }),
  max: Type.Number({ description: 'Highest valid score.' }),
}, { ...closed, description, examples: [{ min: 0, max: 10 }] });

export const Column = Type.Object(
  {
    type: ColumnType,
    description: Type.Optional(Description('What the column holds, for people reading the project.')),
    references: Type.Optional(Id('The source whose key this column holds (e.g. `hcps` for an `hcp_id` column). KPIs may filter and slice by the referenced source\'s columns.', ['hcps', 'content'])),
    values: Type.Optional(Type.Array(OfTypes<string | number>(['string', 'number']), {
      minItems: 1, uniqueItems: true,
      description: 'The allowed values. Filters and channel definitions that name another value are errors.',
      examples: [['nps', 'csat', 'ces', 'intent']],
    })),
    scale: Type.Optional(Scale('For score columns: the range of valid answers; loading fails on a score outside it.')),
    scale_by: Type.Optional(Type.Object({
      column: Id('The column that says which scale applies (e.g. `survey`).', ['survey']),
      scales: Type.Record(Type.String({ minLength: 1 }), Scale('The valid range for rows with this value.'), {
        minProperties: 1, description: 'The valid range for each value of that column.',
      }),
    }, {
      ...closed,
      description: 'For a score column whose range depends on another column (NPS 0–10, CSAT 1–5 …); loading fails on a score outside its scale.',
      examples: [{ column: 'survey', scales: { nps: { min: 0, max: 10 }, csat: { min: 1, max: 5 } } }],
    })),
  },
  { ...closed, description: 'One column of a source table.', examples: [{ type: 'string', references: 'hcps' }] },
);

const ColumnName = (description: string) => Id(description, ['occurred_at']);

const MappedValue = OfTypes<string | number | boolean | null>(['string', 'number', 'boolean', 'null'], { description: 'A value of the table\'s column.' });

const NullValues = (description: string) => Type.Array(Type.String({ maxLength: 128 }), {
  minItems: 1, uniqueItems: true, description, examples: [['NA', 'n/a', '']],
});

const FROM = Type.String({ minLength: 1, maxLength: 128, description: 'The export\'s column (or the unpivot\'s `value`/`name`) to read, named exactly as in the file.', examples: ['Id'] });

/** A constant or `{from: <column>}`: one type list rather than anyOf, so an editor names the wrong key, not two branches. */
export type PartSpec = string | number | { from: string };
const Part = (description: string) => OfTypes<PartSpec>(['object', 'string', 'number'], {
  properties: { from: FROM }, required: ['from'], additionalProperties: false, description,
});

export const ExportColumn = Type.Object(
  {
    from: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'The export\'s column to take the value from, named exactly as in the file (or the unpivot\'s `value`/`name`).', examples: ['Call_Channel_vod__c'] })),
    null_values: Type.Optional(NullValues('Raw texts of this column that mean "no value" (e.g. `NA`): read as null before `map` and before the type conversion, in addition to the export\'s `null_values`.')),
    map: Type.Optional(Type.Record(Type.String(), MappedValue, {
      minProperties: 1,
      description: 'Translate the export\'s values (of the `from` column, or the text a `concat` joins): `{Face_to_face_vod: rep_visit}`. A value the map does not list fails the load (add it, or map it to null).',
      examples: [{ Face_to_face_vod: 'rep_visit', Video_vod: 'remote_detail' }],
    })),
    lookup: Type.Optional(Type.Object({
      export: Type.String({ pattern: '^[a-z][a-z0-9_]*$', description: 'Another table of the snapshot (typically another export) holding the value.', examples: ['sent_emails'] }),
      match: Type.String({ minLength: 1, maxLength: 128, description: 'This export\'s column naming the other table\'s row.', examples: ['Sent_Email_vod__c'] }),
      on: Type.String({ minLength: 1, maxLength: 128, description: 'The other table\'s column that `match` equals; its values must be unique there.', examples: ['Id'] }),
      take: Type.String({ minLength: 1, maxLength: 128, description: 'The other table\'s column whose value this column gets.', examples: ['Account_vod__c'] }),
    }, { ...closed, description: 'Take the value from the row of another table this row names (an email activity\'s HCP is its send\'s account). Every row must find its row there.' })),
    months_before: Type.Optional(Type.Object({
      from: Type.String({ minLength: 1, maxLength: 128, description: 'The export\'s column holding a date in the month counted from (a syndicated file\'s period end).', examples: ['PERIOD_END'] }),
      format: Type.Optional(Type.String({ minLength: 2, maxLength: 64, description: 'The strptime format of that date when it is not ISO, e.g. `%Y%m` for `202610`.', examples: ['%Y%m'] })),
      months: OfTypes<number | { from: string; map?: Record<string, number> }>(['integer', 'object'], {
        minimum: 0,
        properties: {
          from: { type: 'string', minLength: 1, maxLength: 128, description: 'The column (or the unpivot\'s `name`) holding the number of months.' },
          map: { type: 'object', minProperties: 1, additionalProperties: { type: 'integer', minimum: 0 }, description: 'Translate its values into numbers of months: `{TRX_M01: 0, TRX_M02: 1}`.' },
        },
        required: ['from'], additionalProperties: false,
        description: 'How many months before: a number, or read from a column (optionally through a map).',
      }),
    }, {
      ...closed,
      description: 'A month counted back from a date: the first day of the month `months` before the month of `from` (0 is that month). For rolling-period files: each period column is so many months before the file\'s period end.',
      examples: [{ from: 'PERIOD_END', format: '%Y%m', months: { from: 'period', map: { TRX_M01: 0, TRX_M02: 1 } } }],
    })),
    prefix: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Text put before the value read by `from` (after `map`), e.g. `C-` to make `1234` the key `C-1234`. A null value stays null.', examples: ['C-'] })),
    format: Type.Optional(Type.String({ minLength: 2, maxLength: 64, description: 'For dates and timestamps written in a local style: the strptime format, e.g. `%d/%m/%Y %H:%M`. Default: ISO 8601.', examples: ['%d/%m/%Y %H:%M'] })),
    constant: Type.Optional({ ...MappedValue, description: 'A constant for every row of this export, instead of `from`.' }),
    value: Type.Optional({ ...MappedValue, description: 'Same as `constant` (the older spelling).' }),
    coalesce: Type.Optional(Type.Array(Part('A column (`{from: …}`) or a constant.'), { minItems: 2, description: 'The first of these that is not null (`[{from: Parent_Call_vod__c}, {from: Id}]`).' })),
    concat: Type.Optional(Type.Array(Part('A column (`{from: …}`) or literal text.'), { minItems: 2, description: 'The parts joined into one text (`[{from: RespondentID}, "-", {from: question}]`); null when any part is null.' })),
    date_from_parts: Type.Optional(Type.Object({
      year: Part('The year (e.g. `2026`) or `{from: Year}`.'),
      month: Part('The month: 1–12 or an English month name or abbreviation (`March`, `mar`, any case), or `{from: Month}`.'),
      day: Part('The day of the month, or `{from: Day}`.'),
      time: Type.Optional(Part('For a timestamp column: the time of day `HH:MM` or `HH:MM:SS` (UTC), or `{from: Time}`.')),
    }, { ...closed, description: 'A date (or timestamp) built from separate parts. An impossible date such as 31 February fails the load; a null part gives null.' })),
    generate: Type.Optional(Type.Literal('row_hash', { description: '`row_hash`: a stable key computed from the export\'s raw row (every column, in file order) and the export name, for exports without an id column. Identical rows get identical keys, reported as duplicate keys.' })),
  },
  { ...closed, minProperties: 1, description: 'Where one column of the table comes from in this export: a column (`from`, optionally through `null_values`, `map` and `prefix`), a constant (`constant`), a computed value (`coalesce`, `concat`, `date_from_parts`, `generate`), another table\'s row (`lookup`) or a month counted back from a date (`months_before`).' },
);

export const Unpivot = Type.Object(
  {
    columns: Type.Record(Type.String({ minLength: 1, maxLength: 128 }), Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), MappedValue, {
      description: 'Values of the table\'s columns for the rows this export column produces (`{survey: nps}`).',
    }), { minProperties: 1, description: 'The export columns melted into rows, each with the values of canonical columns for the rows it produces.', examples: [{ Q1_recommend: { survey: 'nps' }, Q2_satisfied: { survey: 'csat' } }] }),
    value: Type.String({ minLength: 1, maxLength: 128, description: 'The name `from:` uses to read the melted cell.', examples: ['answer'] }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'The name `from:` uses to read the melted column\'s own name.', examples: ['question'] })),
    keep_nulls: Type.Optional(Type.Boolean({ default: false, description: 'Keep a row for an empty (null) cell; by default an empty cell produces no row.' })),
  },
  { ...closed, description: 'Melt a set of columns into rows: one row per (row of the file, listed column).' },
);

export const Export = Type.Object(
  {
    description: Type.Optional(Description('Which system the export comes from.')),
    encoding: Type.Optional(Encoding),
    preset: Type.Optional(Type.Unsafe<string>({
      type: 'string', enum: [...PRESET_NAMES],
      description: 'A vendor layout kpiops knows (see docs/presets.md): it supplies the column mappings and value maps; `columns` given here replace the preset\'s, column by column.',
      examples: ['veeva_crm/call2'],
    })),
    null_values: Type.Optional(NullValues('Raw texts that mean "no value" in every column of this export (e.g. `NA`, `n/a`): read as null before `map`, `unpivot` and the type conversion.')),
    unpivot: Type.Optional(Unpivot),
    columns: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), ExportColumn, {
      ...closed,
      minProperties: 1,
      description: 'For each column of the table, where it comes from. Columns not listed are empty (null) for this export\'s rows. Required unless a `preset` gives them.',
    })),
  },
  { ...closed, description: 'How one exported file maps onto the table.' },
);

const EntityWord = (description: string, examples: string[]) => Type.String({ pattern: '^[A-Za-z][A-Za-z -]*[A-Za-z]$', maxLength: 40, description, examples });

/** `true` (HCPs) or `{label: customer}`; dispatched on the JSON type so each mistake gets one error. */
export type EntitySpec = boolean | { label: string; plural?: string };
const Entity = OfTypes<EntitySpec>(['boolean', 'object'], {
  description: 'Marks the table of the entities KPIs count; exactly one source is the entity table. `true`: they are HCPs. `{label: customer}`: outputs call them customers (`plural` when adding "s" is wrong). Its file may be left out of a snapshot while no KPI, brief or privacy rule reads it.',
  examples: [true, { label: 'customer' }, { label: 'pharmacy', plural: 'pharmacies' }],
  properties: {
    label: EntityWord('What one entity is called in scorecards, reviews and messages, e.g. `customer`.', ['customer']),
    plural: EntityWord('The plural, when it is not the label with an "s" (default: label + "s").', ['pharmacies']),
  },
  required: ['label'],
  additionalProperties: false,
});

export const FeedOwner = Type.Object(
  {
    name: Description('Who they are, as a message greets them.', ['CRM data team']),
    email: Type.String({ format: 'email', description: 'Where the feed\'s monitor writes.', examples: ['crm-data@example.com'] }),
  },
  { ...closed, description: 'Someone told when this feed stops arriving, shrinks or changes shape.', examples: [{ name: 'CRM data team', email: 'crm-data@example.com' }] },
);

export const Monitor = Type.Object(
  {
    volume_spreads: Type.Optional(Type.Number({ exclusiveMinimum: 0, default: 3, description: 'How many robust spreads (median absolute deviation × 1.4826, at least √median) a day\'s row count may stray from the median of past days before it is a breach, a drop or a spike (default 3).', examples: [3] })),
    history_days: Type.Optional(Type.Integer({ minimum: 7, maximum: 366, default: 28, description: 'How many complete days before the judged one make the feed\'s usual day (default 28; at least 7, one of each weekday).', examples: [28] })),
    freshness: Type.Optional(Type.Boolean({ default: true, description: 'Check the latest row is no older than the source\'s `lag` plus a day (needs `time`).' })),
    volume: Type.Optional(Type.Boolean({ default: true, description: 'Check the last complete day\'s rows against past days (needs `time`).' })),
    schema: Type.Optional(Type.Boolean({ default: true, description: 'Check the file has the declared columns and no others, and report channel and event values never seen before.' })),
  },
  {
    ...closed,
    description: 'How this feed is watched for its `owners` (every check is on by default). Load-check failures are always reported.',
    examples: [{ volume_spreads: 4, history_days: 56 }],
  },
);

export const Source = Type.Object(
  {
    description: Type.Optional(Description('What this table is and which system it comes from.')),
    key: OfTypes<string | string[]>(['string', 'array'], {
      pattern: '^[a-z][a-z0-9_]*$',
      items: ColumnName('Key column.'),
      minItems: 1,
      uniqueItems: true,
      description: 'The column (or columns) that identify a row; a snapshot with duplicate or missing keys fails its load checks.',
      examples: ['event_id', ['hcp_id', 'brand', 'period_start']],
    }),
    entity: Type.Optional(Entity),
    time: Type.Optional(ColumnName('Column whose value decides the period a row counts in (UTC).')),
    touch: Type.Optional(ColumnName('Column that groups events into one touch (one email send, one visit, one webinar), e.g. `message_id`.')),
    channel: Type.Optional(ColumnName('Column holding channel ids; every value must be a channel defined in `channels/`.')),
    event: Type.Optional(ColumnName('Column holding the event name (`opened`, `attended` …); channels\' engagement events are its values.')),
    bot: Type.Optional(ColumnName('Boolean column marking automated events (mail scanners opening or clicking); such events never count as engagement or move a journey stage.')),
    validity: Type.Optional(Type.Object({
      from: ColumnName('First moment an item may be used (e.g. `approved_at`).'),
      to: ColumnName('Moment an item stops being usable, or missing when open-ended (e.g. `expires_at`).'),
    }, { ...closed, description: 'For catalog tables (content): the columns bounding when an item is available.' })),
    span: Type.Optional(Type.Object({
      start: ColumnName('First day of the row\'s period (e.g. a goal\'s `period_start`).'),
      end: ColumnName('Last day of the row\'s period; loading fails when it is before the start.'),
    }, { ...closed, description: 'For rows that cover a period (planning goals): the columns bounding it.' })),
    exports: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), Export, {
      ...closed,
      minProperties: 1,
      description: 'Build this table from exported files instead of one file: each export (a table of the snapshot) is mapped onto this table\'s columns and the results are stacked.',
    })),
    encoding: Type.Optional({ ...Encoding, description: `For a table read from its own file (no \`exports\`; each export has its own \`encoding\`): ${Encoding.description}` }),
    vintage: Type.Optional(Type.Object({
      column: ColumnName('The column naming each row\'s delivery (e.g. `delivered`, the date a syndicated file was delivered); later deliveries sort after earlier ones.'),
      keep: Type.Literal('latest', { description: 'Per key, the row of the latest delivery is kept.' }),
    }, {
      ...closed,
      description: 'For data delivered again with corrections (syndicated Rx restating past months): the files of several deliveries are loaded together, the latest delivery\'s row is kept per key, and each value it restates is reported (old → new).',
      examples: [{ column: 'delivered', keep: 'latest' }],
    })),
    lag: Type.Optional(Duration('How late this data arrives after the period ends (ISO-8601), e.g. `P1M` for Rx. Periods not yet covered are flagged, never reported as zero.', ['P1M', 'P90D'])),
    columns: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), Column, { ...closed,
      minProperties: 1,
      description: 'The table\'s columns by name.',
    }),
    owners: Type.Optional(Type.Array(FeedOwner, {
      minItems: 1,
      description: 'Who is told when this data feed stops arriving, shrinks or changes shape (see docs/monitors.md). A source without owners is not monitored.',
      examples: [[{ name: 'CRM data team', email: 'crm-data@example.com' }]],
    })),
    monitor: Type.Optional(Monitor),
  },
  { ...closed, description: 'A canonical table of the snapshot and the roles of its columns.' },
);

export const Stage = Type.Object(
  {
    id: Id('Stage id used by KPIs, channels and scorecards.', ['awareness']),
    name: Description('Display name.', ['Awareness']),
    description: Type.Optional(Description('What it means for an HCP to be at this stage.')),
  },
  { ...closed },
);

export const ProjectSchema = Type.Object(
  {
    version: Version,
    name: Description('The project name shown in scorecards and pull-request comments.', ['Acme Pharma — EU omnichannel']),
    timezone: Type.Optional(Type.Literal('UTC', { description: 'Periods are computed in UTC.', default: 'UTC' })),
    calendar: Type.Optional(Type.Object({
      week_start: Type.Optional(Type.Literal('monday', { description: 'Weeks are ISO weeks, starting on Monday.', default: 'monday' })),
      fiscal_year_start: Type.Optional(Type.Integer({ minimum: 1, maximum: 12, default: 1, description: 'Month (1–12) the fiscal year starts in; quarters follow it.' })),
    }, { ...closed, description: 'How periods are cut.' })),
    privacy: Type.Optional(Type.Object({
      min_cell_size: Type.Integer({ minimum: 1, default: 11, description: 'Cells counting fewer HCPs than this are suppressed in scorecards (default 11).' }),
      rep_facing_rx: Type.Optional(Type.Object({
        opt_out: Type.String({ pattern: '^[a-z][a-z0-9_]*$', description: 'Boolean column of the HCP table: the HCP opted out of sharing prescribing data with reps (PDRP).', examples: ['pdrp_opt_out'] }),
        sources: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), { minItems: 1, uniqueItems: true, description: 'Sources holding prescribing data (with an HCP reference).', examples: [['rx']] }),
      }, { ...closed, description: 'Scorecards for reps (those with a `brief`) compute every figure on these sources without the opted-out HCPs.' })),
    }, { ...closed, description: 'Privacy rules applied to every scorecard.' })),
    warehouse: Type.Optional(Type.Object({
      engine: Type.Literal('postgres', { description: 'The warehouse kpiops runs plans on with `kpiops eval --engine postgres`.' }),
      url_env: Type.Optional(Type.String({ pattern: '^[A-Z_][A-Z0-9_]*$', default: 'DATABASE_URL', description: 'Environment variable holding the connection URL (postgres://user@host:port/db). The URL, with its password, never goes in YAML.', examples: ['DATABASE_URL'] })),
      schema: Type.Optional(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 63, description: 'Schema holding the tables (default: the connection\'s search path).', examples: ['kpiops'] })),
      tables: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_$]*$', maxLength: 63 }), {
        description: 'Source → the warehouse table or view holding its rows, with the declared column names (default: the source name).', examples: [{ interactions: 'crm_interactions_v' }],
      })),
      statement_timeout_s: Type.Optional(Type.Integer({ minimum: 1, default: 1800, description: 'Seconds a query may run before the warehouse cancels it.' })),
    }, { ...closed, description: 'Warehouse mode: the same compiled KPIs pushed down to the company\'s database instead of a snapshot on this machine. kpiops only reads (a read-only session).' })),
    journey: Type.Object({
      stages: Type.Array(Stage, { minItems: 1, description: 'The customer-journey stages in order, earliest first.' }),
    }, { ...closed, description: 'The customer journey KPIs and channel events map onto.' }),
    thresholds: Type.Optional(Thresholds),
    sources: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), Source, { ...closed,
      minProperties: 1,
      description: 'The canonical tables of a data snapshot, by name.',
    }),
  },
  {
    ...closed,
    title: 'kpiops project (kpiops.yaml)',
    description: 'Project settings: data sources, journey stages, default thresholds, privacy and calendar.',
  },
);

/**
 * The project file, `kpiops.yaml`.
 *
 * ```yaml
 * version: kpiops/v1
 * name: Acme Pharma — EU omnichannel
 * privacy: {min_cell_size: 11}
 * journey:
 *   stages:
 *     - {id: awareness, name: Awareness}
 *     - {id: consideration, name: Consideration}
 * sources:
 *   hcps:
 *     entity: true
 *     key: hcp_id
 *     columns:
 *       hcp_id: {type: string}
 *       target: {type: boolean}
 *   interactions:
 *     key: event_id
 *     time: occurred_at
 *     owners: [{name: CRM data team, email: crm-data@example.com}]
 *     monitor: {history_days: 28}
 *     columns:
 *       event_id: {type: string}
 *       occurred_at: {type: timestamp}
 * ```
 */
export type ProjectSpec = Static<typeof ProjectSchema>;
export type SourceSpec = Static<typeof Source>;
export type ColumnSpec = Static<typeof Column>;
export type ExportColumnSpec = Static<typeof ExportColumn>;
export type ExportSpec = Static<typeof Export>;
export type UnpivotSpec = Static<typeof Unpivot>;
export type FeedOwnerSpec = Static<typeof FeedOwner>;
export type MonitorSpec = Static<typeof Monitor>;
