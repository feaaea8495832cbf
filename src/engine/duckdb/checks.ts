import type { Code, ParamsOf } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ColumnModel, SourceModel } from '../../model/project-model.js';
import type { Param } from '../engine.js';
import type { Database } from './database.js';
import { dataDiagnostic } from './data-diagnostic.js';
import { ident, stagedTable } from './sql.js';
import { PART, RAW } from './stage.js';
import type { StagePlan } from './stage-plan.js';

/** What a data check sees: the staged table of one source and what the project and snapshot say about it. */
export interface CheckContext {
  db: Database;
  source: string;
  spec: SourceModel;
  file: string;
  asOf: string;
  channels: string[];
  /** Columns staged with their value as it was in the file beside the typed one. */
  rawColumns: Set<string>;
  /** For a table built from exports: each export and its mapping, and the file of each. */
  parts?: StagePlan['parts'];
  fileOf(table: string): string;
  report(d: Diagnostic): void;
}

const text = (v: unknown) => String(v);
const cols = (spec: SourceModel) => Object.keys(spec.columns).map(ident).join(', ');
/** The columns as text, so any value (an infinite date, a huge number) can be shown. */
const textCols = (spec: SourceModel) => Object.keys(spec.columns).map((c) => `CAST(${ident(c)} AS VARCHAR) AS ${ident(c)}`).join(', ');

/**
 * Rows that break a rule: counted for every rule of a table in one scan (`runChecks`) and,
 * only when there are any, one diagnostic with the count and a sample row (the first
 * offending row by the table's key).
 */
interface Offending<C extends Code = Code> {
  column: string;
  where: string;
  params: readonly Param[];
  code: C;
  describe: (count: number, row: Record<string, unknown>) => ParamsOf<C>;
}

const offending = <C extends Code>(column: string, where: string, params: readonly Param[], code: C, describe: (count: number, row: Record<string, unknown>) => ParamsOf<C>): Offending =>
  ({ column, where, params, code, describe }) as unknown as Offending;

/** Renumbers a condition's `$n` placeholders to follow `offset` others, so conditions share one query. */
const shifted = (where: string, offset: number) => where.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);

/** Reports one rule's offending rows: the sample row is looked for only once the count says there are some. */
async function reportOffending(ctx: CheckContext, rule: Offending, count: number): Promise<void> {
  const table = stagedTable(ctx.source);
  const [row] = (await ctx.db.all(`SELECT ${textCols(ctx.spec)} FROM ${table} WHERE ${rule.where} ORDER BY ${cols(ctx.spec)} LIMIT 1`, rule.params)) as [Record<string, unknown>];
  ctx.report(dataDiagnostic(rule.code, rule.describe(count, row) as never, { file: ctx.file, table: ctx.source, column: rule.column, row }));
}

const keyColumns = (spec: SourceModel) => (Array.isArray(spec.key) ? spec.key : [spec.key]);

/** A value in the file that does not convert to the column's declared type (one scan counts every column). */
async function mistyped(ctx: CheckContext) {
  const table = stagedTable(ctx.source);
  const columns = [...ctx.rawColumns];
  if (columns.length === 0) return;
  const failed = (c: string) => `${ident(c + RAW)} IS NOT NULL AND ${ident(c)} IS NULL`;
  const [counts] = await ctx.db.all<Record<string, number>>(
    `SELECT ${columns.map((c, i) => `count(*) FILTER (WHERE ${failed(c)}) AS "n${i}"`).join(', ')} FROM ${table}`);
  for (const [i, column] of columns.entries()) {
    const count = counts?.[`n${i}`] ?? 0;
    if (count === 0) continue;
    const part = ctx.parts ? `, ${ident(PART)} AS part` : ', NULL AS part';
    const [{ v, part: from }] = (await ctx.db.all<{ v: string; part: string | null }>(
      `SELECT CAST(${ident(column + RAW)} AS VARCHAR) AS v${part} FROM ${table} WHERE ${failed(column)} ORDER BY v LIMIT 1`)) as [{ v: string; part: string | null }];
    const type = ctx.spec.columns[column]!.type;
    // A value from an export is named by the export's file and column, where the user can find it.
    const mapping = from ? ctx.parts?.find((p) => p.table === from)?.columns?.[column] : undefined;
    const where = from && mapping?.from ? { table: from, column: mapping.from, file: ctx.fileOf(from) } : { table: ctx.source, column, file: ctx.file };
    ctx.report(dataDiagnostic('data/mistyped', { table: where.table, column: where.column, type, count, value: v }, where));
  }
}

/**
 * A table without rows covers no period: every KPI reading it would report "nothing
 * happened" (reach 0, every HCP at no stage) about data that is not there.
 */
async function empty(ctx: CheckContext) {
  const [{ n }] = (await ctx.db.all<{ n: number }>(`SELECT count(*) AS n FROM ${stagedTable(ctx.source)}`)) as [{ n: number }];
  if (n === 0) ctx.report(dataDiagnostic('data/empty-table', { table: ctx.source, exports: ctx.parts?.length ?? 0 }, { file: ctx.file, table: ctx.source }));
}

/**
 * NaN, +Infinity or −Infinity in a number column (Parquet stores them; `1e999` in a CSV or
 * JSON file reads as infinity): no KPI can compute with them, and comparisons and sums
 * would silently drop or swallow the row. One scan counts every number column.
 */
function nonFinite(ctx: CheckContext): Offending[] {
  return Object.entries(ctx.spec.columns).filter(([, spec]) => spec.type === 'number').map(([column]) =>
    offending(column, `NOT isfinite(${ident(column)})`, [], 'data/non-finite', (count, row) => ({ table: ctx.source, column, count, value: text(row[column]) })));
}

function nullKeys(ctx: CheckContext): Offending[] {
  return keyColumns(ctx.spec).map((column) => {
    // A key that did not convert is reported by the type check; here, keys absent in the file.
    const value = ctx.rawColumns.has(column) ? ident(column + RAW) : ident(column);
    return offending(column, `${value} IS NULL`, [], 'data/null-key', (count) => ({ table: ctx.source, column, count }));
  });
}

async function duplicateKeys(ctx: CheckContext) {
  const keys = keyColumns(ctx.spec).map(ident).join(', ');
  const rows = await ctx.db.all<Record<string, unknown> & { n: number }>(
    `SELECT ${keyColumns(ctx.spec).map((k) => `CAST(${ident(k)} AS VARCHAR) AS ${ident(k)}`).join(', ')}, n FROM (SELECT ${keys}, count(*) AS n FROM ${stagedTable(ctx.source)} GROUP BY ALL HAVING count(*) > 1) ORDER BY n DESC, ${keys} LIMIT 1`);
  if (!rows[0]) return;
  const { n, ...key } = rows[0];
  const column = keyColumns(ctx.spec).join(', ');
  ctx.report(dataDiagnostic('data/duplicate-key', { table: ctx.source, column, count: n, key: Object.values(key).map(text).join(' / ') }, { file: ctx.file, table: ctx.source, column, row: key }));
}

function afterAsOf(ctx: CheckContext): Offending[] {
  const column = ctx.spec.time;
  if (!column) return [];
  // as_of may carry an offset: compare in UTC.
  const asOf = new Date(ctx.asOf).toISOString().replace('T', ' ').replace('Z', '');
  return [offending(column, `CAST(${ident(column)} AS TIMESTAMP) > CAST($1 AS TIMESTAMP)`, [asOf], 'data/after-as-of',
    (count, row) => ({ table: ctx.source, column, count, asOf: ctx.asOf, value: text(row[column]) }))];
}

function unknownValues(ctx: CheckContext): Offending[] {
  return Object.entries(ctx.spec.columns).flatMap(([column, spec]) => {
    const isChannel = ctx.spec.channel === column;
    const allowed = isChannel ? ctx.channels : spec.values?.map(String);
    if (!allowed) return [];
    const numeric = spec.type === 'integer' || spec.type === 'number';
    const where = numeric
      ? `${ident(column)} IS NOT NULL AND NOT list_contains($1::DOUBLE[], CAST(${ident(column)} AS DOUBLE))`
      : `${ident(column)} IS NOT NULL AND NOT list_contains($1::VARCHAR[], CAST(${ident(column)} AS VARCHAR))`;
    const list = numeric ? (spec.values ?? []).map(Number) : allowed;
    return [isChannel
      ? offending(column, where, [list], 'data/unknown-channel', (count, row) => ({ table: ctx.source, column, count, value: text(row[column]) }))
      : offending(column, where, [list], 'data/unknown-value', (count, row) => ({ table: ctx.source, column, count, value: text(row[column]) }))];
  });
}

function scaleCondition(column: string, spec: ColumnModel, params: Param[]): { where: string; text: string } | undefined {
  const bind = (v: Param) => { params.push(v); return `$${params.length}`; };
  const c = ident(column);
  if (spec.scale) return { where: `(${c} < ${bind(spec.scale.min)} OR ${c} > ${bind(spec.scale.max)})`, text: `${spec.scale.min}–${spec.scale.max}` };
  if (!spec.scale_by) return undefined;
  const by = ident(spec.scale_by.column);
  const parts = Object.entries(spec.scale_by.scales).map(([value, s]) => `(CAST(${by} AS VARCHAR) = ${bind(value)} AND (${c} < ${bind(s.min)} OR ${c} > ${bind(s.max)}))`);
  const ranges = Object.entries(spec.scale_by.scales).map(([value, s]) => `${value} ${s.min}–${s.max}`).join(', ');
  return { where: `(${parts.join(' OR ')})`, text: `its scale (${ranges})` };
}

function outOfScale(ctx: CheckContext): Offending[] {
  return Object.entries(ctx.spec.columns).flatMap(([column, spec]) => {
    const params: Param[] = [];
    const condition = scaleCondition(column, spec, params);
    if (!condition) return [];
    return [offending(column, condition.where, params, 'data/out-of-scale', (count, row) => ({
      table: ctx.source, column, count, value: `${text(row[column])}${spec.scale_by ? ` (${spec.scale_by.column} ${text(row[spec.scale_by.column])})` : ''}`, scale: condition.text,
    }))];
  });
}

function reversedPeriods(ctx: CheckContext): Offending[] {
  const spans = [ctx.spec.span && [ctx.spec.span.start, ctx.spec.span.end], ctx.spec.validity && [ctx.spec.validity.from, ctx.spec.validity.to]];
  return spans.flatMap((span) => {
    if (!span) return [];
    const [start, end] = span as [string, string];
    return [offending(end, `${ident(end)} < ${ident(start)}`, [], 'data/reversed-period',
      (count, row) => ({ table: ctx.source, column: `${start} → ${end}`, count, start: text(row[start]), end: text(row[end]) }))];
  });
}

/** A check: either it queries the table itself, or it states rules whose offending rows are counted together. */
type Check = { run: (ctx: CheckContext) => Promise<void> } | { rules: (ctx: CheckContext) => Offending[] };

/** The load checks, in the order they report. */
const DATA_CHECKS: readonly Check[] = [
  { run: empty }, { run: mistyped }, { rules: nonFinite }, { rules: nullKeys }, { run: duplicateKeys }, { rules: afterAsOf }, { rules: unknownValues }, { rules: outOfScale }, { rules: reversedPeriods },
];

/**
 * Runs every load check on one staged table. The rules of all checks are counted in one scan
 * of the table (a 10-million-row table is read once, not once per rule); a sample row is then
 * looked for only for a rule some row breaks. Diagnostics come in the checks' order.
 */
export async function runChecks(ctx: CheckContext): Promise<void> {
  const rules = new Map(DATA_CHECKS.map((check) => [check, 'rules' in check ? check.rules(ctx) : []]));
  const all = [...rules.values()].flat();
  const counts: number[] = [];
  if (all.length > 0) {
    const params: Param[] = [];
    const counted = all.map((rule, i) => {
      const where = shifted(rule.where, params.length);
      params.push(...rule.params);
      return `count(*) FILTER (WHERE ${where}) AS "n${i}"`;
    });
    const [row] = await ctx.db.all<Record<string, number>>(`SELECT ${counted.join(', ')} FROM ${stagedTable(ctx.source)}`, params);
    all.forEach((_rule, i) => counts.push(row?.[`n${i}`] ?? 0));
  }
  const countOf = new Map(all.map((rule, i) => [rule, counts[i]!]));
  for (const check of DATA_CHECKS) {
    if ('run' in check) await check.run(ctx);
    else for (const rule of rules.get(check)!) if (countOf.get(rule)! > 0) await reportOffending(ctx, rule, countOf.get(rule)!);
  }
}
