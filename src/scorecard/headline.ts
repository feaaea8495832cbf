import { standardDeviation } from '../model/stats.js';
import { ANOMALY_THRESHOLD, anomalyOf } from './anomaly.js';
import { formatDelta } from './format.js';
import { isNumber, type KpiRow, type Mover, type RecipientScorecard, type TrendView } from './view.js';

/** Fewer earlier changes than this and a KPI's spread is not known: its move is measured against its previous value. */
const MIN_CHANGES = 3;
/**
 * Whether the last two values are both far outside the values before them, the same way (⚑
 * by the anomaly rule): a collapse last period that held this one. Its move is then read over
 * both periods; otherwise this period's small step would hide it.
 */
function heldMove(r: KpiRow): boolean {
  const values = r.trend.map((t) => t.value);
  const before = values.slice(0, -2);
  const previous = anomalyOf(values.at(-2) ?? null, before);
  const now = anomalyOf(values.at(-1) ?? null, before);
  return previous !== undefined && now !== undefined && previous.direction === now.direction;
}

/**
 * How unusual a KPI's latest move is: the change ÷ the standard deviation of the KPI's
 * earlier changes over as many periods, all ended before the move started. A rate that
 * always wobbles does not crowd out a score that never moves. The move is this period's, or
 * the last two periods' when a collapse (or jump) held and that reads as more unusual. Without enough history, or when it
 * never changed, the move is measured relative to where it started.
 */
function moveOf(r: KpiRow): { size: number; from: TrendView; now: number } | undefined {
  const last = r.trend.length - 1;
  const now = r.trend[last]?.value;
  if (!isNumber(now) || r.trend[last]!.period !== r.period) return undefined;
  let best: { size: number; from: TrendView; now: number } | undefined;
  for (const span of heldMove(r) ? [1, 2] : [1]) {
    const from = r.trend[last - span];
    if (!from || !isNumber(from.value) || from.value === now) continue;
    const before = r.trend.slice(0, last - span + 1).map((t) => t.value);
    const changes = before.slice(span).flatMap((v, i) => (isNumber(v) && isNumber(before[i]) ? [v - before[i]!] : []));
    const spread = changes.length >= MIN_CHANGES ? standardDeviation(changes) : 0;
    const size = Math.abs(now - from.value) / (spread > 0 ? spread : Math.max(Math.abs(from.value), 1e-9));
    if (!best || size > best.size) best = { size, from, now };
  }
  return best;
}

/**
 * The top 3 moves of this period. Moves far outside the KPI's spread (above the anomaly
 * threshold) come first, in journey order, since an earlier stage's fall carries into the
 * later ones (fewer opens, fewer clicks) and the reader should meet the cause first; then the
 * other moves, the most unusual first. Left out: a KPI reported for an earlier period (a
 * lagging source, or a month in a weekly scorecard), whose move is not this period's, and a
 * change that rounds to nothing.
 */
function moversOf(rows: readonly KpiRow[], period: string, stageOrder: readonly string[], count = 3): Mover[] {
  const stageOf = (r: KpiRow) => Math.min(...r.stages.map((s) => (stageOrder.includes(s) ? stageOrder.indexOf(s) : stageOrder.length)));
  return rows
    .filter((r) => r.previous && !r.stale && r.period === period)
    .flatMap((r) => {
      const m = moveOf(r);
      return m && !formatDelta(m.from.value!, m.now, r.unit, r.digits).startsWith('±') ? [{ r, ...m, unusual: m.size > ANOMALY_THRESHOLD }] : [];
    })
    .sort((a, b) => Number(b.unusual) - Number(a.unusual) || (a.unusual ? stageOf(a.r) - stageOf(b.r) : 0) || b.size - a.size || a.r.id.localeCompare(b.r.id))
    .slice(0, count)
    .map(({ r, from, now }) => ({
      id: r.id, name: r.name, delta: formatDelta(from.value!, now, r.unit, r.digits), since: from.period,
      better: (now > from.value!) === (r.direction === 'higher'), status: r.status,
    }));
}

/** The status counts in words and the biggest moves. */
export function headlineOf(rows: readonly KpiRow[], period: string, stageOrder: readonly string[]): RecipientScorecard['headline'] {
  const counts = { green: 0, amber: 0, red: 0, other: 0 };
  for (const r of rows) {
    const s = r.status.status;
    if (s === 'green' || s === 'amber' || s === 'red') counts[s] += 1;
    else counts.other += 1;
  }
  const movers = moversOf(rows, period, stageOrder);
  const parts = [`${counts.green} on target`, `${counts.amber} near`, `${counts.red} off target`];
  if (counts.other > 0) parts.push(`${counts.other} without a status`);
  const text = `${parts.join(', ')}${movers.length > 0 ? `. Biggest move: ${movers[0]!.name} ${movers[0]!.delta} since ${movers[0]!.since}` : ''}.`;
  return { counts, text, movers };
}
