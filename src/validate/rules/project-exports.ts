import type { ProjectFiles } from '../files.js';
import type { ColumnSpec, ExportColumnSpec, ExportSpec, SourceSpec } from '../../spec/project.js';
import { presetOf } from '../../presets/expand.js';
import type { Rule, RuleContext } from '../rule.js';
import { suggest } from '../../text/suggest.js';

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
  // Findings about a mapping's options point at the option's key.
  const at = (key?: string) => ({ file, path: key === undefined ? path : [...path, key], target: 'key' as const });
  const given = KINDS.filter((k) => mapping[k] !== undefined);
  if (given.length === 0) ctx.report('project/export-mapping-missing', { column }, at());
  if (given.length > 1) ctx.report('project/export-mapping-ambiguous', { column, given }, at());
  const from = mapping.from !== undefined;
  const reads = from || mapping.coalesce !== undefined || mapping.concat !== undefined || mapping.date_from_parts !== undefined;
  // A concat's joined text can be translated too: several flag columns make one value (`1/0/0` → completed).
  const type = spec.type;
  if (mapping.map && !from && mapping.concat === undefined) ctx.report('project/export-option', { column, option: 'map' }, at('map'));
  if (mapping.prefix !== undefined && !from) ctx.report('project/export-option', { column, option: 'prefix' }, at('prefix'));
  if (mapping.null_values && !reads) ctx.report('project/export-option', { column, option: 'null_values' }, at('null_values'));
  if (mapping.format && !from) ctx.report('project/export-option', { column, option: 'format' }, at('format'));
  else if (mapping.format && type !== 'date' && type !== 'timestamp') ctx.report('project/export-type', { column, option: 'format', type }, at('format'));
  if (mapping.months_before && type !== 'date') ctx.report('project/export-type', { column, option: 'months_before', type }, at('months_before'));
  if (mapping.generate !== undefined && type !== 'string') ctx.report('project/export-type', { column, option: 'generate', type }, at('generate'));
  const parts = mapping.date_from_parts;
  if (parts) {
    if (type !== 'date' && type !== 'timestamp') ctx.report('project/export-type', { column, option: 'date_from_parts', type }, at('date_from_parts'));
    if (parts.time !== undefined && type === 'date') ctx.report('project/export-time-part', { column }, { file, path: [...path, 'date_from_parts', 'time'], target: 'key' });
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
  if (unpivot.name === unpivot.value) ctx.report('project/unpivot-same-name', { name: unpivot.value }, { file, path: [...path, 'name'] });
  for (const field of ['value', 'name'] as const) {
    const given = unpivot[field];
    if (given !== undefined && given in unpivot.columns) ctx.report('project/unpivot-melted-name', { field, name: given }, { file, path: [...path, field] });
  }
  for (const [exportColumn, values] of Object.entries(unpivot.columns)) {
    for (const [column, value] of Object.entries(values)) {
      const valuePath = [...path, 'columns', exportColumn, column];
      const spec = source.columns[column];
      if (!spec) {
        ctx.report('project/export-column', { name: column, source: name, export: at[3] as string, suggestion: suggest(column, Object.keys(source.columns)) }, { file, path: valuePath, target: 'key' });
        continue;
      }
      if (exp.columns?.[column]) ctx.report('project/unpivot-also-mapped', { column, melted: exportColumn }, { file, path: valuePath, target: 'key' });
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
