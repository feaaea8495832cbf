import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { SourceModel } from '../../model/project-model.js';
import type { Database } from './database.js';
import { dataDiagnostic } from './data-diagnostic.js';
import { ident, stagedTable } from './sql.js';
import { PART } from './stage.js';

/** Restated values listed one by one; beyond them, one finding gives the count. */
const LISTED = 100;

export interface VintageContext {
  db: Database;
  source: string;
  spec: SourceModel;
  file: string;
  /** For a table built from exports: the file of each export (rows name theirs in `$part`), so a restatement points at the delivery that made it. */
  fileOf?: (table: string) => string;
  report(d: Diagnostic): void;
}

/**
 * For a source delivered several times (`vintage: {column, keep: latest}`): reports every
 * value a later delivery changes (per key and column, old → new), then keeps per key only
 * the rows of the latest delivery. Rows it cannot place are kept for the checks to report:
 * a key or delivery that is missing (or did not convert), and rows that repeat a key within
 * one delivery (a duplicate key whichever delivery it is in).
 */
export async function keepLatestDelivery(ctx: VintageContext): Promise<void> {
  const vintage = ctx.spec.vintage;
  if (!vintage) return;
  const keys = Array.isArray(ctx.spec.key) ? ctx.spec.key : [ctx.spec.key];
  const v = ident(vintage.column);
  const by = keys.map(ident).join(', ');
  const placed = [...keys.map((k) => `${ident(k)} IS NOT NULL`), `${v} IS NOT NULL`].join(' AND ');
  const table = stagedTable(ctx.source);
  const compared = Object.keys(ctx.spec.columns).filter((c) => !keys.includes(c) && c !== vintage.column);
  if (compared.length > 0) await reportRestatements(ctx, { table, keys, v, by, placed, compared });
  await ctx.db.run(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM ${table}
    QUALIFY NOT (${placed}) OR ${v} = max(${v}) OVER (PARTITION BY ${by}) OR count(*) OVER (PARTITION BY ${by}, ${v}) > 1`);
}

interface Shape { table: string; keys: string[]; v: string; by: string; placed: string; compared: string[] }

async function reportRestatements(ctx: VintageContext, s: Shape) {
  const text = (sql: string) => `CAST(${sql} AS VARCHAR)`;
  // One row per key and delivery (a key repeated within a delivery is a duplicate, reported by the checks).
  const deliveries = `SELECT * FROM ${s.table} WHERE ${s.placed} QUALIFY count(*) OVER (PARTITION BY ${s.by}, ${s.v}) = 1`;
  const previous = s.compared.map((c) => `lag(${ident(c)}) OVER w AS ${ident(`${c}$previous`)}`).join(', ');
  const changes = s.compared.map((c) => `SELECT ${s.keys.map((k) => `${text(ident(k))} AS ${ident(k)}`).join(', ')}, ${text(`'${c}'`)} AS "$column",
      ${text(ident(`${c}$previous`))} AS "$old", ${text(ident(c))} AS "$new", ${text('"$delivery"')} AS "$delivery", ${text('"$previous"')} AS "$previous"${ctx.fileOf ? `, ${ident(PART)} AS "$part"` : ''}
    FROM lagged WHERE "$previous" IS NOT NULL AND ${ident(c)} IS DISTINCT FROM ${ident(`${c}$previous`)}`);
  const rows = await ctx.db.all<Record<string, string> & { $count: number }>(`
    WITH lagged AS (SELECT *, ${s.v} AS "$delivery", lag(${s.v}) OVER w AS "$previous", ${previous}
      FROM (${deliveries}) WINDOW w AS (PARTITION BY ${s.by} ORDER BY ${s.v}))
    SELECT *, count(*) OVER () AS "$count" FROM (${changes.join(' UNION ALL ')})
    ORDER BY ${s.keys.map(ident).join(', ')}, "$delivery", "$column" LIMIT ${LISTED}`);
  for (const r of rows) {
    const row = Object.fromEntries(s.keys.map((k) => [k, r[k]]));
    const described = s.keys.map((k) => `${k} ${r[k]}`).join(', ');
    const shown = (x: string | null) => (x === null ? 'empty' : x);
    ctx.report(dataDiagnostic('data/restated', {
      table: ctx.source, column: r.$column!, row: described, old: shown(r.$old ?? null), new: shown(r.$new ?? null), delivery: r.$delivery!, previous: r.$previous!,
    }, { file: ctx.fileOf && r.$part ? ctx.fileOf(r.$part) : ctx.file, table: ctx.source, column: r.$column!, row }));
  }
  const total = Number(rows[0]?.$count ?? 0);
  if (total > LISTED) ctx.report(dataDiagnostic('data/restated-more', { table: ctx.source, count: total - LISTED }, { file: ctx.file, table: ctx.source }));
}
