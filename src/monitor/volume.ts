import { median, medianAbsoluteDeviation } from '../model/stats.js';
import { MIN_HISTORY_DAYS, type MonitorModel } from '../model/monitor.js';
import { figure, lastCompleteDay, weekdayOf } from './days.js';
import type { FeedFinding, FeedStats } from './finding.js';

/** MAD × 1.4826 estimates the standard deviation of normally spread counts. */
const MAD_TO_SD = 1.4826;
/** Weekly seasonality needs each weekday seen this often in the history. */
const WEEKS_FOR_SEASONALITY = 3;

type Day = FeedStats['daily'][number];

const meanAbsDeviation = (xs: readonly number[], centre: (i: number) => number) => xs.reduce((sum, x, i) => sum + Math.abs(x - centre(i)), 0) / xs.length;

/**
 * Whether the feed follows a weekly pattern (quiet weekends): with at least three weeks of
 * history, the weekday's own median explains at least half of the days' deviation from
 * the overall median. Then a day is compared with the same weekdays only.
 */
export function isWeekly(history: readonly Day[]): boolean {
  if (history.length < 7 * WEEKS_FOR_SEASONALITY) return false;
  const rows = history.map((d) => d.rows);
  const byWeekday = new Map<string, number[]>();
  for (const d of history) byWeekday.set(weekdayOf(d.day), [...(byWeekday.get(weekdayOf(d.day)) ?? []), d.rows]);
  const weekdayMedian = new Map([...byWeekday].map(([w, xs]) => [w, median(xs)]));
  const overall = meanAbsDeviation(rows, () => median(rows));
  const within = meanAbsDeviation(rows, (i) => weekdayMedian.get(weekdayOf(history[i]!.day))!);
  return overall > 0 && within < overall / 2;
}

/**
 * A day's usual level and spread from past days: the median, and the larger of MAD × 1.4826
 * and √median (counts of rows vary at least that much by chance, so a perfectly steady
 * history does not make every small wobble a breach), never below 1.
 */
export function usualLevel(rows: readonly number[]): { median: number; spread: number } {
  const m = median(rows);
  return { median: m, spread: Math.max(MAD_TO_SD * medianAbsoluteDeviation(rows), Math.sqrt(Math.max(m, 1))) };
}

/**
 * Volume: the last complete day's rows against the `history_days` days before it (the same
 * weekdays only when the feed is weekly-seasonal). A day more than `volume_spreads` spreads
 * from the median is a breach, a drop or a spike. Days before the feed's first rows are
 * not history; a feed of monthly rows, or one with rows on fewer than half of its days, is
 * not judged by the day.
 */
export function volumeFinding(stats: FeedStats, lag: string | undefined, monitor: Pick<MonitorModel, 'historyDays' | 'volumeSpreads'>): FeedFinding {
  const { source } = stats;
  const base = { source, monitor: 'volume' as const };
  const noData = (why: string): FeedFinding => ({ ...base, state: 'no_data', detail: `${source}: ${why}, so its daily volume is not judged.` });
  if (stats.unread !== undefined) return noData(stats.unread);
  if (stats.latest === null) return noData('it has no dated rows');
  if (stats.grain === 'month') return noData('its rows are dated by month');
  const judged = lastCompleteDay(stats.as_of, lag);
  const at = stats.daily.findIndex((d) => d.day === judged);
  if (at < 0) return noData(`there is no count of its rows on ${judged}`);
  const window = stats.daily.slice(Math.max(0, at - monitor.historyDays), at);
  const first = window.findIndex((d) => d.rows > 0);
  const history = first < 0 ? [] : window.slice(first);
  if (history.length < MIN_HISTORY_DAYS) return noData(`it has rows on only ${history.length} of the ${monitor.historyDays} days before ${judged} (at least ${MIN_HISTORY_DAYS} needed)`);
  const active = history.filter((d) => d.rows > 0).length;
  if (active * 2 < history.length) return noData(`it has rows on only ${active} of the ${history.length} days before ${judged}; it does not arrive daily`);
  const weekly = isWeekly(history);
  const weekday = weekdayOf(judged);
  const baseline = weekly ? history.filter((d) => weekdayOf(d.day) === weekday) : history;
  const { median: m, spread } = usualLevel(baseline.map((d) => d.rows));
  const rows = stats.daily[at]!.rows;
  const k = monitor.volumeSpreads;
  const low = Math.max(0, m - k * spread);
  const high = m + k * spread;
  const against = `the median of ${figure(m)} on the previous ${baseline.length} ${weekly ? `${weekday}s` : 'days'}`;
  const range = `${figure(low)}–${figure(high)} (${k} × the usual spread of ${figure(spread)})`;
  if (Math.abs(rows - m) <= k * spread) {
    return { ...base, state: 'ok', value: rows, detail: `${source}: ${figure(rows)} rows on ${weekday} ${judged}, within ${range} around ${against}.` };
  }
  const change = m > 0 ? `${Math.round((Math.abs(rows - m) / m) * 100)} % ${rows < m ? 'below' : 'above'}` : 'above';
  return {
    ...base, state: 'breach', value: rows, threshold: rows < m ? low : high, since: judged,
    detail: `${source}: ${figure(rows)} rows on ${weekday} ${judged}, ${change} ${against}; expected ${range}.`,
  };
}
