import type { KpiValues } from './evaluate.js';

/** What a source's rows cover: whether it has any, and for a time-based source the day of its first row. */
export interface SourceCover {
  rows: boolean;
  first?: Date;
}

/** What the data covers, per source: from its rows, and the first and last complete days the snapshot manifest states. */
export interface Coverage {
  cover: ReadonlyMap<string, SourceCover>;
  /** The manifest's `coverage_end` of time-based sources (the earliest of their exports'). */
  ends: ReadonlyMap<string, string>;
  /** The manifest's `coverage_start` of time-based sources (the latest of their exports'). */
  starts?: ReadonlyMap<string, string>;
}

/** Where a source's data starts: the manifest's coverage_start when it states one (authoritative, earlier or later than the rows), else its first row's day. */
function dataStart(source: string, coverage: Coverage): { source: string; day: string; stated: boolean } | undefined {
  const stated = coverage.starts?.get(source);
  if (stated) return { source, day: stated, stated: true };
  const first = coverage.cover.get(source)?.first;
  return first ? { source, day: first.toISOString().slice(0, 10), stated: false } : undefined;
}

type SliceOut = KpiValues['slices'][number];

const minusMonths = (d: Date, months: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, d.getUTCDate()));
const dayAfter = (date: string) => Date.parse(`${date}T00:00:00Z`) + 86_400_000;

/**
 * Values of periods the data does not cover are not numbers, each with its reason; counting
 * what is not there as "nothing happened" would report a wrong number:
 * - a source without rows covers no period;
 * - a period (or, for the engagement index and stages, a trailing window; for growth, the
 *   period it is compared with) that starts before a time-based source's data starts: the
 *   manifest's `coverage_start` when it states one, else the day of the source's first row
 *   (a period starting on that day is covered: coverage is by whole days, UTC);
 * - a period that ends after a time-based source's `coverage_end`.
 */
export function withCoverage(kpi: KpiValues, sources: ReadonlySet<string>, coverage: Coverage | undefined): SliceOut[] {
  if (!coverage) return kpi.slices;
  const read = [...sources].sort();
  const empty = read.find((s) => coverage.cover.get(s)?.rows === false);
  // The latest start among the sources read decides (ties: the first source by name).
  const latest = read.map((s) => dataStart(s, coverage)).filter((d) => d !== undefined).reduce<ReturnType<typeof dataStart>>((a, b) => (!a || b.day > a.day ? b : a), undefined);
  const start = latest ? Date.parse(`${latest.day}T00:00:00Z`) : undefined;
  const ends = read.flatMap((s) => { const end = coverage.ends.get(s); return end ? [[s, end] as const] : []; }).sort((a, b) => a[1].localeCompare(b[1]));
  const { plan } = kpi;
  const months = plan.kind === 'index' || plan.kind === 'stage' ? plan.settings.trailing_months : 0;
  const comparisons = plan.kind === 'growth' ? plan.settings.comparison : undefined;
  const periods = new Map(kpi.plan.trend.map((p) => [p.label, p]));
  // Where the data's start falls: inside what the value reads, or after all of it (a period asked for before the data began).
  const startReason = (after: boolean) => !latest ? '' : `the ${latest.source} data starts on ${latest.day} (${latest.stated ? 'coverage_start' : 'its first row'}), ${after ? 'after' : 'inside'} this period${months ? `'s ${months}-month window` : comparisons ? ' or the one it is compared with' : ''}${after ? ' ends' : ''}`;
  /** Why the period's value is not a number, or undefined when the data covers it. */
  const uncovered = (label: string): string | undefined => {
    if (empty) return `table ${empty} has no rows`;
    const p = periods.get(label);
    if (!p) return undefined;
    // The first instant a period's value depends on: its start, or its trailing window's start when that is earlier.
    let from = months > 0 ? Math.min(Date.parse(p.start), minusMonths(new Date(p.end), months).getTime()) : Date.parse(p.start);
    const comparison = comparisons?.[label];
    if (comparison) from = Math.min(from, Date.parse(comparison.start));
    if (start !== undefined && from < start) return startReason(Date.parse(p.end) <= start);
    const short = ends.find(([, end]) => Date.parse(p.end) > dayAfter(end));
    return short ? `the ${short[0]} data is complete to ${short[1]} (the snapshot's coverage_end), before this period ends` : undefined;
  };
  return kpi.slices.map((s) => {
    const trend = s.trend.map((t) => { const reason = uncovered(t.period); return reason ? { ...t, value: null, reason } : t; });
    const reason = uncovered(kpi.plan.period.label);
    return reason ? { ...s, value: null, reason, trend } : { ...s, trend };
  });
}
