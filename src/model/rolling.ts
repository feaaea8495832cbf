/** A window of the last 7 or 28 complete days: what an alert judged daily reads. */
export type RollingGrain = 'rolling_7d' | 'rolling_28d';

/** Days in a window of each rolling grain. */
export const ROLLING_DAYS: Readonly<Record<RollingGrain, 7 | 28>> = { rolling_7d: 7, rolling_28d: 28 };

const DAY = 86_400_000;

/**
 * The `days` whole days (UTC) before a midnight: `start` is the first day's midnight, `end`
 * (exclusive) the midnight after the last day, so an event at exactly midnight belongs to
 * the window that starts then. The label names the first and last day, both included:
 * `2026-11-05..2026-12-02` is the 28 days from 5 November to 2 December.
 */
export interface RollingPeriod {
  grain: RollingGrain;
  /** `2026-11-05..2026-12-02`: first day `..` last day, both included. */
  label: string;
  start: Date;
  end: Date;
}

export const isRollingGrain = (grain: string): grain is RollingGrain => grain === 'rolling_7d' || grain === 'rolling_28d';

const dayText = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The window of `days` complete days that ends at `end` (exclusive). A time of day is cut
 * back to that day's midnight: the day still running is not complete, so it is not in the
 * window.
 */
export function rollingPeriod(end: Date, days: 7 | 28): RollingPeriod {
  const until = Math.floor(end.getTime() / DAY) * DAY;
  const start = new Date(until - days * DAY);
  return { grain: days === 7 ? 'rolling_7d' : 'rolling_28d', label: `${dayText(start)}..${dayText(new Date(until - DAY))}`, start, end: new Date(until) };
}

/** Reads a window's label (`2026-11-05..2026-12-02`); undefined when it is not one, or spans neither 7 nor 28 days. */
export function parseRollingPeriod(label: string): RollingPeriod | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(label);
  if (!m) return undefined;
  const [first, last] = [Date.parse(`${m[1]}T00:00:00Z`), Date.parse(`${m[2]}T00:00:00Z`)];
  // Date.parse rolls 2026-02-30 over to March: a day that does not exist is not read.
  if (Number.isNaN(first) || Number.isNaN(last) || dayText(new Date(first)) !== m[1] || dayText(new Date(last)) !== m[2]) return undefined;
  const days = (last - first) / DAY + 1;
  return days === 7 || days === 28 ? rollingPeriod(new Date(last + DAY), days) : undefined;
}

/** The window `steps` windows before (negative: after) this one: back to back, of the same length. */
export function shiftRolling(window: RollingPeriod, steps: number): RollingPeriod {
  const days = ROLLING_DAYS[window.grain];
  return rollingPeriod(new Date(window.end.getTime() - steps * days * DAY), days);
}

/**
 * The window 364 days earlier: 52 whole weeks, so it holds the same weekdays as this one
 * (a window's value moves with how many Mondays or Sundays it holds; 365 days back would
 * swap a weekday for another). For 28-day windows 364 days is 13 windows, so the windows a
 * year back are the trend's own back-to-back series continued.
 */
export function rollingYearBefore(window: RollingPeriod): RollingPeriod {
  return rollingPeriod(new Date(window.end.getTime() - 364 * DAY), ROLLING_DAYS[window.grain]);
}

/** The window of a grain ending at the last midnight by `coveredUntil`: complete days only. */
export function lastCoveredWindow(grain: RollingGrain, coveredUntil: Date): RollingPeriod {
  return rollingPeriod(coveredUntil, ROLLING_DAYS[grain]);
}

/**
 * Kinds whose definition is cut by the calendar, so a window of days would give a number
 * that looks like theirs but means something else. Every other kind counts what happened
 * between two instants (a funnel's cohort, who came back after a lapse, catalog items
 * available), which a window of days is as well as a month is.
 */
export const CALENDAR_KINDS: Readonly<Partial<Record<string, string>>> = {
  index: 'the engagement index reads trailing calendar months (its consistency counts the months with an engagement), not a window of days',
  stage: 'journey stages are read over trailing calendar months, not a window of days',
  attainment: 'goal attainment counts points toward goals over their planning periods to date, not within a window of days',
  benchmark: 'competitor benchmarks are published per calendar period: none matches a window of days',
  cap: 'over-contact is counted in calendar weeks or months (the cap\'s `per`), which a window of days would cut into parts that never reach the cap',
};
