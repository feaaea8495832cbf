import { addDays, arrivedBy, dayOf, daysBetween } from './days.js';
import type { FeedFinding, FeedStats } from './finding.js';

const DAY = 86_400_000;

/** Up to when a feed's rows reach: the latest instant, or for monthly rows the end of the latest month. */
function reachedUntil(stats: FeedStats): { instant: number; day: string } {
  const latest = new Date(stats.latest!);
  if (stats.grain !== 'month') return { instant: latest.getTime(), day: dayOf(latest) };
  const next = Date.UTC(latest.getUTCFullYear(), latest.getUTCMonth() + 1, 1);
  return { instant: next, day: dayOf(new Date(next - DAY)) };
}

/**
 * The instant a feed must reach at as-of: the start of the day the declared lag brings as-of
 * back to, less a day (without lag: yesterday's rows must be there). For a monthly feed, the
 * start of that month less a day: the month still arriving is not expected yet.
 */
function mustReach(asOf: string, lag: string | undefined, grain: FeedStats['grain']): number {
  const arrived = arrivedBy(asOf, lag);
  const start = grain === 'month'
    ? Date.UTC(arrived.getUTCFullYear(), arrived.getUTCMonth(), 1)
    : Date.UTC(arrived.getUTCFullYear(), arrived.getUTCMonth(), arrived.getUTCDate());
  return start - DAY;
}

/**
 * Freshness: the latest row must reach the day before the one the feed's declared lag
 * brings as-of back to. A monthly feed (rows dated on the 1st) reaches the end of its
 * latest month.
 */
export function freshnessFinding(stats: FeedStats, lag: string | undefined): FeedFinding {
  const { source } = stats;
  const base = { source, monitor: 'freshness' as const };
  if (stats.unread !== undefined) return { ...base, state: 'no_data', detail: `${source}: ${stats.unread}, so its freshness cannot be judged.` };
  if (stats.latest === null) return { ...base, state: 'no_data', detail: `${source} has no dated rows, so its freshness cannot be judged.` };
  const limit = mustReach(stats.as_of, lag, stats.grain);
  const asOfDay = dayOf(stats.as_of);
  const reached = reachedUntil(stats);
  const allowed = daysBetween(dayOf(new Date(limit)), asOfDay);
  const age = daysBetween(reached.day, asOfDay);
  const late = lag ? `the feed may arrive ${lag} (its lag) and a day late` : 'the feed arrives up to 1 day late';
  const what = stats.grain === 'month' ? `the latest month is ${reached.day.slice(0, 7)}, which ends` : 'the latest row is from';
  const numbers = { value: age, threshold: allowed };
  if (reached.instant < limit) {
    return { ...base, state: 'breach', ...numbers, since: addDays(reached.day, 1), detail: `${source}: ${what} ${reached.day}, ${age} days before ${asOfDay}; ${late}.` };
  }
  return { ...base, state: 'ok', ...numbers, detail: `${source}: ${what} ${reached.day}; ${late}.` };
}
