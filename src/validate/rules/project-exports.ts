import type { ProjectFiles } from '../../model/project.js';
import type { ColumnSpec, SourceSpec } from '../../spec/project.js';
import { presetOf } from '../../presets/expand.js';
import type { Rule, RuleContext } from '../rule.js';
import { suggest } from '../suggest.js';

/** The values a column accepts in mappings: channel ids for a channel column, declared values otherwise. */
function allowedValues(source: SourceSpec, column: string, spec: ColumnSpec, files: ProjectFiles): string[] | undefined {
  if (source.channel === column) return [...files.channels.map((c) => c.spec.id), ...files.unchecked.channel];
  return spec.values?.map(String);
}

function checkSource(ctx: RuleContext, name: string, source: SourceSpec) {
  const file = ctx.files.project!.file;
  const keys = Array.isArray(source.key) ? source.key : [source.key];
  for (const [exportName, exp] of Object.entries(source.exports ?? {})) {
    const at = ['sources', name, 'exports', exportName];
    for (const key of keys) {
      if (!exp.columns?.[key]) ctx.report('project/export-missing-key', { export: exportName, key }, { file, path: [...at, 'columns'], target: 'key' });
    }
    for (const [column, mapping] of Object.entries(exp.columns ?? {})) {
      const path = [...at, 'columns', column];
      const spec = source.columns[column];
      if (!spec) {
        ctx.report('project/export-column', { name: column, source: name, export: exportName, suggestion: suggest(column, Object.keys(source.columns)) }, { file, path, target: 'key' });
        continue;
      }
      const from = mapping.from !== undefined;
      if ([from, mapping.value !== undefined, mapping.lookup !== undefined, mapping.months_before !== undefined].filter(Boolean).length !== 1) {
        ctx.report('project/export-column-shape', { detail: 'Give exactly one of `from` (a column of the export), `value` (a constant), `lookup` (another table\'s row) or `months_before` (a month counted back from a date).' }, { file, path, target: 'key' });
      }
      if (mapping.months_before && spec.type !== 'date') {
        ctx.report('project/export-column-shape', { detail: `\`months_before\` gives a month (its first day); ${column} is ${/^[aeiou]/.test(spec.type) ? 'an' : 'a'} ${spec.type} column, not a date column.` }, { file, path: [...path, 'months_before'], target: 'key' });
      }
      if (mapping.map && !from) ctx.report('project/export-column-shape', { detail: '`map` translates the values of a `from` column; a constant needs no map.' }, { file, path: [...path, 'map'], target: 'key' });
      if (mapping.format && spec.type !== 'date' && spec.type !== 'timestamp') {
        ctx.report('project/export-column-shape', { detail: `\`format\` reads dates and timestamps; ${column} is a ${spec.type} column.` }, { file, path: [...path, 'format'], target: 'key' });
      }
      const allowed = allowedValues(source, column, spec, ctx.files);
      if (!allowed) continue;
      const produced: Array<[unknown, Array<string | number>]> = mapping.map
        ? Object.entries(mapping.map).map(([k, v]) => [v, [...path, 'map', k]])
        : [[mapping.value, [...path, 'value']]];
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
 * always map the key, use `from` or `value` (not both), and produce only valid values.
 */
export const projectExports: Rule = {
  name: 'project-exports',
  check(ctx) {
    for (const [name, source] of Object.entries(ctx.project.sources)) checkSource(ctx, name, source);
  },
};
