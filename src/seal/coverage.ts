/**
 * The first day a table's data is complete from, from its earliest time value: that value's
 * day (UTC). The earliest value is the only evidence in the data: a day before it is never
 * claimed (a team that knows its data is complete from an earlier day states it in the
 * manifest, and `kpiops snapshot seal --keep-coverage` keeps it).
 */
export const coverageStart = (earliest: string): string => earliest.slice(0, 10);

/**
 * The last day a table's data is complete for, from its latest time value: that value's
 * day (UTC). Monthly data — a `date` column whose every value is the first of a month, as
 * Rx is delivered — covers the whole month its latest row stands for, so it ends on that
 * month's last day. The latest value is the only evidence in the data: a day after it is
 * never claimed, so a period the data may not hold in full is never reported as complete.
 */
export function coverageEnd(latest: { at: string; monthly: boolean }): string {
  const day = latest.at.slice(0, 10);
  if (!latest.monthly) return day;
  const [year, month] = day.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}
