import { duckdb, type Dialect } from '../compile/dialects/index.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { FeedMonitorModel } from '../model/monitor.js';
import type { SourceModel } from '../model/project-model.js';
import { addDays, lastCompleteDay } from '../monitor/days.js';
import { monitorFeed, type FeedFinding, type FeedStats } from '../monitor/feed.js';
import type { Queryable } from './evaluate.js';

/** What loading a snapshot said of its tables (`LoadedSnapshot` has all of it). */
export interface LoadOutcome {
  /** Sources loaded and checked. */
  tables: ReadonlyMap<string, number>;
  /** Sources that failed a check. */
  failed: ReadonlySet<string>;
  /** Sources left out: no file in the snapshot and nothing reads them. */
  absent: ReadonlySet<string>;
  diagnostics: readonly Diagnostic[];
  /** Each table file read, with its columns as the loader saw them. */
  fileColumns: ReadonlyMap<string, readonly string[]>;
}

export interface FeedStatsInput {
  db: Queryable;
  /** The SQL dialect of `db` (default DuckDB). */
  dialect?: Dialect;
  /** The monitored source and its declaration. */
  feed: FeedMonitorModel;
  spec: SourceModel;
  /** The snapshot's as-of instant. */
  asOf: Date;
  load: LoadOutcome;
}

/** The snapshot tables a source is built from: its own, or its exports. */
const tablesOf = (source: string, spec: SourceModel) => (spec.exports ? Object.keys(spec.exports) : [source]);

/** The load checks the source (or one of its exports) failed: the errors naming its tables, but the summary of blocked KPIs. */
function failedChecks(source: string, spec: SourceModel, diagnostics: readonly Diagnostic[]): FeedStats['checks'] {
  const tables = new Set([source, ...tablesOf(source, spec)]);
  return diagnostics
    .filter((d) => d.severity === 'error' && d.table !== undefined && tables.has(d.table) && d.code !== 'snapshot/blocked-kpis')
    .map((d) => ({ code: d.code, message: d.message }));
}

/**
 * The file's columns against the declared ones, for a source read from its own file. A
 * source built from exports is not compared: an export carries a vendor's whole layout, of
 * which the mapping reads some, and a column it reads that is missing fails the load.
 */
function columnsOf(source: string, spec: SourceModel, fileColumns: LoadOutcome['fileColumns']): FeedStats['columns'] {
  const present = fileColumns.get(source);
  if (spec.exports || !present) return null;
  return { declared: Object.keys(spec.columns), present: [...present] };
}

/** Why a source's rows cannot be read, or undefined when they loaded. */
function unreadReason(source: string, load: LoadOutcome): string | undefined {
  if (load.absent.has(source)) return 'the snapshot has no file for it';
  if (load.failed.has(source) || !load.tables.has(source)) return 'it failed its load checks';
  return undefined;
}

/**
 * Gathers what a loaded snapshot says of one monitored source: its latest time value,
 * rows per day over the history and the judged day, the channel and event values with the
 * days they span, its file's columns and the load checks it failed. Identifiers come from
 * the validated model and are quoted by the dialect; the days are bound parameters.
 */
export async function gatherFeedStats(input: FeedStatsInput): Promise<FeedStats> {
  const { feed, spec, load } = input;
  const { source } = feed;
  const asOf = input.asOf.toISOString();
  const unread = unreadReason(source, load);
  const base: FeedStats = {
    source, as_of: asOf, latest: null, daily: [], columns: columnsOf(source, spec, load.fileColumns),
    values: [], checks: failedChecks(source, spec, load.diagnostics), ...(unread ? { unread } : {}),
  };
  if (unread || !spec.time) return base;
  const dialect = input.dialect ?? input.db.dialect ?? duckdb;
  const table = `${dialect.table(source)} AS t`;
  const time = `CAST(t.${dialect.ident(spec.time)} AS ${dialect.type('timestamp')})`;
  const text = (sql: string) => `CAST(${sql} AS ${dialect.type('string')})`;
  const day = (sql: string) => text(`CAST(${sql} AS ${dialect.type('date')})`);

  // Rows dated after the as-of instant have not arrived as of then (a snapshot judged as of an earlier day).
  const until = [asOf];
  const [edge] = await input.db.all<{ latest: string | null; off_month: number | null }>(dialect.finish(
    `SELECT max(${time}) AS latest, sum(CASE WHEN ${dialect.truncate('month', time)} = ${time} THEN 0 ELSE 1 END) AS off_month FROM ${table} WHERE ${time} < ${dialect.param(1, 'timestamp')}`,
  ), until);
  const latest = edge?.latest ? new Date(edge.latest).toISOString() : null;

  const judged = lastCompleteDay(asOf, feed.lag);
  const first = addDays(judged, -feed.monitor.historyDays);
  const counts = await input.db.all<{ day: string; n: number }>(dialect.finish(
    `SELECT ${day(time)} AS day, count(*) AS n FROM ${table}
      WHERE ${time} >= ${dialect.param(1, 'timestamp')} AND ${time} < ${dialect.param(2, 'timestamp')} GROUP BY 1`,
  ), [`${first}T00:00:00Z`, `${addDays(judged, 1)}T00:00:00Z`]);
  const byDay = new Map(counts.map((c) => [c.day.slice(0, 10), Number(c.n)]));
  const daily = Array.from({ length: feed.monitor.historyDays + 1 }, (_, i) => addDays(first, i)).map((d) => ({ day: d, rows: byDay.get(d) ?? 0 }));

  const values: FeedStats['values'] = [];
  for (const column of [spec.channel, spec.event].filter((c): c is string => c !== undefined)) {
    const rows = await input.db.all<{ value: string; first_day: string; last_day: string; n: number }>(dialect.finish(
      `SELECT ${text(`t.${dialect.ident(column)}`)} AS value, ${day(`min(${time})`)} AS first_day, ${day(`max(${time})`)} AS last_day, count(*) AS n
        FROM ${table} WHERE t.${dialect.ident(column)} IS NOT NULL AND ${time} IS NOT NULL AND ${time} < ${dialect.param(1, 'timestamp')} GROUP BY 1 ORDER BY 1`,
    ), until);
    values.push(...rows.map((r) => ({ column, value: r.value, first_day: r.first_day.slice(0, 10), last_day: r.last_day.slice(0, 10), rows: Number(r.n) })));
  }
  const monthly = latest !== null && Number(edge?.off_month ?? 1) === 0;
  return { ...base, latest, ...(monthly ? { grain: 'month' as const } : {}), daily, values };
}

/** One monitored feed of a snapshot: what was gathered and what the monitor found. */
export interface FeedReport {
  feed: FeedMonitorModel;
  stats: FeedStats;
  findings: FeedFinding[];
}

/** Every monitored feed's stats and findings, in the order the feeds are given. */
export async function monitorFeeds(input: Omit<FeedStatsInput, 'feed' | 'spec'> & { feeds: readonly FeedMonitorModel[]; sources: Readonly<Record<string, SourceModel>> }): Promise<FeedReport[]> {
  const reports: FeedReport[] = [];
  for (const feed of input.feeds) {
    const stats = await gatherFeedStats({ ...input, feed, spec: input.sources[feed.source]! });
    reports.push({ feed, stats, findings: monitorFeed(stats, { ...(feed.lag ? { lag: feed.lag } : {}), monitor: feed.monitor }) });
  }
  return reports;
}
