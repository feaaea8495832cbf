import type { ExportColumnModel, PartModel, UnpivotModel } from '../../model/project-model.js';
import { ident, rawTable } from './sql.js';
import type { Statement } from './statement.js';

/** One table of the snapshot read for a source: as it is, or through an export's mapping. */
export interface ExportPart {
  table: string;
  /** The column mapping (undefined: columns taken by name). */
  columns?: Record<string, ExportColumnModel>;
  /** Raw texts read as null in every column. */
  nullValues?: string[];
  unpivot?: UnpivotModel;
}

/** Internal names of the melted cell, the melted column's name and the row hash: `$` keeps them apart from any file column. */
const MELTED_VALUE = '$value';
const MELTED_NAME = '$name';
const ROW_HASH = '$row_hash';
const unpivotColumn = (column: string) => `$unpivot$${column}`;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_ABBREVIATIONS = MONTHS.map((m) => m.slice(0, 3));

/** Reads of the relation: the file's column, or the unpivot's melted value or name. */
export function readsColumn(part: ExportPart, from: string): string {
  if (part.unpivot?.value === from) return MELTED_VALUE;
  if (part.unpivot?.name === from) return MELTED_NAME;
  return from;
}

/** The file columns a mapping reads (its `from` and every `{from:}` part), unpivot pseudo-columns excluded. */
export function fileColumnsRead(part: ExportPart, mapping: ExportColumnModel): string[] {
  const parts: PartModel[] = [
    ...(mapping.from !== undefined ? [{ from: mapping.from }] : []),
    ...(mapping.coalesce ?? []), ...(mapping.concat ?? []),
    ...(mapping.date_from_parts ? Object.values(mapping.date_from_parts) : []),
  ];
  return parts.flatMap((p) => (typeof p === 'object' && readsColumn(part, p.from) === p.from ? [p.from] : []));
}

const usesRowHash = (part: ExportPart) => Object.values(part.columns ?? {}).some((m) => m.generate === 'row_hash');

/** `text` with the null tokens read as null. */
function nullable(text: string, tokens: string[], stmt: Statement): string {
  return tokens.length === 0 ? text : `CASE WHEN list_contains(${stmt.bind(tokens)}::VARCHAR[], ${text}) THEN NULL ELSE ${text} END`;
}

/**
 * The rows a part's mappings read, as `… AS r`: the file's table or, for an unpivot, one
 * branch per melted column carrying that column's name, its cell (export null tokens read
 * as null; null cells dropped unless kept) and the canonical values it sets. The row hash,
 * when a mapping asks for it, is computed here from the file's own row.
 */
export function relation(part: ExportPart, fileColumns: string[], stmt: Statement): string {
  // JSON keeps a null apart from empty text, and the file's column order is part of the row;
  // a melted row's hash also holds the column it came from.
  const hashOf = (name?: string) => `, sha256(json_array(${[stmt.bind(part.table), ...(name ? [name] : []), ...fileColumns.map((c) => `CAST(f.${ident(c)} AS VARCHAR)`)].join(', ')})) AS ${ident(ROW_HASH)}`;
  const hashed = usesRowHash(part);
  if (!part.unpivot) return hashed ? `(SELECT f.*${hashOf()} FROM ${rawTable(part.table)} AS f) AS r` : `${rawTable(part.table)} AS r`;
  const unpivot = part.unpivot;
  const set = [...new Set(Object.values(unpivot.columns).flatMap((values) => Object.keys(values)))];
  const branches = Object.entries(unpivot.columns).map(([column, values]) => {
    const cell = nullable(`CAST(f.${ident(column)} AS VARCHAR)`, part.nullValues ?? [], stmt);
    const name = stmt.bind(column);
    const branchHash = hashed ? hashOf(name) : '';
    const canonical = set.map((c) => `CAST(${stmt.bind(values[c] === undefined || values[c] === null ? null : String(values[c]))} AS VARCHAR) AS ${ident(unpivotColumn(c))}`);
    return `SELECT f.*, ${name} AS ${ident(MELTED_NAME)}, ${cell} AS ${ident(MELTED_VALUE)}${canonical.map((c) => `, ${c}`).join('')}${branchHash}
      FROM ${rawTable(part.table)} AS f${unpivot.keep_nulls ? '' : ` WHERE ${cell} IS NOT NULL`}`;
  });
  return `(${branches.join(' UNION ALL ')}) AS r`;
}

/** The text of one `from` read: the relation's column with the export's and the mapping's null tokens read as null. */
function read(part: ExportPart, mapping: ExportColumnModel, from: string, stmt: Statement): string {
  return nullable(`CAST(r.${ident(readsColumn(part, from))} AS VARCHAR)`, [...(part.nullValues ?? []), ...(mapping.null_values ?? [])], stmt);
}

function partText(part: ExportPart, mapping: ExportColumnModel, value: PartModel, stmt: Statement): string {
  return typeof value === 'object' ? read(part, mapping, value.from, stmt) : `CAST(${stmt.bind(String(value))} AS VARCHAR)`;
}

/** The text of a `from` mapping after null tokens and `map`, before `prefix`. */
export function mappedText(part: ExportPart, mapping: ExportColumnModel & { from: string }, stmt: Statement): string {
  const text = read(part, mapping, mapping.from, stmt);
  return mapCases(text, mapping.map, stmt);
}

/** The joined text of a `concat` mapping, before its `map`; NULL when any part is null. */
export function concatText(part: ExportPart, mapping: ExportColumnModel, stmt: Statement): string {
  return `(${mapping.concat!.map((p) => partText(part, mapping, p, stmt)).join(' || ')})`;
}

/** A text through a `map`: each listed value translated, any other value NULL (loading reports those first). */
function mapCases(text: string, map: ExportColumnModel['map'], stmt: Statement): string {
  if (!map) return text;
  const cases = Object.entries(map).map(([k, v]) => `WHEN ${stmt.bind(k)} THEN ${stmt.bind(v === null ? null : String(v))}`);
  return `CASE ${text} ${cases.join(' ')} END`;
}

/** A month as a number: 1–12, or an English name or three-letter abbreviation in any case; NULL when it is neither. */
function monthNumber(text: string, stmt: Statement): string {
  const t = `lower(trim(${text}))`;
  return `CASE WHEN regexp_full_match(${t}, '[0-9]{1,2}') THEN CAST(${t} AS INTEGER)
    ELSE coalesce(list_position(${stmt.bind(MONTH_ABBREVIATIONS)}::VARCHAR[], ${t}), list_position(${stmt.bind(MONTHS)}::VARCHAR[], ${t}), list_position(['sept'], ${t}) * 9) END`;
}

/**
 * The ISO text of a date built from parts (`2026-02-03` or `2026-02-03 09:00`), NULL when a
 * part is null. Parts that make no date (month `Foo`, day 31 in February) give text that
 * does not convert: loading reports such rows before any is typed.
 */
export function dateText(part: ExportPart, mapping: ExportColumnModel, stmt: Statement): string {
  const spec = mapping.date_from_parts!;
  const text = (p: PartModel) => `trim(${partText(part, mapping, p, stmt)})`;
  const [year, month, day] = [text(spec.year), text(spec.month), text(spec.day)];
  const time = spec.time === undefined ? undefined : text(spec.time);
  const number = (t: string, digits: string) => `CASE WHEN regexp_full_match(${t}, '[0-9]{${digits}}') THEN CAST(${t} AS INTEGER) END`;
  const y = number(year, '4');
  const m = monthNumber(month, stmt);
  const d = number(day, '1,2');
  const date = `CASE WHEN ${y} IS NOT NULL AND ${m} IS NOT NULL AND ${d} IS NOT NULL
    THEN printf('%04d-%02d-%02d', ${y}, ${m}, ${d}) ELSE ${year} || '-' || ${month} || '-' || ${day} END`;
  return time === undefined ? `(${date})` : `(${date} || ' ' || ${time})`;
}

/** The raw (text) expression for one canonical column from one part; NULL when the part leaves it empty. */
export function exportExpression(part: ExportPart, column: string, stmt: Statement): string {
  if (!part.columns) return `r.${ident(column)}`;
  const mapping = part.columns[column];
  if (!mapping) {
    const fromUnpivot = part.unpivot && Object.values(part.unpivot.columns).some((values) => column in values);
    return fromUnpivot ? `r.${ident(unpivotColumn(column))}` : 'NULL';
  }
  if (mapping.from !== undefined) {
    const text = mappedText(part, { ...mapping, from: mapping.from }, stmt);
    return mapping.prefix === undefined ? text : `(${stmt.bind(mapping.prefix)} || ${text})`;
  }
  if (mapping.coalesce) return `coalesce(${mapping.coalesce.map((p) => partText(part, mapping, p, stmt)).join(', ')})`;
  if (mapping.concat) return mapCases(concatText(part, mapping, stmt), mapping.map, stmt);
  if (mapping.date_from_parts) return dateText(part, mapping, stmt);
  if (mapping.generate === 'row_hash') return `r.${ident(ROW_HASH)}`;
  const constant = mapping.constant !== undefined ? mapping.constant : mapping.value;
  return `CAST(${stmt.bind(constant === null || constant === undefined ? null : String(constant))} AS VARCHAR)`;
}
