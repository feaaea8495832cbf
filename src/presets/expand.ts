import { isDeepStrictEqual } from 'node:util';
import type { Code, ParamsOf } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { rangeFor, toPointer, type ValuePath } from '../source/locate.js';
import { withoutPrototypes, type YamlFile } from '../source/yaml-file.js';
import { diagnostic } from '../diagnostics/create.js';
import type { ExportColumnSpec, ExportSpec, ProjectSpec, SourceSpec } from '../spec/project.js';
import { suggest } from '../text/suggest.js';
import { PRESETS } from './index.js';
import type { PresetColumn, PresetLookup, TeamUnpivot } from './preset.js';

/**
 * The project as the loader reads it: every export that names a preset gets the preset's
 * column mappings, with the columns the team wrote replacing them one by one. The export
 * keeps its `preset` name, only so load findings can say which preset needs a field.
 */
export function expandPresets(spec: ProjectSpec, file: YamlFile): { spec: ProjectSpec; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const report = <C extends Code>(code: C, params: ParamsOf<C>, path: ValuePath) =>
    diagnostics.push(diagnostic(code, params, { file: file.path, range: rangeFor(file, path), path: toPointer(path) }));
  // Which exports each preset builds, for presets whose lookups read another preset's export.
  const users = new Map<string, string[]>();
  for (const source of Object.values(spec.sources)) {
    for (const [exportName, exp] of Object.entries(source.exports ?? {})) if (exp.preset) users.set(exp.preset, [...(users.get(exp.preset) ?? []), exportName]);
  }
  const sources: Record<string, SourceSpec> = {};
  for (const [name, source] of Object.entries(spec.sources)) {
    if (!source.exports) {
      sources[name] = source;
      continue;
    }
    const exports: Record<string, ExportSpec> = {};
    for (const [exportName, exp] of Object.entries(source.exports)) {
      const at = ['sources', name, 'exports', exportName];
      const preset = exp.preset === undefined ? undefined : PRESETS.get(exp.preset);
      if (!preset) {
        // An unknown name is a schema error already; without columns the export says nothing to check.
        if (exp.preset === undefined && !exp.columns) report('schema/required', { key: 'columns', where: `export ${exportName} (an export needs \`columns\`, or a \`preset\` that gives them)` }, at);
        if (exp.columns) exports[exportName] = exp;
        continue;
      }
      const columns: Record<string, ExportColumnSpec> = {};
      for (const [column, mapping] of Object.entries(preset.columns)) {
        if (exp.columns?.[column]) continue;
        if (!source.columns[column]) {
          report('project/preset-column', { preset: preset.name, column, source: name, table: preset.table, suggestion: suggest(column, Object.keys(source.columns)) }, [...at, 'preset']);
          continue;
        }
        const resolved = resolveLookup(mapping, users);
        if (typeof resolved === 'string') {
          report('project/preset-lookup', { preset: preset.name, column, needs: (mapping as PresetLookup).lookup.preset, found: resolved }, [...at, 'preset']);
          continue;
        }
        columns[column] = resolved;
        FROM_PRESET.set(resolved, preset.name);
      }
      // A wide layout's unpivot comes with the preset unless the export gives its own.
      const teamUnpivot = preset.unpivot?.columns === 'team' ? preset.unpivot : undefined;
      if (teamUnpivot) checkTeamUnpivot(preset.name, teamUnpivot, exp, exportName, at, report);
      const unpivot = preset.unpivot && preset.unpivot.columns !== 'team' && !('unpivot' in exp) ? { unpivot: structuredClone(preset.unpivot) } : {};
      exports[exportName] = { ...exp, ...unpivot, columns: { ...columns, ...exp.columns } };
    }
    sources[name] = { ...source, exports };
  }
  // Like the parsed file: no prototypes, so a source named `constructor` is only ever a key.
  return { spec: withoutPrototypes({ ...spec, sources }) as ProjectSpec, diagnostics };
}

/**
 * A preset whose melted columns are the team's (a survey's questions): the export lists them
 * under `unpivot.columns`, reading the cell and its column's name by the names the preset's
 * mappings read, or the preset's columns would read nothing.
 */
function checkTeamUnpivot(preset: string, unpivot: TeamUnpivot, exp: ExportSpec, exportName: string, at: ValuePath, report: <C extends Code>(code: C, params: ParamsOf<C>, path: ValuePath) => void) {
  if (!exp.unpivot) {
    report('schema/required', { key: 'unpivot', where: `export ${exportName} (preset ${preset} melts the team's own question columns: list them under \`unpivot.columns\`, with \`value: ${unpivot.value}\` and \`name: ${unpivot.name}\`)` }, at);
    return;
  }
  for (const key of ['value', 'name'] as const) {
    if (exp.unpivot[key] !== unpivot[key]) report('project/preset-unpivot', { preset, key, expected: unpivot[key], given: exp.unpivot[key] }, [...at, 'unpivot', ...(exp.unpivot[key] === undefined ? [] : [key])]);
  }
}

/**
 * A preset's column as an export mapping: a lookup names the export built by the preset it
 * reads. Returns how many exports use that preset instead when it is not exactly one.
 */
function resolveLookup(mapping: PresetColumn, users: ReadonlyMap<string, string[]>): ExportColumnSpec | string {
  if (!('lookup' in mapping) || !mapping.lookup || !('preset' in mapping.lookup)) return structuredClone(mapping as ExportColumnSpec);
  const { preset, ...rest } = mapping.lookup;
  const found = users.get(preset) ?? [];
  return found.length === 1 ? { lookup: { export: found[0]!, ...rest } } : found.length === 0 ? 'no export' : `${found.length} exports (${found.join(', ')})`;
}

/** The column mappings expansion took from a preset, with the preset's name: findings about them point at the `preset:` line. */
const FROM_PRESET = new WeakMap<object, string>();

/** The preset a column mapping of the expanded project came from, if it came from one. */
export const presetOf = (mapping: object): string | undefined => FROM_PRESET.get(mapping);

const equal = (a: unknown, b: unknown) => isDeepStrictEqual(structuredClone(a), structuredClone(b));

/** The export columns a mapping reads, wherever `from:` appears in it. */
function reads(mapping: unknown): string[] {
  if (Array.isArray(mapping)) return mapping.flatMap(reads);
  if (mapping === null || typeof mapping !== 'object') return [];
  if ('lookup' in mapping) return [(mapping as PresetLookup).lookup.match];
  return Object.entries(mapping).flatMap(([key, value]) => (key === 'from' && typeof value === 'string' ? [value] : key === 'map' ? [] : reads(value)));
}

/**
 * For an export built by a preset: each export column the preset's own mappings read (those
 * the team did not replace), with the table's columns it feeds. Empty without a preset.
 */
export function presetReads(exp: ExportSpec): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const preset = exp.preset === undefined ? undefined : PRESETS.get(exp.preset);
  if (!preset) return out;
  for (const [column, mapping] of Object.entries(preset.columns)) {
    const own = exp.columns?.[column];
    // A lookup is the preset's when it reads what the preset says; the export it names is the project's.
    // (Compared as plain data: the project's objects have no prototype, the preset's do.)
    const read = (l: { match: string; on: string; take: string }) => ({ match: l.match, on: l.on, take: l.take });
    const same = 'lookup' in mapping && own?.lookup ? equal(read(own.lookup), read((mapping as PresetLookup).lookup)) : equal(own, mapping);
    if (!same) continue;
    for (const field of reads(mapping)) out.set(field, [...(out.get(field) ?? []), column]);
  }
  return out;
}
