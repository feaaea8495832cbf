import type { MonitorModel } from '../model/monitor.js';

/**
 * What a loaded snapshot says of one source, gathered by `pipeline/feed-stats.ts`: plain,
 * JSON-serializable data, so the findings can be computed (and tested) without a database.
 */
export interface FeedStats {
  source: string;
  /** The snapshot's as-of instant (ISO 8601). */
  as_of: string;
  /** The latest value of the time column (ISO 8601), or null when the table has no rows, no time column, or did not load. */
  latest: string | null;
  /**
   * `month` when every time value is the first of a month at midnight (monthly deliveries such
   * as Rx: a row stands for its whole month); otherwise `day`. Absent counts as `day`.
   */
  grain?: 'day' | 'month';
  /** Rows per UTC day, oldest first, days with 0 rows included: the history and the judged day after it. */
  daily: { day: string; rows: number }[];
  /**
   * The declared columns and those the file has, as the loader read its header; null when
   * the file is not compared (a table built from exports reads only some of a vendor's
   * columns: a missing one fails the load and is reported under `checks`).
   */
  columns: { declared: string[]; present: string[] } | null;
  /** Per value of the channel and event columns: the first and last day it occurs on, and its rows. */
  values: { column: string; value: string; first_day: string; last_day: string; rows: number }[];
  /** The load checks this source (or one of its exports) failed, in the loader's words. */
  checks: { code: string; message: string }[];
  /** Why the table could not be read at all (not in the snapshot, failed its checks); absent when it loaded. */
  unread?: string;
}

export type MonitorName = 'freshness' | 'volume' | 'schema' | 'checks';

/**
 * One check of one feed. `detail` is one plain-text sentence a feed owner understands; it
 * quotes names and values from the data, so whoever shows it escapes it for its medium.
 */
export interface FeedFinding {
  source: string;
  monitor: MonitorName;
  state: 'ok' | 'breach' | 'no_data';
  /** The figure judged: days since the latest row, the day's rows, the number of schema changes or failed checks. */
  value?: number;
  /** The limit it was judged against: days allowed, the bound of the usual range that was crossed, 0. */
  threshold?: number;
  /** The day the problem shows from (the first day without rows, the judged day, the first day of a new value). */
  since?: string;
  detail: string;
}

/** What kpiops.yaml declares of the feed: how late it may arrive and its monitor settings. */
export interface FeedDeclaration {
  lag?: string;
  monitor: MonitorModel;
}
