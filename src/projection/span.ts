/**
 * The planning period a goal-attainment value counts toward, read from the calendar: goals
 * carry their own start and end, but the results only keep the goals' mean share gone by, so
 * the span is the calendar one (quarter, half-year or year, from the fiscal year's first
 * month) whose share gone by at the end of the reported month is that mean. Goals on their
 * own cycles match none, and then nothing is projected.
 */
export interface Span {
  name: 'quarter' | 'half-year' | 'year';
  /** Months in the span. */
  months: number;
  /** The reported month's place in it, 1-based. */
  position: number;
}

/** How far the mean share gone by may sit from the calendar's: rounding of the mean, not goals off the calendar. */
const TOLERANCE = 0.002;
const DAY = 86_400_000;
const SPANS = [{ name: 'quarter', months: 3 }, { name: 'half-year', months: 6 }, { name: 'year', months: 12 }] as const;

/** The month's place (1-based) in the span of `months` months that holds it, spans starting in the fiscal year's first month. */
export function positionIn(monthStart: Date, months: number, fiscalYearStart: number): number {
  return ((((monthStart.getUTCMonth() - (fiscalYearStart - 1)) % months) + months) % months) + 1;
}

/** Share of the span holding the month gone by at the month's end, by days (as the goals count it). */
function shareGone(monthStart: Date, months: number, fiscalYearStart: number): number {
  const position = positionIn(monthStart, months, fiscalYearStart);
  const y = monthStart.getUTCFullYear();
  const m = monthStart.getUTCMonth();
  const start = Date.UTC(y, m - (position - 1));
  const end = Date.UTC(y, m - (position - 1) + months);
  return (Date.UTC(y, m + 1) - start) / DAY / ((end - start) / DAY);
}

/** The calendar span whose share gone by matches the goals' mean `elapsed` at the end of the reported month; undefined when none does. */
export function spanOf(monthStart: Date, elapsed: number, fiscalYearStart: number): Span | undefined {
  const near = SPANS
    .map((s) => ({ ...s, distance: Math.abs(shareGone(monthStart, s.months, fiscalYearStart) - elapsed) }))
    .filter((s) => s.distance <= TOLERANCE)
    .sort((a, b) => a.distance - b.distance)[0];
  return near ? { name: near.name, months: near.months, position: positionIn(monthStart, near.months, fiscalYearStart) } : undefined;
}
