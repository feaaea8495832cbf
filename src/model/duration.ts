/**
 * An ISO-8601 duration of years, months, weeks and days (`P1M`, `P90D`, `P1Y2W`): the only
 * durations KPI files take (`Duration` in `spec/common.ts` checks the same shape).
 */
export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
}

const PATTERN = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;
const DAY = 86_400_000;

/** Reads a duration; undefined when the text is not one. */
export function parseDuration(text: string): Duration | undefined {
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const [years, months, weeks, days] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number];
  return { years, months, weeks, days };
}

/** Reads a duration the schema has already checked; throws on anything else (a bug, not a user error). */
export function checkedDuration(text: string): Duration {
  const d = parseDuration(text);
  if (!d) throw new RangeError(`not an ISO-8601 duration of years, months, weeks and days: ${text}`);
  return d;
}

/** Subtracts a duration from an instant, in UTC: years and months on the calendar, then weeks and days. */
export function minusDuration(instant: Date, duration: string): Date {
  const { years, months, weeks, days } = checkedDuration(duration);
  const shifted = new Date(Date.UTC(instant.getUTCFullYear() - years, instant.getUTCMonth() - months, instant.getUTCDate(),
    instant.getUTCHours(), instant.getUTCMinutes(), instant.getUTCSeconds(), instant.getUTCMilliseconds()));
  return new Date(shifted.getTime() - (weeks * 7 + days) * DAY);
}

/** Milliseconds of a duration at its longest (months count 31 days, years 366): for deciding which periods may still change. */
export function approxMs(duration: string): number {
  const { years, months, weeks, days } = checkedDuration(duration);
  return (years * 366 + months * 31 + weeks * 7 + days) * DAY;
}
