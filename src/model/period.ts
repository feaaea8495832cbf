import type { Grain } from '../spec/common.js';
import { minusDuration } from './duration.js';
import { isRollingGrain, lastCoveredWindow, ROLLING_DAYS, rollingYearBefore, shiftRolling, type RollingGrain, type RollingPeriod } from './rolling.js';

export { minusDuration } from './duration.js';
export { isRollingGrain, parseRollingPeriod, ROLLING_DAYS, rollingPeriod, type RollingGrain, type RollingPeriod } from './rolling.js';

/**
 * A reporting period in UTC: an ISO week (Monday 00:00 to the next Monday), a calendar
 * month, or a quarter of the (fiscal) year. `end` is exclusive, so an event at exactly
 * midnight belongs to the period that starts then.
 *
 * Quarters follow `calendar.fiscal_year_start` (month 1–12): fiscal year Y starts on the
 * first day of that month in calendar year Y, so with a November start `2026-Q1` is
 * November 2026 to January 2027 (a quarter spanning the year end).
 */
export interface Period {
  grain: Grain;
  /** `2026-10`, `2026-W43` or `2026-Q3`. */
  label: string;
  start: Date;
  end: Date;
}

/**
 * A period results can be evaluated for: a calendar period, or a rolling window of days
 * (`rolling.ts`) that alerts judged daily read. Scorecards and KPI targets only know
 * calendar periods (`Period`), so only evaluation takes this wider type.
 */
export type EvalPeriod = Period | RollingPeriod;
export type EvalGrain = Grain | RollingGrain;

export const isRolling = (period: EvalPeriod): period is RollingPeriod => isRollingGrain(period.grain);

export interface Calendar {
  /** Month (1–12) the fiscal year starts in; 1 for calendar quarters. */
  fiscalYearStart: number;
}

export const CALENDAR_YEAR: Calendar = { fiscalYearStart: 1 };

const utc = (year: number, month0: number, day = 1) => new Date(Date.UTC(year, month0, day));
const pad = (n: number) => String(n).padStart(2, '0');
const DAY = 86_400_000;

/** Monday 00:00 UTC of ISO week 1 of an ISO year (the week holding 4 January). */
function isoWeekOne(year: number): Date {
  const jan4 = utc(year, 0, 4);
  return new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * DAY);
}

/** How many ISO weeks a year has (52, or 53 when it starts on a Thursday, or a leap year on a Wednesday). */
export function isoWeeksIn(year: number): number {
  return Math.round((isoWeekOne(year + 1).getTime() - isoWeekOne(year).getTime()) / (7 * DAY));
}

function week(year: number, week: number): Period {
  const start = new Date(isoWeekOne(year).getTime() + (week - 1) * 7 * DAY);
  return { grain: 'week', label: `${year}-W${pad(week)}`, start, end: new Date(start.getTime() + 7 * DAY) };
}

function month(year: number, month1: number): Period {
  return { grain: 'month', label: `${year}-${pad(month1)}`, start: utc(year, month1 - 1), end: utc(year, month1) };
}

function quarter(year: number, q: number, calendar: Calendar): Period {
  const first = calendar.fiscalYearStart - 1 + (q - 1) * 3;
  return { grain: 'quarter', label: `${year}-Q${q}`, start: utc(year, first), end: utc(year, first + 3) };
}

/** Reads a period label; undefined when it is not one (or names a week the year does not have). */
export function parsePeriod(label: string, calendar: Calendar = CALENDAR_YEAR): Period | undefined {
  let m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(label);
  if (m) return month(Number(m[1]), Number(m[2]));
  m = /^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$/.exec(label);
  if (m) return Number(m[2]) <= isoWeeksIn(Number(m[1])) ? week(Number(m[1]), Number(m[2])) : undefined;
  m = /^(\d{4})-Q([1-4])$/.exec(label);
  if (m) return quarter(Number(m[1]), Number(m[2]), calendar);
  return undefined;
}

/** The period of a grain that contains an instant. */
export function periodOf(instant: Date, grain: Grain, calendar: Calendar = CALENDAR_YEAR): Period {
  const year = instant.getUTCFullYear();
  if (grain === 'month') return month(year, instant.getUTCMonth() + 1);
  if (grain === 'quarter') {
    const monthsIn = (instant.getUTCMonth() - (calendar.fiscalYearStart - 1) + 12) % 12;
    const fiscalYear = instant.getUTCMonth() + 1 >= calendar.fiscalYearStart ? year : year - 1;
    return quarter(fiscalYear, Math.floor(monthsIn / 3) + 1, calendar);
  }
  // The ISO year is the year of the week's Thursday.
  const thursday = new Date(instant.getTime() + (3 - ((instant.getUTCDay() + 6) % 7)) * DAY);
  const isoYear = thursday.getUTCFullYear();
  const n = Math.floor((Date.UTC(thursday.getUTCFullYear(), thursday.getUTCMonth(), thursday.getUTCDate()) - isoWeekOne(isoYear).getTime()) / (7 * DAY)) + 1;
  return week(isoYear, n);
}

/** The period `steps` periods before (negative: after) this one; for a rolling window, back-to-back windows of the same length. */
export function shift(period: Period, steps: number, calendar?: Calendar): Period;
export function shift(period: EvalPeriod, steps: number, calendar?: Calendar): EvalPeriod;
export function shift(period: EvalPeriod, steps: number, calendar: Calendar = CALENDAR_YEAR): EvalPeriod {
  if (isRolling(period)) return shiftRolling(period, steps);
  if (period.grain === 'week') return periodOf(new Date(period.start.getTime() - steps * 7 * DAY), 'week', calendar);
  const months = period.grain === 'month' ? 1 : 3;
  const start = utc(period.start.getUTCFullYear(), period.start.getUTCMonth() - steps * months);
  return periodOf(start, period.grain, calendar);
}

/** The period and the `count` periods before it, oldest first: the window a trend shows. */
export function trailing(period: Period, count: number, calendar?: Calendar): Period[];
export function trailing(period: EvalPeriod, count: number, calendar?: Calendar): EvalPeriod[];
export function trailing(period: EvalPeriod, count: number, calendar: Calendar = CALENDAR_YEAR): EvalPeriod[] {
  return Array.from({ length: count + 1 }, (_, i) => shift(period, count - i, calendar));
}

/**
 * The same period one year earlier (for weeks: the same ISO week number, or week 52 after a
 * week 53; for a rolling window: 364 days earlier, whole weeks, see `rollingYearBefore`).
 */
export function yearBefore(period: Period, calendar?: Calendar): Period;
export function yearBefore(period: EvalPeriod, calendar?: Calendar): EvalPeriod;
export function yearBefore(period: EvalPeriod, calendar: Calendar = CALENDAR_YEAR): EvalPeriod {
  if (isRolling(period)) return rollingYearBefore(period);
  if (period.grain !== 'week') return shift(period, period.grain === 'month' ? 12 : 4, calendar);
  const [year, n] = [Number(period.label.slice(0, 4)) - 1, Number(period.label.slice(6))];
  return week(year, Math.min(n, isoWeeksIn(year)));
}

/**
 * The last period a source's data fully covers: data as of `asOf` that arrives `lag` late
 * is complete up to `asOf − lag`, so the last complete period is the latest one ending by
 * then. A report for a later period shows this one instead, flagged as stale. For a
 * rolling grain: the window ending at the last midnight by then (complete days only).
 */
export function lastCoveredPeriod(grain: Grain, asOf: Date, lag: string | undefined, calendar?: Calendar): Period;
export function lastCoveredPeriod(grain: EvalGrain, asOf: Date, lag: string | undefined, calendar?: Calendar): EvalPeriod;
export function lastCoveredPeriod(grain: EvalGrain, asOf: Date, lag: string | undefined, calendar: Calendar = CALENDAR_YEAR): EvalPeriod {
  const coveredUntil = lag ? minusDuration(asOf, lag) : asOf;
  if (isRollingGrain(grain)) return lastCoveredWindow(grain, coveredUntil);
  const containing = periodOf(new Date(coveredUntil.getTime() - 1), grain, calendar);
  return containing.end.getTime() <= coveredUntil.getTime() ? containing : shift(containing, 1, calendar);
}

/** An as-of instant as a reader writes it: the date alone at midnight UTC, else the full timestamp. */
const asOfText = (asOf: Date) => (asOf.getTime() % DAY === 0 ? asOf.toISOString().slice(0, 10) : asOf.toISOString().replace('.000Z', 'Z'));

/**
 * Why data as of `asOf` cannot report `period` at all: it starts on or after that instant,
 * so no row of it can be in the data. Undefined when the period has begun (an incomplete
 * one is reported as the last complete one, flagged as stale).
 */
export function notStarted(period: EvalPeriod, asOf: Date, calendar: Calendar = CALENDAR_YEAR): string | undefined {
  if (period.start.getTime() < asOf.getTime()) return undefined;
  const when = period.start.getTime() === asOf.getTime() ? 'on' : 'after';
  const latest = lastCoveredPeriod(period.grain, asOf, undefined, calendar);
  const noun = isRolling(period) ? `${ROLLING_DAYS[period.grain]}-day window` : period.grain;
  return `${period.label} starts ${when} the snapshot's as-of date ${asOfText(asOf)}, so the snapshot has no data for it; the latest ${noun} it covers is ${latest.label}`;
}
