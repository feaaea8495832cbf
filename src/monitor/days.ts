import { minusDuration } from '../model/duration.js';

const DAY = 86_400_000;

/** The UTC day of an instant, `YYYY-MM-DD`. */
export const dayOf = (instant: string | Date): string => new Date(instant).toISOString().slice(0, 10);

/** The day `n` days after `day` (before, for a negative `n`). */
export const addDays = (day: string, n: number): string => dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY));

/** Whole days from `from` to `to` (both `YYYY-MM-DD`). */
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);

/** The instant a feed's rows have arrived up to at `asOf`: as of minus its declared lag. */
export const arrivedBy = (asOf: string, lag: string | undefined): Date => (lag ? minusDuration(new Date(asOf), lag) : new Date(asOf));

/**
 * The last day whose rows have all arrived at `asOf`: the day before the one the feed has
 * reached (that one is still arriving). As of 2026-12-03 06:00 without lag: 2026-12-02.
 */
export const lastCompleteDay = (asOf: string, lag: string | undefined): string => addDays(dayOf(arrivedBy(asOf, lag)), -1);

/** A count with thousands separators, as owners read figures. */
export const figure = (n: number): string => (Number.isInteger(n) ? n : Math.round(n * 10) / 10).toLocaleString('en-US');

/** A name or value from the data, quoted so an empty, spaced or odd one reads unambiguously. */
export const quoted = (text: string): string => JSON.stringify(text);

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
/** The English weekday of a day. */
export const weekdayOf = (day: string): string => WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()]!;
