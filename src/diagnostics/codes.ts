/** How bad a finding is: an error fails the command, a warning is printed and passes. */
export type Severity = 'error' | 'warning';

/**
 * The closed registry of diagnostic codes. Each code has a fixed severity and one
 * message formatter with typed parameters; nothing else may emit a diagnostic.
 */
const code = <P>(severity: Severity, message: (p: P) => string) => ({ severity, message });

const didYouMean = (s?: string) => (s ? ` Did you mean "${s}"?` : '');
type Unknown = { name: string; suggestion?: string | undefined };
/** A KPI id that is not defined; `renamed` names the KPI that now defines the measure it had when last committed. */
type UnknownKpi = Unknown & { renamed?: { id: string; file: string } | undefined };
const unknownKpi = (p: UnknownKpi) => (p.renamed
  ? `KPI ${p.name} is not defined; ${p.renamed.file} defines the same measure as ${p.renamed.id}: was it renamed?`
  : `Unknown KPI "${p.name}".${didYouMean(p.suggestion)}`);
/** "a" or "an" before a column type (integer is the one type that starts with a vowel). */
const aType = (type: string) => `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
const duplicateId = (what: string) => (p: { id: string; first: string }) =>
  `${what} id "${p.id}" is already used by ${p.first}; ids must be unique across files.`;
const missingOwner = (what: string) => (p: { id: string }) =>
  `${what} "${p.id}" has no owner. Add \`owner: "@org/team"\` so the right people review changes to it.`;

export const CODES = {
  // files and YAML syntax
  'file/unreadable': code<{ reason: string }>('error', (p) => `The file cannot be read: ${p.reason}.`),
  'file/too-large': code<{ bytes: number; limit: number }>('error', (p) => `The file is ${p.bytes} bytes; kpiops reads YAML files of at most ${p.limit} bytes.`),
  'file/binary': code<{ reason: string }>('error', (p) => `The file is not UTF-8 text (${p.reason}); is it a YAML file?`),
  'file/link-outside': code<{ target: string; within: string }>('error', (p) =>
    `This is a link to ${p.target}, which is outside ${p.within}; kpiops reads only what is inside ${p.within}, so it is not read.`),
  'file/link-loop': code<Record<string, never>>('error', () => 'This link leads round in a loop (back to itself, or to a folder it is in), so it is not read.'),
  'file/empty': code<Record<string, never>>('error', () => 'The file is empty; it must hold a YAML mapping starting with `version: kpiops/v1`.'),
  'file/missing-modeline': code<{ expected: string }>('warning', (p) => `The file does not start with the schema modeline, so editors cannot check it. Add as the first line: ${p.expected}`),
  'file/wrong-modeline': code<{ found: string; expected: string }>('warning', (p) => `The schema modeline points at "${p.found}"; for this file it should be "${p.expected}".`),
  'project/missing': code<{ root: string }>('error', (p) => `No kpiops.yaml found in ${p.root}; run \`kpiops init\` or point --project at a kpiops project.`),
  'yaml/syntax': code<{ detail: string }>('error', (p) => `YAML syntax error: ${p.detail}`),
  'yaml/duplicate-key': code<{ key: string }>('error', (p) => `The key "${p.key}" appears twice in the same mapping; only one may stay.`),
  'yaml/tab-indent': code<Record<string, never>>('error', () => 'A tab is used for indentation; YAML allows only spaces.'),
  'yaml/bad-indent': code<{ detail: string }>('error', (p) => `Bad indentation: ${p.detail}`),
  'yaml/multiple-documents': code<Record<string, never>>('error', () => 'The file holds several YAML documents (`---`); put each in its own file.'),
  'yaml/unresolved-alias': code<{ alias: string }>('error', (p) => `The alias "*${p.alias}" refers to no anchor defined before it.`),
  'yaml/alias-limit': code<{ limit: number }>('error', (p) => `The file expands more than ${p.limit} aliases; aliases that multiply like this are refused.`),
  'yaml/unknown-tag': code<{ tag: string }>('error', (p) =>
    `The tag ${p.tag} is not allowed; write the value without it (kpiops reads plain YAML values; only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq may be written).`),
  'yaml/tag-mismatch': code<{ tag: string }>('error', (p) => `The value cannot be read as ${p.tag}; fix the value or write it without the tag.`),
  'yaml/complex-key': code<Record<string, never>>('error', () => 'A key must be a plain name; a list, a mapping or an empty key cannot name anything here.'),
  'yaml/too-deep': code<{ limit: number }>('error', (p) => `The file nests more than ${p.limit} levels deep.`),
  'yaml/not-a-mapping': code<{ found: string }>('error', (p) => `The file must hold a mapping of keys to values, but holds ${p.found}.`),

  // editor
  'editor/stale-schemas': code<{ dir: string }>('warning', (p) =>
    `The editor schemas in ${p.dir} were made before the last change to the project's channels, KPIs, stages, sources or columns (or to kpiops), so the editor does not know the change; run \`kpiops schemas\` and commit them.`),

  // JSON Schema
  'schema/version': code<{ found: string }>('error', (p) => `Unsupported version "${p.found}"; this kpiops reads \`version: kpiops/v1\`.`),
  'schema/required': code<{ key: string; where: string }>('error', (p) => `Missing required key "${p.key}" in ${p.where}.`),
  'schema/unknown-key': code<Unknown & { where: string }>('error', (p) => `Unknown key "${p.name}" in ${p.where}.${didYouMean(p.suggestion)}`),
  'schema/type': code<{ expected: string; found: string }>('error', (p) => `Expected ${p.expected}, found ${p.found}.`),
  'schema/enum': code<{ allowed: string[]; found: string; suggestion?: string | undefined }>('error', (p) =>
    `"${p.found}" is not allowed here; use one of: ${p.allowed.join(', ')}.${didYouMean(p.suggestion)}`),
  'schema/format': code<{ format: string; found: string }>('error', (p) => `"${p.found}" is not a valid ${p.format}.`),
  'schema/pattern': code<{ found: string; hint: string }>('error', (p) => `"${p.found}" is not valid here: ${p.hint}.`),
  'schema/range': code<{ found: string; bound: string }>('error', (p) => `${p.found} is out of range: it must be ${p.bound}.`),
  'schema/size': code<{ bound: string }>('error', (p) => `${p.bound}.`),
  'schema/ambiguous': code<{ shapes: string[] }>('error', (p) =>
    `The value fits ${p.shapes.length} of the shapes allowed here (${p.shapes.join('; ')}), but must fit exactly one.`),
  'schema/invalid': code<{ detail: string }>('error', (p) => `Invalid value: ${p.detail}.`),

  // project
  'project/entity-table': code<{ count: number }>('error', (p) => `Exactly one source must be the entity table (\`entity: true\` for HCPs, or \`entity: {label: customer}\`); found ${p.count}.`),
  'project/unknown-column': code<Unknown & { source: string; role: string }>('error', (p) =>
    `The ${p.role} of source "${p.source}" names column "${p.name}", which the source does not declare.${didYouMean(p.suggestion)}`),
  'project/unknown-source': code<Unknown>('error', (p) => `Column references unknown source "${p.name}".${didYouMean(p.suggestion)}`),
  'project/role-type': code<{ source: string; column: string; role: string; type: string; expected: string }>('error', (p) =>
    `The ${p.role} of source "${p.source}" is column "${p.column}", which holds ${p.type} values; it must hold ${p.expected}.`),
  // privacy.rep_facing_rx: `entity` is the HCP table's name, `one` and `many` what its rows are called
  'project/rep-facing-rx-opt-out': code<{ column: string; entity: string; one: string }>('error', (p) =>
    `"${p.column}" is not a boolean column of ${p.entity}, the ${p.one} table: it must say yes or no to sharing prescribing data with reps.`),
  'project/rep-facing-rx-source': code<Unknown>('error', (p) => `Unknown source "${p.name}".${didYouMean(p.suggestion)}`),
  'project/rep-facing-rx-unlinked': code<{ source: string; entity: string; many: string }>('error', (p) =>
    `Source "${p.source}" has no column referencing ${p.entity}, so its rows cannot be matched to ${p.many} who opted out.`),
  'project/warehouse-table': code<Unknown>('error', (p) =>
    `Unknown source "${p.name}".${didYouMean(p.suggestion)} Only declared sources can be mapped to warehouse tables.`),
  'project/duplicate-stage': code<{ id: string }>('error', (p) => `Journey stage "${p.id}" is listed twice.`),
  'project/export-column': code<Unknown & { source: string; export: string }>('error', (p) =>
    `Export "${p.export}" maps column "${p.name}", which source "${p.source}" does not declare.${didYouMean(p.suggestion)}`),
  'project/export-missing-key': code<{ export: string; key: string }>('error', (p) =>
    `Export "${p.export}" does not map key column "${p.key}"; every row needs its key.`),
  'project/export-mapping-missing': code<{ column: string }>('error', () =>
    'Give one of `from` (a column of the export), `constant`, `coalesce`, `concat`, `date_from_parts`, `generate`, `lookup` (another table\'s row) or `months_before` (a month counted back from a date).'),
  'project/export-mapping-ambiguous': code<{ column: string; given: string[] }>('error', (p) =>
    `${p.column} is given by ${p.given.map((k) => `\`${k}\``).join(' and ')}; give exactly one (\`value\` is the older spelling of \`constant\`).`),
  'project/export-option': code<{ column: string; option: 'map' | 'prefix' | 'null_values' | 'format' }>('error', (p) => ({
    map: '`map` translates the values of a `from` column or of a `concat`; give one of them with it.',
    prefix: '`prefix` goes before the value of a `from` column; in a computed column write it as a `concat` part.',
    null_values: '`null_values` applies to values read from the export (`from`, or `{from:}` parts); a constant or a generated key has none.',
    format: '`format` reads the text of a `from` column.',
  })[p.option]),
  'project/export-type': code<{ column: string; option: 'format' | 'months_before' | 'generate' | 'date_from_parts'; type: string }>('error', (p) => ({
    format: `\`format\` reads dates and timestamps; ${p.column} is ${aType(p.type)} column.`,
    months_before: `\`months_before\` gives a month (its first day); ${p.column} is ${aType(p.type)} column, not a date column.`,
    generate: `\`generate: row_hash\` makes a text key; ${p.column} is ${aType(p.type)} column (declare it \`type: string\`).`,
    date_from_parts: `\`date_from_parts\` builds a date or timestamp; ${p.column} is ${aType(p.type)} column.`,
  })[p.option]),
  'project/export-time-part': code<{ column: string }>('error', (p) =>
    `${p.column} is a date column: a \`time\` part has no place in it (declare it \`type: timestamp\`, or drop \`time\`).`),
  // presets and vintages
  'project/preset-column': code<{ preset: string; column: string; source: string; table: string; suggestion?: string | undefined }>('error', (p) =>
    `Preset ${p.preset} maps column ${p.column} of the ${p.table} table, which source ${p.source} does not declare; declare it, or replace it under the export's \`columns\`.${didYouMean(p.suggestion)}`),
  'project/preset-lookup': code<{ preset: string; column: string; needs: string; found: string }>('error', (p) =>
    `Preset ${p.preset} takes ${p.column} from the export built by preset ${p.needs}, and ${p.found} use${p.found === 'no export' ? 's' : ''} that preset: add that export (exactly one), or map ${p.column} yourself under the export's \`columns\`.`),
  'project/preset-unpivot': code<{ preset: string; key: 'value' | 'name'; expected: string; given?: string | undefined }>('error', (p) =>
    `Preset ${p.preset} reads the melted ${p.key === 'value' ? 'cell' : 'column\'s name'} as \`${p.expected}\`, and this export's unpivot ${p.given === undefined ? `gives no \`${p.key}\`` : `calls it \`${p.given}\``}: write \`${p.key}: ${p.expected}\` under \`unpivot\`.`),
  'project/vintage-key': code<{ source: string; column: string }>('error', (p) =>
    `The vintage column of source ${p.source}, ${p.column}, is part of its key; a key names what a row is about (HCP, brand, month), so deliveries of the same row share it: take ${p.column} out of the key.`),
  'data/lookup-table': code<{ table: string; column: string; other: string }>('error', (p) =>
    `Export ${p.table}, column ${p.column}: the lookup reads table ${p.other}, which the snapshot does not have; add that export to the snapshot.`),
  'data/lookup-repeated': code<{ table: string; column: string; other: string; on: string; value: string; count: number }>('error', (p) =>
    `Export ${p.table}, column ${p.column}: the lookup needs one row of ${p.other} per ${p.on}, but ${p.on} "${p.value}" is there ${p.count} times.`),
  'data/lookup-unmatched': code<{ table: string; column: string; match: string; other: string; on: string; value: string; count: number }>('error', (p) =>
    `Export ${p.table}, column ${p.column}: ${p.count} row${p.count === 1 ? ' names' : 's name'} a ${p.match} that ${p.other} does not have as its ${p.on}, e.g. "${p.value}"; export the rows they belong to (they would count without their ${p.column}).`),
  'data/restated': code<{ table: string; column: string; row: string; old: string; new: string; delivery: string; previous: string }>('warning', (p) =>
    `Table ${p.table}: the delivery ${p.delivery} restates ${p.column} of ${p.row}: ${p.old} → ${p.new} (was delivered ${p.previous}); the latest delivery's value is used.`),
  'data/restated-more': code<{ table: string; count: number }>('warning', (p) =>
    `Table ${p.table}: ${p.count} more restated value${p.count === 1 ? '' : 's'} not listed one by one; the latest delivery's values are used.`),
  'project/export-value': code<Unknown & { column: string; preset?: string | undefined }>('error', (p) => (p.preset
    ? `Preset ${p.preset} maps a value onto "${p.name}", which is not a valid value of ${p.column}: define it (a channel file, a declared value), or map the column yourself under the export's \`columns\`.`
    : `"${p.name}" is not a valid value of ${p.column}.${didYouMean(p.suggestion)}`)),
  // exports as they are: null tokens, computed columns, unpivot, generated keys
  'project/unpivot-same-name': code<{ name: string }>('error', (p) =>
    `The unpivot's \`value\` and \`name\` are both "${p.name}": \`from\` could not tell the melted cell from the melted column's name.`),
  'project/unpivot-melted-name': code<{ field: 'value' | 'name'; name: string }>('error', (p) =>
    `The unpivot's \`${p.field}\` "${p.name}" is also a column it melts; give the melted ${p.field === 'value' ? 'cell' : 'column name'} a name of its own (e.g. \`${p.field === 'value' ? 'answer' : 'question'}\`).`),
  'project/unpivot-also-mapped': code<{ column: string; melted: string }>('error', (p) =>
    `${p.column} is set both by the unpivot (for ${p.melted}) and in \`columns\`; keep one.`),
  'project/export-date-part': code<{ part: string; value: string; accepted: string }>('error', (p) =>
    `date_from_parts: ${p.part} "${p.value}" is not ${p.accepted}.`),
  'data/unpivot-missing-column': code<{ table: string; column: string }>('error', (p) =>
    `Export ${p.table} has no column ${p.column}, which its unpivot in kpiops.yaml melts into rows.`),
  'data/impossible-date': code<{ table: string; column: string; count: number; value: string }>('error', (p) =>
    `Export ${p.table}, column ${p.column}: ${p.count} row${p.count === 1 ? '\'s' : 's\''} date parts make no date (date_from_parts), e.g. ${p.value}.`),

  // channels
  'channel/duplicate-id': code('error', duplicateId('Channel')),
  'channel/missing-owner': code('warning', missingOwner('Channel')),
  'channel/unknown-event': code<Unknown & { column: string }>('error', (p) =>
    `Event "${p.name}" is not a value of ${p.column}.${didYouMean(p.suggestion)}`),
  'channel/unknown-stage': code<Unknown>('error', (p) => `Unknown journey stage "${p.name}".${didYouMean(p.suggestion)}`),

  // KPIs
  'kpi/duplicate-id': code('error', duplicateId('KPI')),
  'kpi/missing-owner': code('error', missingOwner('KPI')),
  'kpi/unknown-stage': code<Unknown>('error', (p) => `Unknown journey stage "${p.name}".${didYouMean(p.suggestion)}`),
  'kpi/unknown-source': code<Unknown>('error', (p) => `Unknown source "${p.name}"; sources are declared in kpiops.yaml.${didYouMean(p.suggestion)}`),
  'kpi/unknown-column': code<Unknown & { source: string; entity?: string | undefined }>('error', (p) =>
    `Column "${p.name}" is not in source "${p.source}"${p.entity ? ` nor in the ${p.entity} table` : ''}.${didYouMean(p.suggestion)}`),
  'kpi/unknown-own-column': code<Unknown & { source: string; entity: string }>('error', (p) =>
    `Column "${p.name}" is not a column of source "${p.source}" (here it must be the source's own column, not the ${p.entity} table's).${didYouMean(p.suggestion)}`),
  'kpi/unknown-channel': code<Unknown>('error', (p) => `Unknown channel "${p.name}"; channels are defined in channels/.${didYouMean(p.suggestion)}`),
  'kpi/unknown-value': code<Unknown & { column: string }>('error', (p) =>
    `"${p.name}" is not a declared value of ${p.column}.${didYouMean(p.suggestion)}`),
  'kpi/value-type': code<{ value: string; column: string; type: string }>('error', (p) =>
    `${p.value} cannot be compared with ${p.column}, which holds ${p.type === 'string' ? 'text (quote the value)' : p.type === 'boolean' ? 'true or false' : p.type === 'date' ? 'dates (YYYY-MM-DD)' : p.type === 'timestamp' ? 'timestamps (YYYY-MM-DDTHH:MM:SSZ)' : `${p.type === 'integer' ? 'whole numbers' : 'numbers'}`}.`),
  'kpi/column-type': code<{ name: string; role: string; type: string; expected: string }>('error', (p) =>
    `Column "${p.name}" holds ${p.type} values; ${p.role} needs ${p.expected}.`),
  'kpi/missing-role': code<{ source: string; role: string; why: string }>('error', (p) =>
    `Source "${p.source}" declares no \`${p.role}\` column, which ${p.why} needs.`),
  'kpi/aggregate-shape': code<{ found: string }>('error', (p) => `Give exactly one of \`count\`, \`sum\` or \`sum_days\` (found ${p.found}).`),
  'kpi/aggregate-option': code<{ option: string; needs: string }>('error', (p) => `\`${p.option}\` only applies ${p.needs}.`),
  'kpi/top-box-without-top': code<Record<string, never>>('error', () => 'A top-box score needs `top`: how many of the highest answers count (2 = top-2-box).'),
  'kpi/top-without-top-box': code<Record<string, never>>('error', () => '`top` only applies to `method: top_box`.'),
  'kpi/top-box-without-scale': code<{ source: string; column: string }>('error', (p) =>
    `A top-box score needs to know the highest answer: declare a \`scale\` on ${p.source}.${p.column}, or filter to one value of its \`scale_by\` column.`),
  'kpi/nps-scale': code<{ source: string; column: string; min: number; max: number }>('error', (p) =>
    `NPS needs answers on a 0–10 scale, but ${p.source}.${p.column} is declared ${p.min}–${p.max}.`),
  'kpi/index-weights': code<{ sum: number }>('error', (p) => `Index weights must add up to 1; they add up to ${p.sum}.`),
  'kpi/no-caps': code<Record<string, never>>('error', () => 'This cap KPI has no `max` and no push channel declares a `cap`, so nothing can exceed a cap.'),
  'kpi/unknown-kpi': code<UnknownKpi>('error', unknownKpi),
  'kpi/expression-syntax': code<{ detail: string }>('error', (p) => `Expression error: ${p.detail}.`),
  'kpi/division-by-zero': code<{ divisor: string }>('error', (p) => `The formula divides by ${p.divisor}, which is always zero, so it can never have a value.`),
  'kpi/derived-cycle': code<{ cycle: string[] }>('error', (p) => `Derived KPIs refer to each other in a cycle: ${p.cycle.join(' → ')}.`),
  'kpi/unknown-dimension': code<Unknown & { source: string; entity: string }>('error', (p) =>
    `Dimension "${p.name}" is not a column of source "${p.source}" nor of the ${p.entity} table.${didYouMean(p.suggestion)}`),
  'kpi/derived-dimension': code<{ name: string; kpis: string[] }>('error', (p) =>
    `Dimension "${p.name}" is not a dimension of ${p.kpis.join(', ')}, which this formula uses, so the formula cannot be sliced by it.`),
  'kpi/override-dimension': code<Unknown>('error', (p) => `Target override uses "${p.name}", which is not one of the KPI's dimensions.${didYouMean(p.suggestion)}`),
  'kpi/override-value': code<Unknown & { dimension: string }>('error', (p) =>
    `"${p.name}" is not a value of ${p.dimension}, so this override would never apply.${didYouMean(p.suggestion)}`),
  'kpi/override-tie': code<{ other: number; example: string }>('error', (p) =>
    `This override and override #${p.other + 1} match the same slice (${p.example}) with equal specificity; make one more specific or merge them.`),
  'kpi/target-unit': code<{ value: number; unit: string; bound: string }>('error', (p) =>
    `Target ${p.value} does not fit unit "${p.unit}": it must be ${p.bound}.`),
  // share KPIs' target mixes: `by` is what the shares are of (modality, direction, channel)
  'kpi/mix-unknown-category': code<{ name: string; by: string; categories: string[] }>('error', (p) =>
    `"${p.name}" is not a ${p.by}; the mix takes ${p.categories.join(', ')}.`),
  'kpi/mix-missing-share': code<{ missing: string[]; by: string }>('error', (p) =>
    `The target mix has no share for ${p.missing.join(', ')}; give every ${p.by} a share (0 if none).`),
  'kpi/mix-sum': code<{ sum: number }>('error', (p) => `The target mix adds up to ${Math.round(p.sum * 1e6) / 1e6}; the shares must add up to 1.`),
  'kpi/share-target-not-mix': code<Record<string, never>>('error', () =>
    'A share KPI\'s target is a mix: the target share of each category, e.g. `{in_person: 0.34, virtual: 0.33, digital_self_service: 0.33}`.'),
  'kpi/mix-not-share': code<Record<string, never>>('error', () => 'Only share KPIs take a mix as target; give a single number.'),
  'kpi/target-direction': code<{ change: number; direction: string }>('warning', (p) =>
    `A target of ${p.change > 0 ? '+' : ''}${Math.round(p.change * 1000) / 10}% vs last year asks for ${p.change > 0 ? 'a rise' : 'a fall'}, but ${p.direction} is better for this KPI.`),
  // bands that cannot work with the KPI's kind, unit or target
  'kpi/thresholds-share': code<Record<string, never>>('error', () =>
    'A share KPI is judged by its distance from the target mix: give absolute bands, e.g. `thresholds: {mode: absolute, green: 0.05, amber: 0.1}`.'),
  'kpi/thresholds-no-target': code<Record<string, never>>('error', () =>
    'Ratio bands are fractions of the target, but this KPI has no target: add one, or use `mode: absolute`.'),
  'kpi/thresholds-target': code<{ value: number }>('error', (p) =>
    `Ratio bands are fractions of the target, and ${p.value} leaves nothing to take a fraction of: use \`mode: absolute\`.`),
  'kpi/thresholds-default-target': code<{ value: number }>('error', (p) =>
    `The project's default bands are fractions of the target, which cannot work with a target of ${p.value}: give this KPI absolute \`thresholds\`.`),
  'kpi/thresholds-ratio': code<Record<string, never>>('error', () => 'Ratio bands are fractions of the target and must be above 0 (0.9 = 90% of target).'),
  'kpi/thresholds-percent': code<Record<string, never>>('error', () => 'Percent KPIs are fractions (0.25 = 25%), so absolute bands must be between 0 and 1.'),
  'kpi/unit-kind': code<{ unit: string; kind: string; expected: string }>('error', (p) =>
    `${/^[aeiou]/.test(p.kind) ? 'An' : 'A'} ${p.kind} KPI's values are ${p.expected}, so its unit must be ${p.expected === 'fractions' ? '"percent"' : p.expected === 'scores' ? '"score"' : '"count" or "currency"'}, not "${p.unit}".`),
  'kpi/target-fixed-and-relative': code<Record<string, never>>('error', () =>
    'A target is either fixed (`value`, `schedule`) or relative (`relative`), not both: which one applies would be unclear.'),
  'kpi/target-fall': code<{ change: number }>('error', (p) =>
    `A change of ${Math.round(p.change * 100)}% would ask for less than nothing; a fall cannot exceed -100% (change: -1).`),
  'kpi/schedule-grains': code<{ grains: string[] }>('error', (p) =>
    `The schedule mixes ${p.grains.join(' and ')} periods; use one kind, so "the latest entry at or before a period" has one meaning.`),
  'kpi/thresholds-order': code<{ green: number; amber: number; direction: string }>('error', (p) =>
    p.direction === 'higher'
      ? `Green (${p.green}) must be at or above amber (${p.amber}) when higher is better.`
      : `Green (${p.green}) must be at or below amber (${p.amber}) when lower is better.`),

  // scorecards
  'scorecard/duplicate-id': code('error', duplicateId('Scorecard')),
  'scorecard/unknown-kpi': code<UnknownKpi>('error', unknownKpi),
  'scorecard/empty-selector': code<{ selector: string }>('error', (p) => `No KPI matches ${p.selector}.`),
  'scorecard/unknown-stage': code<Unknown>('error', (p) => `Unknown journey stage "${p.name}".${didYouMean(p.suggestion)}`),
  'scorecard/no-leading': code<Record<string, never>>('warning', () => 'The scorecard has no leading KPI: readers will see outcomes without the early signals that explain them.'),
  'scorecard/no-lagging': code<Record<string, never>>('warning', () => 'The scorecard has no lagging KPI: readers will see activity without the outcomes it should move.'),
  'scorecard/uncovered-stage': code<{ stage: string }>('warning', (p) => `The scorecard claims stage "${p.stage}" but none of its KPIs informs it.`),
  'scorecard/brief-territory': code<{ entities: string }>('error', (p) =>
    `A scorecard with a \`brief\` lists ${p.entities} one by one, so every recipient must be the rep of one territory: filter them by \`territory\` (and slice the scorecard by it).`),
  'scorecard/unknown-template': code<Unknown & { builtIn: string[] }>('error', (p) =>
    `No template "${p.name}": the project has no templates/${p.name}.mjml and none is built in (built in: ${p.builtIn.join(', ') || 'none'}).${didYouMean(p.suggestion)}`),
  'scorecard/unknown-dimension': code<Unknown & { kpis: string[] }>('error', (p) =>
    `"${p.name}" is not a dimension of ${p.kpis.length === 1 ? 'KPI' : 'KPIs'} ${p.kpis.join(', ')}, so they cannot be sliced by it.`),
  'scorecard/unknown-explain-dimension': code<Unknown>('error', (p) =>
    `"${p.name}" is not a dimension of any of the scorecard's KPIs, so no move would be split by it.${didYouMean(p.suggestion)}`),
  'scorecard/incomplete-filter': code<{ missing: string[] }>('error', (p) =>
    `This recipient's filter does not set ${p.missing.join(', ')}; every recipient must be limited to one slice, or they would see all of it.`),
  'scorecard/unknown-channel': code<Unknown>('error', (p) => `Unknown channel "${p.name}", so a touch on it would never close the item; channels are defined in channels/.${didYouMean(p.suggestion)}`),
  'scorecard/unknown-event': code<Unknown & { column: string }>('error', (p) =>
    `Event "${p.name}" is not a value of ${p.column}, so it would never open an item.${didYouMean(p.suggestion)}`),
  'scorecard/unknown-value': code<Unknown & { dimension: string }>('error', (p) =>
    `"${p.name}" is not a value of ${p.dimension}; this recipient would get an empty scorecard.${didYouMean(p.suggestion)}`),
  'scorecard/duplicate-recipient': code<{ email: string; first: string }>('error', (p) =>
    `${p.email} is already in this audience at ${p.first}; one address gets one email per scorecard and period, so merge the two entries or keep one.`),
  'scorecard/filter-outside-slice': code<Unknown & { slice: string[] }>('error', (p) =>
    `The recipient filter uses "${p.name}", which is not in the scorecard's slice (${p.slice.join(', ') || 'none'}).${didYouMean(p.suggestion)}`),

  // alerts
  'alert/duplicate-id': code('error', duplicateId('Alert')),
  'alert/file-name': code<{ id: string; file: string }>('error', (p) =>
    `The file is named ${p.file}, but the alert's id is "${p.id}"; name the file alerts/${p.id}.yaml, so that the alert is found under its id.`),
  'alert/unknown-kpi': code<UnknownKpi>('error', unknownKpi),
  'alert/unknown-tag': code<Unknown>('error', (p) => `No KPI has the tag "${p.name}", so the alert would watch nothing for it.${didYouMean(p.suggestion)}`),
  'alert/unknown-stage': code<Unknown>('error', (p) => `Unknown journey stage "${p.name}".${didYouMean(p.suggestion)}`),
  'alert/empty-selector': code<{ selector: string }>('error', (p) => `No KPI matches ${p.selector}, so the alert would watch nothing for it.`),
  'alert/unknown-dimension': code<Unknown & { kpis: string[] }>('error', (p) =>
    `"${p.name}" is not a dimension of ${p.kpis.length === 1 ? 'KPI' : 'KPIs'} ${p.kpis.join(', ')}, so the alert cannot watch ${p.kpis.length === 1 ? 'its' : 'their'} slices by it.${didYouMean(p.suggestion)}`),
  'alert/filter-outside-by': code<Unknown & { by: string[] }>('error', (p) =>
    `The recipient filter uses "${p.name}", which is not in the alert's \`by\` (${p.by.join(', ')}): no slice watched has a ${p.name}, so this recipient would never be told anything.${didYouMean(p.suggestion)}`),
  'alert/unknown-value': code<Unknown & { dimension: string }>('error', (p) =>
    `"${p.name}" is not a value of ${p.dimension}; this recipient would never be told anything.${didYouMean(p.suggestion)}`),
  'alert/threshold-unit': code<{ value: number; bound: string; kpis: string[]; span?: number | undefined; suggestion?: string | undefined }>('error', (p) => {
    const whose = `${p.kpis.length === 1 ? 'KPI' : 'KPIs'} ${p.kpis.join(', ')}`;
    const fix = p.suggestion !== undefined ? ` Did you mean ${p.suggestion}?` : '';
    return p.span === undefined
      ? `${p.value} is not ${p.bound}, as the values of ${whose} are, so the condition would always or never hold.${fix}`
      : `A move of ${p.value} is more than the values of ${whose} can move: they are ${p.bound}, at most ${p.span} apart, so the condition would never hold.${fix}`;
  }),
  'alert/status-without-target': code<{ kpis: string[] }>('error', (p) =>
    `${p.kpis.length === 1 ? 'KPI' : 'KPIs'} ${p.kpis.join(', ')} ${p.kpis.length === 1 ? 'has' : 'have'} no target, so no status to watch; give ${p.kpis.length === 1 ? 'it' : 'them'} a \`target\`, or watch a value (\`below\`, \`above\`) or a \`change\` instead.`),
  'alert/one-condition': code<{ keys: string[] }>('error', (p) =>
    `\`when\` holds ${p.keys.map((k) => `\`${k}\``).join(' and ')}; an alert has exactly one condition, so each episode has one cause. Keep one, and write another alert for the other.`),
  'alert/change-amount': code<{ given: 'none' | 'both' }>('error', (p) => (p.given === 'none'
    ? 'A `change` needs how far the value may move: `by_more_than` (an amount in the KPI\'s unit) or `spreads` (a multiple of the KPI\'s own spread).'
    : 'A `change` gives both `by_more_than` and `spreads`; keep the one that says how far the value may move.')),
  'alert/grain': code<{ kpi: string; grain: string; reason: string }>('error', (p) => `KPI ${p.kpi} cannot be judged at grain ${p.grain}: ${p.reason}.`),
  'alert/zero-renotify': code<Record<string, never>>('error', () =>
    '`renotify: P0D` would tell a firing alert again at every evaluation; give at least a day (`P1D`), or leave `renotify` out to tell each episode once.'),

  // snapshots and their data
  'snapshot/missing-manifest': code<{ dir: string }>('error', (p) => `No snapshot.yaml in ${p.dir}; a snapshot is a directory with snapshot.yaml and one file per table (\`kpiops sample\` makes one).`),
  'snapshot/missing-file': code<{ table: string; file: string }>('error', (p) => `Table ${p.table}: its file ${p.file} is not in the snapshot.`),
  'snapshot/checksum': code<{ table: string; expected: string; actual: string }>('error', (p) =>
    `Table ${p.table}: the file's SHA-256 is ${p.actual.slice(0, 12)}…, the manifest says ${p.expected.slice(0, 12)}…; the file changed after the snapshot was taken.`),
  'snapshot/row-count': code<{ table: string; expected: number; actual: number }>('error', (p) =>
    `Table ${p.table}: the file has ${p.actual} rows, the manifest says ${p.expected}.`),
  'snapshot/unreadable-table': code<{ table: string; reason: string }>('error', (p) => `Table ${p.table}: the file cannot be read as its format says: ${p.reason}`),
  'snapshot/missing-table': code<{ table: string; needed: string }>('error', (p) => `The snapshot has no table ${p.table}, which ${p.needed} needs.`),
  'snapshot/unknown-table': code<{ table: string }>('warning', (p) => `The snapshot's table ${p.table} is not a source or export of kpiops.yaml; it is not loaded.`),
  'snapshot/load-failed': code<{ table: string; reason: string }>('error', (p) => `Table ${p.table} could not be built: ${p.reason}`),
  'snapshot/blocked-kpis': code<{ table: string; kpis: string[] }>('warning', (p) =>
    `Because table ${p.table} failed its checks, ${p.kpis.length === 1 ? 'this KPI is' : `these ${p.kpis.length} KPIs are`} not computed: ${p.kpis.join(', ')}.`),
  // a source's file, optional while nothing reads it
  'snapshot/table-needed': code<{ table: string; readers: string }>('error', (p) =>
    `The snapshot has no table ${p.table}, which ${p.readers} ${p.readers.includes(', ') ? 'read' : 'reads'}. Add its file to the snapshot, or change what reads it; the KPIs that do not are computed.`),
  // sealing a snapshot (`kpiops snapshot seal`)
  'snapshot/no-file': code<{ table: string; dir: string; tried: string[] }>('error', (p) =>
    `Table ${p.table}: no file for it in ${p.dir}; looked for ${p.tried.join(', ')}. Export it under one of these names, or name its file in snapshot.yaml (\`file:\`).`),
  'snapshot/several-files': code<{ table: string; dir: string; files: string[] }>('error', (p) =>
    `Table ${p.table}: ${p.dir} holds several files that could be it (${p.files.join(', ')}); keep one, or name the one to use in snapshot.yaml (\`file:\`).`),
  'snapshot/ambiguous-delimiter': code<{ table: string; file: string; found: string[] }>('error', (p) =>
    `Table ${p.table}: the header line of ${p.file} holds ${p.found.join(' and ')}, so the delimiter cannot be told; set \`delimiter\` for ${p.table} in snapshot.yaml.`),
  'snapshot/unclaimed-file': code<{ file: string }>('warning', (p) =>
    `${p.file} is a file no table claims: no source or export of kpiops.yaml is read from it, so it is not in the manifest.`),
  'snapshot/as-of-too-early': code<{ table: string; file: string; column: string; latest: string; asOf: string }>('error', (p) =>
    `Table ${p.table}: ${p.file} has ${p.column} values up to ${p.latest}, after the as_of ${p.asOf}; a snapshot cannot hold data from after it was taken. Give a later --as-of.`),
  'snapshot/rows-differ': code<{ table: string; file: string; expected: number; actual: number }>('error', (p) =>
    `${p.table}: rows ${p.expected} in the manifest, ${p.actual} in ${p.file}.`),
  'snapshot/checksum-differs': code<{ table: string; file: string; expected: string; actual: string }>('error', (p) =>
    `${p.table}: sha256 differs: ${p.expected.slice(0, 12)}… in the manifest, ${p.actual.slice(0, 12)}… for ${p.file}.`),
  'snapshot/field-differs': code<{ table: string; file: string; field: string; expected: string; actual: string }>('error', (p) =>
    `${p.table}: ${p.field} ${p.expected} in the manifest, ${p.actual} from ${p.file}.`),
  'snapshot/unsealed-table': code<{ table: string; file: string }>('error', (p) =>
    `${p.table}: not in the manifest, though kpiops.yaml reads it and ${p.file} is there; run \`kpiops snapshot seal\` to add it.`),
  'data/empty-table': code<{ table: string; exports: number }>('error', (p) =>
    `Table ${p.table} has no rows${p.exports > 1 ? ' (in any of its exports)' : ''}, so it covers no period: the KPIs reading it would report nothing happened.`),
  'data/missing-column': code<{ table: string; column: string; preset?: { name: string; columns: string[] } | undefined }>('error', (p) => (p.preset
    ? `Export ${p.table} has no column ${p.column}, which preset ${p.preset.name} needs for ${p.preset.columns.join(', ')}: export the field, or map ${p.preset.columns.length === 1 ? 'that column' : 'those columns'} yourself under the export's \`columns\`.`
    : `Table ${p.table} has no column ${p.column}.`)),
  'data/duplicate-column': code<{ table: string; column: string }>('error', (p) => `Table ${p.table}: the header names column ${p.column} twice; only one may stay.`),
  'data/mistyped': code<{ table: string; column: string; type: string; count: number; value: string }>('error', (p) =>
    `Table ${p.table}, column ${p.column}: ${p.count} value${p.count === 1 ? ' is' : 's are'} not ${p.type === 'integer' ? 'an integer' : `a valid ${p.type}`}, e.g. "${p.value}".`),
  'data/non-finite': code<{ table: string; column: string; count: number; value: string }>('error', (p) =>
    `Table ${p.table}, column ${p.column}: ${p.count} value${p.count === 1 ? ' is' : 's are'} not a finite number, e.g. ${p.value}; NaN and infinities cannot be computed with.`),
  'data/null-key': code<{ table: string; column: string; count: number }>('error', (p) => `Table ${p.table}: ${p.count} row${p.count === 1 ? ' has' : 's have'} no ${p.column} (a key column).`),
  'data/duplicate-key': code<{ table: string; column: string; count: number; key: string }>('error', (p) =>
    `Table ${p.table}: the key ${p.key} appears ${p.count} times; keys (${p.column}) must be unique.`),
  'data/after-as-of': code<{ table: string; column: string; count: number; asOf: string; value: string }>('error', (p) =>
    `Table ${p.table}, column ${p.column}: ${p.count} row${p.count === 1 ? ' is' : 's are'} dated after the snapshot's as_of (${p.asOf}), e.g. ${p.value}.`),
  'data/unknown-channel': code<{ table: string; column: string; count: number; value: string }>('error', (p) =>
    `Table ${p.table}, column ${p.column}: ${p.count} row${p.count === 1 ? ' names' : 's name'} channel "${p.value}", which has no file in channels/.`),
  'data/unknown-value': code<{ table: string; column: string; count: number; value: string }>('error', (p) =>
    `Table ${p.table}, column ${p.column}: ${p.count} row${p.count === 1 ? ' has' : 's have'} "${p.value}", which is not one of the column's declared values.`),
  'data/unknown-reference': code<{ table: string; column: string; target: string; key: string; rows: number; values: number; value: string }>('warning', (p) =>
    `Table ${p.table}, column ${p.column}: ${p.rows} row${p.rows === 1 ? ' holds' : 's hold'} ${p.values === 1 ? 'a value' : `${p.values} values`} that table ${p.target} does not have as its ${p.key}, e.g. "${p.value}". They are kept and count in totals, but the columns of ${p.target} are empty for them (a null slice).`),
  'data/unmapped-value': code<{ table: string; column: string; count: number; value: string; preset?: { name: string; column: string } | undefined }>('error', (p) => (p.preset
    ? `Export ${p.table}, column ${p.column}: ${p.count} row${p.count === 1 ? ' has a value' : 's have values'} the map of preset ${p.preset.name} for ${p.preset.column} does not translate: ${p.value}. Map ${p.preset.column} yourself under the export's \`columns\`.`
    : `Export ${p.table}, column ${p.column}: ${p.count} row${p.count === 1 ? ' has a value' : 's have values'} the mapping in kpiops.yaml does not translate: ${p.value}.`)),
  'data/out-of-scale': code<{ table: string; column: string; count: number; value: string; scale: string }>('error', (p) =>
    `Table ${p.table}, column ${p.column}: ${p.count} score${p.count === 1 ? ' is' : 's are'} outside ${p.scale}, e.g. ${p.value}.`),
  'data/reversed-period': code<{ table: string; column: string; count: number; start: string; end: string }>('error', (p) =>
    `Table ${p.table}: ${p.count} row${p.count === 1 ? ' ends' : 's end'} before ${p.count === 1 ? 'it starts' : 'they start'} (${p.column}), e.g. ${p.start} → ${p.end}.`),

  // text encodings of table files
  'project/encoding-with-exports': code<{ source: string; encoding: string; exports: string[] }>('error', (p) =>
    `Source ${p.source} is built from its exports (${p.exports.join(', ')}), each read with its own \`encoding\`; \`encoding: ${p.encoding}\` on the source applies to no file. Move it to each export written in ${p.encoding}.`),
  'data/invalid-encoding': code<{ table: string; encoding: string; line: number; bytes: string; hint: string }>('error', (p) =>
    `Table ${p.table}: line ${p.line} of the file holds the bytes ${p.bytes}, which are not valid ${p.encoding}; nothing of the table is loaded.${p.hint}`),
  'data/encoding-ignored': code<{ table: string; encoding: string; setting: string }>('warning', (p) =>
    `Table ${p.table} is a Parquet file, whose text is always UTF-8: \`encoding: ${p.encoding}\` on ${p.setting} in kpiops.yaml is not used; remove it.`),

  // data-feed monitors
  'project/monitor-without-owners': code<{ source: string }>('warning', (p) =>
    `Source ${p.source} has a \`monitor\` but no \`owners\`: nobody would be told what it finds, so the feed is not monitored. Add \`owners: [{name: …, email: …}]\`, or remove \`monitor\`.`),

  // reviews of a change (`kpiops diff`, `kpiops review`): what the head breaks that each file alone does not show
  'review/removed-kpi-in-use': code<{ kpi: string; renamedTo?: string | undefined; scorecard: string }>('error', (p) =>
    `${p.kpi} is ${p.renamedTo !== undefined ? `renamed to ${p.renamedTo}` : 'removed'}, but scorecard ${p.scorecard} still lists it`),

  // the tool itself
  'internal/rule-crashed': code<{ rule: string; error: string }>('error', (p) =>
    `Internal error in check "${p.rule}": ${p.error}. The other checks ran; please report this.`),
} as const;

export type Code = keyof typeof CODES;
export type ParamsOf<C extends Code> = Parameters<(typeof CODES)[C]['message']>[0];
