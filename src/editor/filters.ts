import { choice, ref } from './choice.js';
import type { FilterColumn, Vocabulary } from './vocabulary.js';

type Schema = Record<string, unknown>;

const JSON_TYPE: Record<FilterColumn['type'], string> = {
  string: 'string', date: 'string', timestamp: 'string', integer: 'integer', number: 'number', boolean: 'boolean',
};

/** The definition name of a source's filter. */
export const filterDef = (source: string) => `filter.${source}`;
const valuesDef = (source: string, column: string) => `values.${source}.${column}`;

/** What a filter may say about a column: a value, a list (one of), nothing, or a comparison. */
const condition = (value: Schema): Schema => ({ anyOf: [value, { type: 'array', minItems: 1, items: value }, { type: 'null' }, ref('comparison')] });

/** A column's condition: shared by every column of its type, or its own when the project lists its values. */
function columnSchema(source: string, column: FilterColumn, defs: Schema): Schema {
  if (column.values && column.values.length > 0) {
    defs[valuesDef(source, column.id)] = choice(column.values, column.description ?? `A value of ${column.id}.`);
    return { description: column.description, ...condition(ref(valuesDef(source, column.id))) };
  }
  const type = JSON_TYPE[column.type];
  defs[`condition.${type}`] ??= condition({ type });
  return ref(`condition.${type}`, column.description);
}

/**
 * One filter definition per source, naming only the columns `kpiops validate` accepts
 * there (its own and, through a reference, the HCP table's) and, where the project lists
 * them, only their values: the channel ids for the channel column, the events for the event column.
 */
export function sourceFilters(v: Vocabulary, published: Schema, defs: Schema): void {
  for (const [source, columns] of Object.entries(v.filters)) {
    const self = ref(filterDef(source));
    const props = published.properties as Record<string, Schema>;
    defs[filterDef(source)] = {
      type: 'object',
      description: published.description,
      propertyNames: published.propertyNames,
      properties: {
        all: { ...props.all, items: self },
        any: { ...props.any, items: self },
        not: ref(filterDef(source), props.not!.description),
        ...Object.fromEntries(columns.map((c) => [c.id, columnSchema(source, c, defs)])),
      },
      additionalProperties: false,
    };
  }
}

/**
 * Makes the `where` (and funnel steps' `where`) of a node with a `source` use that
 * source's filter. An `if` on the source chooses it, so the editor follows the source
 * as it is typed; while the source is not one of the project's, the filter is left open.
 */
export function dispatchOnSource(node: Schema, v: Vocabulary): void {
  const props = node.properties as Record<string, Schema>;
  const steps = props.steps?.items as Schema | undefined;
  if (!props.where && !steps) return;
  const open = (s: Schema) => ({ type: 'object', description: s.description });
  if (props.where) props.where = open(props.where);
  const stepProps = steps?.properties as Record<string, Schema> | undefined;
  if (stepProps?.where) stepProps.where = open(stepProps.where);
  node.allOf = Object.keys(v.filters).map((source) => ({
    if: { properties: { source: { const: source } }, required: ['source'] },
    then: {
      properties: {
        ...(props.where ? { where: ref(filterDef(source)) } : {}),
        ...(steps ? { steps: { items: { properties: { where: ref(filterDef(source)) } } } } : {}),
      },
    },
  }));
}
