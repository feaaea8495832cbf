import type { ProjectFiles } from '../../model/project.js';
import type { ColumnSpec, ExportColumnSpec, ExportSpec, SourceSpec } from '../../spec/project.js';
import { presetOf } from '../../presets/expand.js';
import type { Rule, RuleContext } from '../rule.js';
import { suggest } from '../suggest.js';

/** The values a column accepts in mappings: channel ids for a channel column, declared values otherwise. */
function allowedValues(source: SourceSpec, column: string, spec: ColumnSpec, files: ProjectFiles): string[] | undefined {
  if (source.channel === column) return [...files.channels.map((c) => c.spec.id), ...files.unchecked.channel];
  return spec.values?.map(String);
}

/** The ways a mapping says where its value comes from; exactly one is given. */
const KINDS = ['from', 'constant', 'value', 'coalesce', 'concat', 'date_from_parts', 'generate', 'lookup', 'months_before'] as const;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Why a constant date part is no such part, or undefined when it is one. */
function datePartProblem(part: 'year' | 'month' | 'day' | 'time', value: string | number): string | undefined {
  const text = String(value).trim();
  const between = (min: number, max: number) => /^[0-9]+$/.test(text) && Number(text) >= min && Number(text) <= max;
  switch (part) {
    case 'year': return /^[0-9]{4}$/.test(text) ? undefined : 'a four-digit year';
    case 'month': return between(1, 12) || MONTHS.some((m) => m === text.toLowerCase() || m.slice(0, 3) === text.toLowerCase()) || text.toLowerCase() === 'sept'
      ? undefined : 'a month: 1–12 or an English month name or abbreviation (March, mar)';
    case 'day': return between(1, 31) ? undefined : 'a day of the month (1–31)';
    case 'time': return /^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$/.test(text) ? undefined : 'a time of day HH:MM or HH:MM:SS';
  }
}

function checkMapping(ctx: RuleContext, source: SourceSpec, column: string, spec: ColumnSpec, mapping: ExportColumnSpec, path: Array<string | number>) {
  const file = ctx.files.project!.file;
  const shape = (detail: string, at: Array<string | number> = path) => ctx.report('project/export-column-shape', { detail }, { file, path: at, target: 'key' });
  const given = KINDS.filter((k) => mapping[k] !== undefined);
  if (given.length !== 1) {
    const list = given.map((k) => `\`${k}\``).join(' and ');
    shape(given.length === 0
      ? `Give one of \`from\` (a column of the export), \`constant\`, \`coalesce\`, \`concat\`, \`date_from_parts\`, \`generate\`, \`lookup\` (another table's row) or \`months_before\` (a month counted back from a date).`
      : `${column} is given by ${list}; give exactly one (\`value\` is the older spelling of \`constant\`).`);
  }
  const from = mapping.from !== undefined;
  const reads = from || mapping.coalesce !== undefined || mapping.concat !== undefined || mapping.date_from_parts !== undefined;
  // A concat's joined text can be translated too: several flag columns make one value (`1/0/0` → completed).
  if (mapping.map && !from && mapping.concat === undefined) shape('`map` translates the values of a `from` column or of a `concat`; give one of them with it.', [...path, 'map']);
  if (mapping.prefix !== undefined && !from) shape('`prefix` goes before the value of a `from` column; in a computed column write it as a `concat` part.', [...path, 'prefix']);
  if (mapping.null_values && !reads) shape('`null_values` applies to values read from the export (`from`, or `{from:}` parts); a constant or a generated key has none.', [...path, 'null_values']);
  if (mapping.format && (!from || (spec.type !== 'date' && spec.type !== 'timestamp'))) {
    shape(from ? `\`format\` reads dates and timestamps; ${column} is a ${spec.type} column.` : '`format` reads the text of a `from` column.', [...path, 'format']);
  }
  if (mapping.months_before && spec.type !== 'date') {
    shape(`\`months_before\` gives a month (its first day); ${column} is ${/^[aeiou]/.test(spec.type) ? 'an' : 'a'} ${spec.type} column, not a date column.`, [...path, 'months_before']);
  }
  if (mapping.generate !== undefined && spec.type !== 'string') {
    shape(`\`generate: row_hash\` makes a text key; ${column} is ${spec.type === 'integer' ? 'an' : 'a'} ${spec.type} column (declare it \`type: string\`).`, [...path, 'generate']);
  }
  const parts = mapping.date_from_parts;
  if (parts) {
    if (spec.type !== 'date' && spec.type !== 'timestamp') shape(`\`date_from_parts\` builds a date or timestamp; ${column} is a ${spec.type} column.`, [...path, 'date_from_parts']);
    if (parts.time !== undefined && spec.type === 'date') shape(`${column} is a date column: a \`time\` part has no place in it (declare it \`type: timestamp\`, or drop \`time\`).`, [...path, 'date_from_parts', 'time']);
    for (const part of ['year', 'month', 'day', 'time'] as const) {
      const value = parts[part];
      if (value === undefined || typeof value === 'object') continue;
      const accepted = datePartProblem(part, value);
      if (accepted) ctx.report('project/export-date-part', { part, value: String(value), accepted }, { file, path: [...path, 'date_from_parts', part] });
    }
  }
}

function checkUnpivot(ctx: RuleContext, name: string, source: SourceSpec, exp: ExportSpec, at: Array<string | number>) {
  const unpivot = exp.unpivot;
  if (!unpivot) return;
  const file = ctx.files.project!.file;
  const path = [...at, 'unpivot'];
  const problem = (detail: string, where: Array<string | number>, target?: 'key') => ctx.report('project/export-unpivot', { detail }, { file, path: where, ...(target ? { target } : {}) });
  if (unpivot.name === unpivot.value) problem(`The unpivot's \`value\` and \`name\` are both "${unpivot.value}": \`from\` could not tell the melted cell from the melted column's name.`, [...path, 'name']);
  for (const field of ['value', 'name'] as const) {
    const given = unpivot[field];
    if (given !== undefined && given in unpivot.columns) problem(`The unpivot's \`${field}\` "${given}" is also a column it melts; give the melted ${field === 'value' ? 'cell' : 'column name'} a name of its own (e.g. \`${field === 'value' ? 'answer' : 'question'}\`).`, [...path, field]);
  }
  for (const [exportColumn, values] of Object.entries(unpivot.columns)) {
    for (const [column, value] of Object.entries(values)) {
      const valuePath = [...path, 'columns', exportColumn, column];
      const spec = source.columns[column];
      if (!spec) {
        ctx.report('project/export-column', { name: column, source: name, export: at[3] as string, suggestion: suggest(column, Object.keys(source.columns)) }, { file, path: valuePath, target: 'key' });
        continue;
      }
      if (exp.columns?.[column]) problem(`${column} is set both by the unpivot (for ${exportColumn}) and in \`columns\`; keep one.`, valuePath, 'key');
      const allowed = allowedValues(source, column, spec, ctx.files);
      if (allowed && value !== null && !allowed.includes(String(value))) {
        ctx.report('project/export-value', { name: String(value), column: `${name}.${column}`, suggestion: suggest(String(value), allowed) }, { file, path: valuePath });
      }
    }
  }
}

/** The columns an export's unpivot sets, for every row it produces. */
const unpivotSets = (exp: ExportSpec) => new Set(Object.values(exp.unpivot?.columns ?? {}).flatMap((values) => Object.keys(values)));

function checkSource(ctx: RuleContext, name: string, source: SourceSpec) {
  const file = ctx.files.project!.file;
  const keys = Array.isArray(source.key) ? source.key : [source.key];
  for (const [exportName, exp] of Object.entries(source.exports ?? {})) {
    const at = ['sources', name, 'exports', exportName];
    for (const key of keys) {
      if (!exp.columns?.[key] && !unpivotSets(exp).has(key)) ctx.report('project/export-missing-key', { export: exportName, key }, { file, path: [...at, 'columns'], target: 'key' });
    }
    checkUnpivot(ctx, name, source, exp, at);
    for (const [column, mapping] of Object.entries(exp.columns ?? {})) {
      const path = [...at, 'columns', column];
      const spec = source.columns[column];
      if (!spec) {
        ctx.report('project/export-column', { name: column, source: name, export: exportName, suggestion: suggest(column, Object.keys(source.columns)) }, { file, path, target: 'key' });
        continue;
      }
      checkMapping(ctx, source, column, spec, mapping, path);
      const allowed = allowedValues(source, column, spec, ctx.files);
      if (!allowed) continue;
      const prefix = mapping.prefix ?? '';
      const constant = mapping.constant !== undefined ? 'constant' : 'value';
      const produced: Array<[unknown, Array<string | number>]> = mapping.map
        ? Object.entries(mapping.map).map(([k, v]) => [v === null ? null : prefix + String(v), [...path, 'map', k]])
        : mapping[constant] !== undefined ? [[mapping[constant], [...path, constant]]] : [];
      // A preset's map is not in the file: its findings point at the `preset:` line and name the preset.
      const preset = presetOf(mapping);
      for (const [value, valuePath] of produced) {
        if (value === null || value === undefined || allowed.includes(String(value))) continue;
        ctx.report('project/export-value', { name: String(value), column: `${name}.${column}`, suggestion: suggest(String(value), allowed), preset }, { file, path: preset ? [...at, 'preset'] : valuePath });
      }
    }
  }
}

/**
 * Export mappings build a table from exported files: they map only declared columns,
 * always map the key, say in exactly one way where each value comes from (`from`, a constant or
 * a computed value), use each option where it means something, and produce only valid values.
 */
export const projectExports: Rule = {
  name: 'project-exports',
  check(ctx) {
    for (const [name, source] of Object.entries(ctx.project.sources)) checkSource(ctx, name, source);
  },
};
