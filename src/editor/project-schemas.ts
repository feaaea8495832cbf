import { createHash } from 'node:crypto';
import type { Kind } from '../spec/kinds.js';
import { KINDS } from '../spec/kinds.js';
import { choice, names, ref } from './choice.js';
import { dispatchOnSource, filterDef, sourceFilters } from './filters.js';
import type { Vocabulary } from './vocabulary.js';

type Schema = Record<string, unknown>;

/** The kinds whose files an editor checks against a generated schema. */
export const EDITOR_KINDS = ['project', 'channel', 'kpi', 'scorecard', 'alert'] as const satisfies readonly Kind[];
export type EditorKind = (typeof EDITOR_KINDS)[number];

/** Where the generated schemas live, relative to the project root. */
export const EDITOR_SCHEMA_DIR = '.kpiops/schemas';
/** The key each generated schema stores its inputs' hash under (an annotation editors ignore). */
export const INPUTS_KEY = 'x-kpiops-inputs';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Calls `visit` on every `properties` entry of every object schema under `node`. */
function eachProperty(node: unknown, visit: (name: string, schema: Schema, parent: Schema) => Schema | undefined): void {
  if (typeof node !== 'object' || node === null) return;
  const obj = node as Schema;
  const props = obj.properties as Record<string, Schema> | undefined;
  if (props && typeof props === 'object' && !Array.isArray(props)) {
    for (const [name, sub] of Object.entries(props)) {
      const replaced = visit(name, sub, obj);
      if (replaced) props[name] = replaced;
    }
  }
  for (const [key, value] of Object.entries(obj)) {
    // `if`/`then` hold the source dispatch this walk adds: its constants are not places to rewrite.
    if (key === 'examples' || key === 'default' || key === 'enum' || key === 'const' || key === 'if' || key === 'then') continue;
    if (Array.isArray(value)) value.forEach((v) => eachProperty(v, visit));
    else eachProperty(value, visit);
  }
}

/** The shared definitions the project's ids are listed in, once per schema file. */
function definitions(v: Vocabulary): Schema {
  const defs: Schema = {
    channel_id: choice(v.channels, 'A channel of this project (a file in `channels/`).'),
    kpi_id: choice(v.kpis, 'A KPI of this project (a file in `kpis/`).'),
    stage_id: choice(v.stages, 'A journey stage of this project (`journey.stages` in `kpiops.yaml`).'),
    source_name: choice(v.sources, 'A source of this project (`sources` in `kpiops.yaml`).'),
    column_name: choice(v.columns, 'A column of a source of this project.'),
    numeric_column: choice(v.columns.filter((c) => v.numeric.includes(c.id)), 'A number column of a source of this project.'),
    temporal_column: choice(v.columns.filter((c) => v.temporal.includes(c.id)), 'A date or timestamp column of a source of this project.'),
    ...(v.events ? { event: choice(v.events, 'An event of this project (the `values` of the interactions table\'s event column).') } : {}),
    ...(v.tags ? { tag: choice(names(v.tags), 'A tag some KPI of this project has.') } : {}),
  };
  // A list with nothing to choose from would reject every value: such places stay as published.
  return Object.fromEntries(Object.entries(defs).filter(([, d]) => ((d as { enum: unknown[] }).enum).length > 0));
}

/** Keeps only the definitions the schema uses, directly or through another definition. */
function used(schema: Schema, defs: Schema): Schema {
  const keep = new Set<string>();
  const scan = (node: unknown) => {
    for (const m of JSON.stringify(node).matchAll(/"#\/\$defs\/([^"]+)"/g)) {
      const name = m[1]!;
      if (keep.has(name) || !(name in defs)) continue;
      keep.add(name);
      scan(defs[name]);
    }
  };
  scan({ ...schema, $defs: undefined });
  return Object.fromEntries(Object.keys(defs).sort().filter((n) => keep.has(n)).map((n) => [n, defs[n]]));
}

/** Replaces the id places of one kind's schema with references to the project's lists. */
function rewrite(kind: EditorKind, schema: Schema, defs: Schema, v: Vocabulary): void {
  const has = (name: string) => name in defs;
  const to = (name: string, sub: Schema) => (has(name) ? ref(name, sub.description) : undefined);
  const list = (name: string, sub: Schema) => (has(name) ? { ...sub, items: ref(name, (sub.items as Schema).description) } : undefined);
  const properties = schema.properties as Record<string, Schema>;
  if (kind === 'kpi') {
    sourceFilters(v, defs.filter as Schema, defs);
    eachProperty(properties.measure, (name, sub, parent) => {
      if (name === 'source') dispatchOnSource(parent, v);
      if (name === 'population' && v.entity) return ref(filterDef(v.entity), sub.description);
      if (name === 'source') return to('source_name', sub);
      if (name === 'kpi') return to('kpi_id', sub);
      if (name === 'sum' || name === 'column' || name === 'points') return to('numeric_column', sub);
      if (name === 'start' || name === 'end') return to('temporal_column', sub);
      if (name === 'per' && !sub.enum) return to('column_name', sub);
      return undefined;
    });
    eachProperty(properties.target, (name, sub) => (name === 'source' ? to('source_name', sub) : undefined));
    properties.stages = list('stage_id', properties.stages!) ?? properties.stages!;
    if (properties.dimensions) properties.dimensions = list('column_name', properties.dimensions) ?? properties.dimensions;
  }
  if (kind === 'scorecard') scorecardIds(properties, defs);
  if (kind === 'alert') alertIds(properties, defs);
  if (kind === 'project') projectNames(properties, defs);
  if (kind === 'channel') {
    for (const key of ['engagement_events', 'received_events']) properties[key] = list('event', properties[key]!) ?? properties[key]!;
    const map = properties.stage_map!;
    const [pattern] = Object.keys(map.patternProperties as Schema);
    if (has('stage_id')) (map.patternProperties as Schema)[pattern!] = ref('stage_id', 'The journey stage this event shows the HCP has reached.');
    if (has('event')) map.propertyNames = ref('event');
  }
}

/** The KPI selectors of a scorecard or an alert (`- reach`, `{tag: …}`, `{stage: …}`, `{kpi: …}`) name the project's ids. */
function kpiSelectors(properties: Record<string, Schema>, defs: Schema): void {
  const selector = (properties.kpis!.items as Schema);
  const { description, examples: _examples, pattern: _pattern, maxLength: _maxLength, type: _type, ...mapping } = selector;
  const keys = mapping.properties as Record<string, Schema>;
  if ('tag' in defs) keys.tag = ref('tag', keys.tag!.description);
  if ('stage_id' in defs) keys.stage = ref('stage_id', keys.stage!.description);
  if ('kpi_id' in defs && keys.kpi) keys.kpi = ref('kpi_id', keys.kpi.description);
  // Told apart by JSON type, so `anyOf` cannot match twice; the string branch lists the KPIs.
  const id = 'kpi_id' in defs ? ref('kpi_id') : { type: 'string', pattern: _pattern, maxLength: _maxLength };
  properties.kpis!.items = { description, anyOf: [id, { type: 'object', ...mapping }] };
}

/** An alert's KPI selectors and `by` dimensions name the project's ids. */
function alertIds(properties: Record<string, Schema>, defs: Schema): void {
  kpiSelectors(properties, defs);
  if ('column_name' in defs) properties.by = { ...properties.by, items: ref('column_name') };
}

/** A scorecard's KPI selectors, stages, dimensions and brief name the project's ids. */
function scorecardIds(properties: Record<string, Schema>, defs: Schema): void {
  kpiSelectors(properties, defs);
  if ('stage_id' in defs && properties.stages) properties.stages = { ...properties.stages, items: ref('stage_id') };
  if ('column_name' in defs) {
    properties.slice = { ...properties.slice, items: ref('column_name') };
    properties.breakdown = ref('column_name', properties.breakdown!.description);
  }
  const brief = properties.brief!.properties as Record<string, Schema>;
  const item = (brief.open_items!.items as Schema).properties as Record<string, Schema>;
  // `kpiops validate` does not check these names yet: offered for completion, never flagged.
  if ('event' in defs) item.event = { ...item.event, anyOf: [ref('event'), { type: 'string' }] };
  if ('channel_id' in defs) item.closed_by = { ...item.closed_by, items: { ...(item.closed_by!.items as Schema), anyOf: [ref('channel_id'), { type: 'string' }] } };
}

/**
 * In `kpiops.yaml` the sources are declared in the same file that names them, so a list
 * written before a source was added would flag it while it is being typed: names are
 * offered for completion there, never flagged.
 */
function projectNames(properties: Record<string, Schema>, defs: Schema): void {
  const offer = (name: string, sub: Schema) => (name in defs ? { ...sub, anyOf: [ref(name), { type: 'string' }] } : sub);
  const source = (properties.sources!.patternProperties as Record<string, Schema>);
  for (const spec of Object.values(source)) {
    const columns = (spec.properties as Record<string, Schema>).columns!.patternProperties as Record<string, Schema>;
    for (const column of Object.values(columns)) {
      const props = column.properties as Record<string, Schema>;
      props.references = offer('source_name', props.references!);
    }
  }
  const rx = ((properties.privacy!.properties as Record<string, Schema>).rep_facing_rx!.properties) as Record<string, Schema>;
  rx.sources = { ...rx.sources, items: offer('source_name', rx.sources!.items as Schema) };
  rx.opt_out = offer('column_name', rx.opt_out!);
}

/** A hash of everything a generated schema is built from: the published schemas and the project's ids. */
export function inputsHash(published: (kind: Kind) => Schema, v: Vocabulary): string {
  const hash = createHash('sha256');
  for (const kind of EDITOR_KINDS) hash.update(JSON.stringify(published(kind))).update('\0');
  hash.update(JSON.stringify(v));
  return `sha256:${hash.digest('hex')}`;
}

/** The generated schema file of each editor kind, as text: the same project gives the same bytes. */
export function projectSchemas(published: (kind: Kind) => Schema, v: Vocabulary): Array<{ file: string; text: string }> {
  const hash = inputsHash(published, v);
  return EDITOR_KINDS.map((kind) => {
    const schema = clone(published(kind));
    const all = { ...(schema.$defs as Schema | undefined), ...definitions(v) };
    rewrite(kind, schema, all, v);
    const defs = used(schema, all);
    const head = {
      $schema: schema.$schema,
      $comment: 'Generated by `kpiops schemas` from the published kpiops schema and this project\'s ids. Do not edit: run `kpiops schemas` again after adding or renaming a channel, KPI, stage, source or column.',
      [INPUTS_KEY]: hash,
    };
    const body = { ...head, ...schema, $defs: defs };
    if (Object.keys(defs).length === 0) delete (body as Schema).$defs;
    return { file: KINDS[kind].file, text: `${JSON.stringify(body)}\n` };
  });
}
