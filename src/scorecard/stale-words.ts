import { parsePeriod, type Calendar } from '../model/period.js';
import type { KpiResultSpec } from '../spec/results.js';
import { formatDate, lagWords } from './format.js';

/** Whether an ISO-8601 duration is no time at all (`P0D`: a source that declares no lag). */
const isZero = (duration: string) => !/[1-9]/.test(duration);

/**
 * Why a KPI shows an earlier period than asked, in words: the asked period is not over at
 * the as-of date ("2026-Q4 is not complete: data to 1 Nov 2026"), or a source arrives late
 * ("rx data arrives 1 month late"). A source without a lag is never said to lag "P0D".
 */
export function staleWords(stale: NonNullable<KpiResultSpec['stale']>, asOf: string, calendar: Calendar, name: (source: string) => string = (s) => s): string {
  const requested = parsePeriod(stale.requested, calendar);
  if (!requested || requested.end.getTime() > Date.parse(asOf) || isZero(stale.lag)) {
    return `${stale.requested} is not complete: data to ${formatDate(asOf)}`;
  }
  return `${name(stale.source)} data arrives ${lagWords(stale.lag)} late`;
}
