import { sourcesRead } from '../model/dependencies.js';
import { entityWords, type EntityWords } from '../model/entity-words.js';
import { parsePeriod, yearBefore, shift, type Calendar } from '../model/period.js';
import type { KpiSpec } from '../spec/kpi.js';
import type { ProjectSpec } from '../spec/project.js';
import type { KpiResultSpec, Results } from '../spec/results.js';
import { selects, type ScorecardSpec } from '../spec/scorecard.js';
import type { TargetValue } from '../spec/target.js';
import { ANOMALY_THRESHOLD, anomalyOf, type Anomaly } from './anomaly.js';
import { briefView, type BriefView } from './brief.js';
import { formatAgainst, formatDate, formatDelta, formatMix, formatValue, label, lagWords, scaleDigits } from './format.js';
import { countsEachHcpOnce, plural } from './population.js';
import { staleWords } from './stale-words.js';
import { statusOf, type Status } from './status.js';
import { resolveTarget, type Dims } from './target.js';

type Value = number | Record<string, number> | null;
type Slice = KpiResultSpec['slices'][number];

/** Where a KPI's definition changed (from git history), so a reader knows the trend was recomputed. */
export interface DefinitionChange {
  /** When the change was committed (ISO). */
  at: string;
  commit?: string;
  subject?: string;
}

/** One target HCP of a rep's territory, for the n=1 pre-meeting brief. */
export interface HcpBrief {
  hcp_id: string;
  /** How reps know the HCP, when the HCP table has a `name` column. */
  name?: string | null;
  territory: string;
  segment?: string | null;
  specialty?: string | null;
  /** Channels the HCP engaged on in the look-back, most used first. */
  channels: string[];
  engaged_touches: number;
  last_touch?: { at: string; channel: string; event: string };
  /** Open items, e.g. a sample request not followed by a visit. */
  open_items: Array<{ kind: string; at: string; text: string }>;
  /** Push touches above a channel's cap in some window of the period. */
  over_cap?: { channel: string; window: string; touches: number; cap: number };
}

export interface ScorecardContext {
  project: ProjectSpec;
  calendar: Calendar;
  kpis: ReadonlyMap<string, KpiSpec>;
  results: Results;
  /** Definition changes per KPI id, newest last. */
  history?: ReadonlyMap<string, readonly DefinitionChange[]>;
  /** n=1 briefs per territory; only rep briefs read them. */
  briefs?: ReadonlyMap<string, readonly HcpBrief[]>;
  /** Each source's coverage end (last complete day), from the snapshot manifest. */
  coverage?: Readonly<Record<string, string | undefined>>;
}

export interface StatusView {
  status: Status;
  /** A symbol and a word, so the status never rests on colour alone. */
  symbol: string;
  label: string;
  reason?: string;
}

export interface Comparison {
  period: string;
  /** The period in few words ("Sep", "Oct ’25", "W42", "Q2 ’25"), for narrow layouts. */
  short: string;
  value: number;
  display: string;
  delta: string;
  /** Whether the move is in the KPI's good direction. */
  better: boolean | null;
}

export interface TrendView {
  period: string;
  /** Null when missing or suppressed. */
  value: number | null;
  n: number;
  suppressed?: true;
  provisional?: true;
  /** The definition changed in this period (the values before it were recomputed with the new one). */
  definition_change?: DefinitionChange;
}

export interface BreakdownCell {
  value: string;
  display: string;
  n: number;
  status: StatusView;
  suppressed: boolean;
}

export interface KpiRow {
  id: string;
  name: string;
  description: string;
  kind: string;
  unit: KpiSpec['unit'];
  /** A score KPI's digits, the same for all its values (see scaleDigits). */
  digits?: number;
  direction: KpiSpec['direction'];
  indicator: KpiSpec['indicator'];
  stages: string[];
  /** The reported period (earlier than the scorecard's when the KPI is stale). */
  period: string;
  value: Value;
  display: string;
  n: number;
  suppressed: boolean;
  /** Why there is no value. */
  reason?: string;
  status: StatusView;
  target?: { value: TargetValue; display: string; from: string; detail?: string };
  target_note?: string;
  previous?: Comparison;
  last_year?: Comparison;
  trend: TrendView[];
  anomaly?: Anomaly;
  definition_changes: Array<DefinitionChange & { period: string }>;
  stale?: { requested: string; source: string; lag: string };
  provisional?: true;
  /** NPS-style scores: the answer distribution grouped into promoters, passives and detractors. */
  distribution?: { promoters: number; passives: number; detractors: number; respondents: number };
  /** For share and stage KPIs: each category's share. */
  mix?: Array<{ category: string; label: string; share: number; display: string }>;
  breakdown?: BreakdownCell[];
  /**
   * Goal attainment before its goals' planning periods end. `new_goals`: some goals began
   * within this period, so the previous period's value counted other goals and is not compared.
   */
  pace?: { elapsed: number; expected: number; full: number; on_pace_share: number | null; new_goals: boolean; display: string };
  /** Beside its parts, a total that counts each HCP once says so ("All brands counts each HCP once, …"). */
  total_note?: string;
}

export interface Group {
  id: string;
  title: string;
  rows: KpiRow[];
}

export interface Mover {
  id: string;
  name: string;
  delta: string;
  /** The period the move is measured from. */
  since: string;
  better: boolean | null;
  status: StatusView;
}

export interface RecipientScorecard {
  scorecard: { id: string; title: string; description?: string; grain: string };
  project: string;
  recipient: { name: string; email: string; filter: Dims };
  slice: Dims;
  /** "Brand cardiora", "Territory T-042", or "All brands" for the total. */
  slice_label: string;
  period: { label: string; start: string; end: string };
  as_of: { snapshot: string; display: string; sources: Array<{ source: string; coverage_end?: string; lag?: string; display: string }> };
  audit: { config_hash: string; snapshot_id: string; snapshot_checksum: string };
  headline: { counts: Record<'green' | 'amber' | 'red' | 'other', number>; text: string; movers: Mover[] };
  groups: Group[];
  breakdown?: { dimension: string; values: string[] };
  brief?: BriefView;
  /** No KPI has a value for this recipient's slice. */
  empty: boolean;
  /** Privacy: values hidden in this scorecard (including complementary suppression). */
  suppressed: number;
  /** What the counted entities are called (HCPs when not given). */
  entity?: EntityWords;
}

const DAY = 86_400_000;

const STATUS: Record<Status, { symbol: string; label: string }> = {
  green: { symbol: '✓', label: 'On target' },
  amber: { symbol: '!', label: 'Near target' },
  red: { symbol: '✗', label: 'Off target' },
  no_target: { symbol: '–', label: 'No target' },
  insufficient_data: { symbol: '?', label: 'Too little data' },
  suppressed: { symbol: '⊘', label: 'Hidden (privacy)' },
  stale: { symbol: '…', label: 'Data not in yet' },
};

export const statusView = (status: Status, reason?: string): StatusView => ({ status, ...STATUS[status], ...(reason ? { reason } : {}) });

/** The KPIs a scorecard selects, in the order it names them (ids, then tags and stages in catalog order), each once. */
export function selectKpis(scorecard: ScorecardSpec, kpis: ReadonlyMap<string, KpiSpec>): KpiSpec[] {
  const out = new Map<string, KpiSpec>();
  const all = [...kpis.values()];
  for (const sel of scorecard.kpis) {
    for (const k of all) if (selects(sel, k) && !out.has(k.id)) out.set(k.id, k);
  }
  return [...out.values()];
}

const sameDims = (a: Dims, b: Dims) => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b && a[k] === b[k]);
};

/** The slice a recipient sees: the scorecard's slice dimensions set from the recipient's filter. */
export function recipientSlice(scorecard: ScorecardSpec, filter: Dims = {}): Dims {
  return Object.fromEntries((scorecard.slice ?? []).filter((d) => d in filter).map((d) => [d, filter[d]!]));
}

/** "Brand cardiora"; the total is named by what it spans ("All brands"), from the scorecard's slice or breakdown dimension. */
function sliceLabel(slice: Dims, scorecard: ScorecardSpec): string {
  const parts = Object.entries(slice).map(([d, v]) => `${label(d).replace(/^./, (c) => c.toUpperCase())} ${v}`);
  if (parts.length > 0) return parts.join(' · ');
  const spans = scorecard.breakdown ?? scorecard.slice?.[0];
  return spans ? `All ${plural(label(spans))}` : 'All';
}

/** The label of the same period a year earlier, or of the period before. */
function periodLabels(label: string, calendar: Calendar) {
  const p = parsePeriod(label, calendar);
  if (!p) return {};
  return { previous: shift(p, 1, calendar).label, lastYear: p.grain === 'week' ? undefined : yearBefore(p, calendar).label };
}

const isNumber = (v: Value | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
const isMix = (v: Value | undefined): v is Record<string, number> => v !== null && typeof v === 'object';

/** A mix of shares reads as its distance from the target mix (the shares themselves are listed below it). */
function mixDisplay(value: Value, distance: number | undefined): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  return distance !== undefined ? `${formatValue(distance, 'percent')} off the mix` : 'see the mix';
}

function display(value: Value, unit: KpiSpec['unit'], digits?: number): string {
  if (value === null) return '—';
  if (typeof value === 'object') return formatMix(value);
  return formatValue(value, unit, digits);
}

const digitsByResult = new WeakMap<KpiResultSpec, number>();
/** A score KPI's digits from every value it has in these results, every slice and period: its rows and cells read alike. */
function digitsOf(spec: KpiSpec, result: KpiResultSpec): number | undefined {
  if (spec.unit !== 'score') return undefined;
  let digits = digitsByResult.get(result);
  if (digits === undefined) {
    digits = scaleDigits(result.slices.flatMap((s) => [s.value, ...s.trend.map((t) => t.value)]).filter(isNumber));
    digitsByResult.set(result, digits);
  }
  return digits;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-09" → "Sep", "2025-10" → "Oct ’25" (the year only when it is not the reported one). */
export function shortPeriod(label: string, withYear: boolean): string {
  const year = withYear ? ` ’${label.slice(2, 4)}` : '';
  const month = /^\d{4}-(\d{2})$/.exec(label);
  if (month) return `${MONTHS[Number(month[1]) - 1]}${year}`;
  return `${label.slice(5)}${year}`;
}

function compare(spec: KpiSpec, yearOf: string, period: string | undefined, current: Value, point: TrendView | undefined, digits: number | undefined): Comparison | undefined {
  if (!period || !point || point.period !== period || point.value === null || !isNumber(current)) return undefined;
  const d = current - point.value;
  return {
    period, short: shortPeriod(period, yearOf !== period.slice(0, 4)), value: point.value, display: formatValue(point.value, spec.unit, digits), delta: formatDelta(point.value, current, spec.unit, digits),
    better: d === 0 ? null : (d > 0) === (spec.direction === 'higher'),
  };
}

/** Promoters (9–10), passives (7–8) and detractors (0–6) of a 0–10 answer distribution. */
function npsGroups(components: Record<string, unknown>): KpiRow['distribution'] {
  const { promoters, passives, detractors, respondents } = components as Record<string, unknown>;
  if ([promoters, passives, detractors, respondents].every((x) => typeof x === 'number')) {
    return { promoters: promoters as number, passives: passives as number, detractors: detractors as number, respondents: respondents as number };
  }
  return undefined;
}

/** One KPI's row for one slice, outside any scorecard (for reviews: the value and status a slice would show). */
export function kpiRowFor(ctx: ScorecardContext, spec: KpiSpec, result: KpiResultSpec, dims: Dims): KpiRow {
  const slice = result.slices.find((s) => sameDims(s.dims as Dims, dims));
  return kpiRow({ spec, result, slice, dims, ctx, minCell: ctx.project.privacy?.min_cell_size ?? 11 });
}

/**
 * Goal attainment counts points to date, so before the goals' planning periods end it is
 * read against the pace: the target times the share of the period gone by (the mean over
 * the goals), next to the share of HCPs on pace. At the end of the period it is the target.
 */
function paceOf(spec: KpiSpec, slice: Slice | undefined, target: TargetValue | undefined, previous: string | undefined, entity: EntityWords): KpiRow['pace'] {
  const { elapsed, on_pace_share: onPace, new_goals: newGoals } = (slice?.components ?? {}) as { elapsed?: unknown; on_pace_share?: unknown; new_goals?: unknown };
  if (spec.measure.kind !== 'attainment' || typeof target !== 'number' || typeof elapsed !== 'number' || !(elapsed > 0 && elapsed < 1)) return undefined;
  const share = typeof onPace === 'number' ? onPace : null;
  const fresh = typeof newGoals === 'number' && newGoals > 0;
  return {
    elapsed, expected: target * elapsed, full: target, on_pace_share: share, new_goals: fresh,
    display: `${formatValue(elapsed, 'percent')} of the period gone${share !== null ? ` · ${formatValue(share, 'percent')} of ${entity.many} on pace for their whole goal` : ''}${fresh && previous ? ` · goals began this period, so not compared with ${previous}` : ''}`,
  };
}

interface RowInput {
  spec: KpiSpec;
  result: KpiResultSpec;
  slice: Slice | undefined;
  dims: Dims;
  ctx: ScorecardContext;
  minCell: number;
}

function kpiRow({ spec, result, slice, dims, ctx, minCell }: RowInput): KpiRow {
  const reported = result.period.label;
  const labels = periodLabels(reported, ctx.calendar);
  const digits = digitsOf(spec, result);
  const changes = (ctx.history?.get(spec.id) ?? []).flatMap((c) => {
    const p = slice?.trend.find((t) => {
      const tp = parsePeriod(t.period, ctx.calendar);
      return tp !== undefined && Date.parse(c.at) >= tp.start.getTime() && Date.parse(c.at) < tp.end.getTime();
    });
    return p ? [{ ...c, period: p.period }] : [];
  });
  const trend: TrendView[] = (slice?.trend ?? []).map((t) => {
    const hidden = t.n < minCell;
    const change = changes.filter((c) => c.period === t.period).at(-1);
    return {
      period: t.period, value: hidden || !isNumber(t.value) ? null : t.value, n: t.n,
      ...(hidden ? { suppressed: true as const } : {}), ...(t.provisional ? { provisional: true as const } : {}),
      ...(change ? { definition_change: { at: change.at, ...(change.commit ? { commit: change.commit } : {}), ...(change.subject ? { subject: change.subject } : {}) } } : {}),
    };
  });
  const value: Value = slice?.value ?? null;
  const n = slice?.n ?? 0;
  const lastYearPoint = trend.find((t) => t.period === labels.lastYear);
  const target = resolveTarget(spec, dims, { start: new Date(result.period.start), grain: parsePeriod(reported, ctx.calendar)?.grain ?? 'month' }, lastYearPoint?.value ?? (labels.lastYear ? null : undefined), ctx.calendar, slice?.benchmark_target);
  const full = 'none' in target ? undefined : target;
  const pace = paceOf(spec, slice, full?.value, labels.previous, entityWords(ctx.project));
  // Mid-period, the target a goal is held to is the share of it due by now.
  const resolved = full && pace ? { ...full, value: pace.expected } : full;
  const status = slice
    ? statusOf({
      value, n, direction: spec.direction, defaults: ctx.project.thresholds ?? { mode: 'ratio', green: 1, amber: 0.9 }, minCell,
      ...(resolved ? { target: resolved.value } : {}), ...(spec.thresholds ? { thresholds: spec.thresholds } : {}),
      ...(spec.min_sample !== undefined ? { minSample: spec.min_sample } : {}), ...(result.stale ? { stale: true } : {}),
    })
    : { status: 'insufficient_data' as const, reason: 'this KPI is not computed for this slice' };
  const suppressed = status.status === 'suppressed';
  // A value and its target that differ never read the same (−13 against −13, "near target").
  const against = isNumber(value) && resolved && typeof resolved.value === 'number' ? formatAgainst(value, resolved.value, spec.unit, digits) : undefined;
  const shown = suppressed ? null : value;
  const anomaly = !suppressed && isNumber(value) ? anomalyOf(value, trend.slice(0, -1).map((t) => t.value)) : undefined;
  const distribution = !suppressed && slice ? npsGroups(slice.components) : undefined;
  const mix = !suppressed && value !== null && typeof value === 'object'
    ? Object.entries(value).map(([category, share]) => {
      const goal = resolved && typeof resolved.value === 'object' ? resolved.value[category] : undefined;
      return { category, label: label(category), share, display: `${formatValue(share, 'percent')}${goal !== undefined ? ` (target ${formatValue(goal, 'percent')})` : ''}` };
    })
    : undefined;
  return {
    id: spec.id, name: spec.name, description: spec.description, kind: spec.measure.kind, unit: spec.unit, ...(digits !== undefined ? { digits } : {}), direction: spec.direction,
    indicator: spec.indicator, stages: spec.stages, period: reported,
    value: shown, display: suppressed ? `fewer than ${minCell}` : mixDisplay(value, status.distance) ?? against?.value ?? display(value, spec.unit, digits), n, suppressed,
    ...(slice?.reason && !suppressed ? { reason: slice.reason } : {}),
    status: statusView(status.status, status.status === 'stale' && result.stale
      ? `shows ${reported}: ${staleWords(result.stale, ctx.results.snapshot.as_of, ctx.calendar, label)}`
      // A value the engine could not compute says why (the slice's reason), not only that there is none.
      : status.status === 'insufficient_data' && value === null && slice?.reason ? slice.reason : status.reason),
    ...(resolved ? { target: { value: resolved.value, display: pace ? `${against?.target ?? formatValue(pace.expected, spec.unit)} by now, ${formatValue(pace.full, spec.unit)} by the end` : typeof resolved.value === 'object' ? 'as below' : against?.target ?? display(resolved.value, spec.unit, digits), from: resolved.from, ...(resolved.detail ? { detail: resolved.detail } : {}) } } : {}),
    ...(pace && !suppressed ? { pace } : {}),
    ...('none' in target && spec.target ? { target_note: target.none } : {}),
    ...(suppressed ? {} : {
      // Attainment counts up from zero in each planning period: the end of the last one is no baseline.
      ...(pace?.new_goals ? {} : { previous: compare(spec, reported.slice(0, 4), labels.previous, value, trend.at(-2), digits) }),
      last_year: compare(spec, reported.slice(0, 4), labels.lastYear, value, lastYearPoint, digits),
    }),
    trend,
    ...(anomaly ? { anomaly } : {}),
    definition_changes: changes,
    ...(result.stale ? { stale: result.stale } : {}),
    ...(slice?.provisional ? { provisional: true as const } : {}),
    ...(distribution ? { distribution } : {}),
    ...(mix ? { mix } : {}),
  };
}

/**
 * Complementary suppression over cells that add up to a shown total: a single hidden cell
 * could be recovered as the total minus the others, so while fewer than two cells are
 * hidden, or the hidden cells together count fewer than the minimum, the smallest shown
 * cell is hidden too. Returns the indexes to hide.
 */
export function complementarySuppression(ns: readonly number[], minCell: number): Set<number> {
  const hidden = new Set(ns.flatMap((n, i) => (n < minCell ? [i] : [])));
  if (hidden.size === 0) return hidden;
  const sum = () => [...hidden].reduce((s, i) => s + ns[i]!, 0);
  while (hidden.size < ns.length && (hidden.size < 2 || sum() < minCell)) {
    const next = ns.map((n, i) => [n, i] as const).filter(([, i]) => !hidden.has(i)).sort((a, b) => a[0] - b[0] || a[1] - b[1])[0]!;
    hidden.add(next[1]);
  }
  return hidden;
}

function breakdownCells(spec: KpiSpec, result: KpiResultSpec, base: Dims, dimension: string, values: readonly string[], ctx: ScorecardContext, minCell: number): BreakdownCell[] {
  const rows = values.map((v) => {
    const dims = { ...base, [dimension]: v };
    const slice = result.slices.find((s) => sameDims(s.dims as Dims, dims));
    return kpiRow({ spec, result, slice, dims, ctx, minCell });
  });
  const hide = complementarySuppression(rows.map((r) => r.n), minCell);
  return rows.map((r, i) => (hide.has(i)
    ? { value: values[i]!, display: '⊘', n: r.n, status: statusView('suppressed', r.n < minCell ? `fewer than ${minCell} behind the value` : 'hidden so that a smaller hidden cell cannot be worked out from the total'), suppressed: true }
    // A cell has no list of shares below it: a mix without a target shows its shares in the cell.
    : { value: values[i]!, display: r.mix && r.status.status !== 'green' && r.status.status !== 'amber' && r.status.status !== 'red' && isMix(r.value) ? formatMix(r.value) : r.display, n: r.n, status: r.status, suppressed: false }));
}

function groupsOf(scorecard: ScorecardSpec, rows: readonly KpiRow[], project: ProjectSpec): Group[] {
  const by = scorecard.group_by ?? [];
  const stageOrder = project.journey.stages.filter((s) => !scorecard.stages || scorecard.stages.includes(s.id));
  const primaryStage = (r: KpiRow) => stageOrder.find((s) => r.stages.includes(s.id)) ?? project.journey.stages.find((s) => r.stages.includes(s.id));
  const indicators = [['leading', 'Leading indicators'], ['lagging', 'Lagging indicators']] as const;
  if (by.includes('stage')) {
    const stages = [...stageOrder, ...project.journey.stages.filter((s) => !stageOrder.includes(s))];
    return stages.flatMap((stage) => {
      const inStage = rows.filter((r) => primaryStage(r)?.id === stage.id);
      if (!by.includes('indicator')) return inStage.length > 0 ? [{ id: stage.id, title: stage.name, rows: inStage }] : [];
      return indicators.flatMap(([ind, title]) => {
        const these = inStage.filter((r) => r.indicator === ind);
        return these.length > 0 ? [{ id: `${stage.id}.${ind}`, title: `${stage.name} · ${title.split(' ')[0]!.toLowerCase()}`, rows: these }] : [];
      });
    });
  }
  if (by.includes('indicator')) return indicators.flatMap(([ind, title]) => {
    const these = rows.filter((r) => r.indicator === ind);
    return these.length > 0 ? [{ id: ind, title, rows: these }] : [];
  });
  return [{ id: 'all', title: 'KPIs', rows: [...rows] }];
}

/** Sample standard deviation. */
function standardDeviation(xs: readonly number[]): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
}

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

function headlineOf(rows: readonly KpiRow[], period: string, stageOrder: readonly string[]): RecipientScorecard['headline'] {
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

/** The values a dimension takes in a KPI's results (for breakdown columns), sorted. */
function dimensionValues(results: Results, kpiIds: readonly string[], dimension: string): string[] {
  const values = new Set<string>();
  for (const k of results.kpis) {
    if (!kpiIds.includes(k.id)) continue;
    for (const s of k.slices) {
      const keys = Object.keys(s.dims);
      if (keys.length === 1 && keys[0] === dimension && s.dims[dimension] !== null) values.add(String(s.dims[dimension]));
    }
  }
  return [...values].sort();
}

/**
 * A total beside parts that can each count the same HCP (reach by brand) is another
 * population than any part: 97.6% of HCPs reached by some brand, next to brands at 48–67%.
 * The KPI's one target is the target of each part the scorecard lists, so the total shows
 * its value with a note saying what it counts, and no status of its own.
 */
function asTotalOfOverlappingParts(row: KpiRow, dimension: string, entity: EntityWords): void {
  const parts = plural(label(dimension));
  row.total_note = `All ${parts} counts each ${entity.one} once, so it is not the sum or average of the ${parts}`;
  const colour = row.status.status === 'green' || row.status.status === 'amber' || row.status.status === 'red';
  if (row.target) {
    delete row.target;
    if (colour) row.status = statusView('no_target', `the target is set for each ${label(dimension)}`);
  }
}

/**
 * Every recipient's scorecard, pure: the values of the recipient's slice with their
 * targets, statuses, comparisons, trends and flags, grouped as the scorecard asks.
 * Privacy is applied here: values on fewer HCPs than the project's minimum are hidden
 * (with complementary suppression in breakdowns), and HCP-level rows only go to the rep
 * whose territory they are in.
 */
export function buildScorecards(ctx: ScorecardContext, scorecard: ScorecardSpec): RecipientScorecard[] {
  const minCell = ctx.project.privacy?.min_cell_size ?? 11;
  const specs = selectKpis(scorecard, ctx.kpis);
  const results = new Map(ctx.results.kpis.map((k) => [k.id, k]));
  const present = specs.filter((s) => results.has(s.id));
  const sources = [...new Set(present.flatMap((s) => [...sourcesRead(s, ctx.project, ctx.kpis)]))].filter((s) => ctx.project.sources[s]?.time).sort();
  const breakdownDim = scorecard.breakdown;
  const breakdownValues = breakdownDim ? dimensionValues(ctx.results, present.map((s) => s.id), breakdownDim) : [];
  return scorecard.audience.map((recipient) => {
    const filter = (recipient.filter ?? {}) as Dims;
    const dims = recipientSlice(scorecard, filter);
    // A KPI not sliced by the recipient's dimensions has no value for them: it is left out, not shown as missing.
    const rows = present.filter((spec) => Object.keys(dims).every((d) => (spec.dimensions ?? []).includes(d))).map((spec) => {
      const result = results.get(spec.id)!;
      const slice = result.slices.find((s) => sameDims(s.dims as Dims, dims));
      const row = kpiRow({ spec, result, slice, dims, ctx, minCell });
      // Only the comparisons the scorecard asks for (all by default); the target still decides the status.
      const comparisons = scorecard.comparisons;
      if (comparisons && !comparisons.includes('previous_period')) delete row.previous;
      if (comparisons && !comparisons.includes('last_year')) delete row.last_year;
      if (breakdownDim && (spec.dimensions ?? []).includes(breakdownDim)) {
        row.breakdown = breakdownCells(spec, result, dims, breakdownDim, breakdownValues, ctx, minCell);
        if (!(breakdownDim in dims) && countsEachHcpOnce(spec, breakdownDim, ctx.project)) asTotalOfOverlappingParts(row, breakdownDim, entityWords(ctx.project));
      }
      return row;
    });
    const territory = filter.territory;
    const brief = scorecard.brief && typeof territory === 'string'
      ? (() => {
        // Only this territory's HCPs, and only for the recipient the territory is filtered to.
        const hcps = (ctx.briefs?.get(territory) ?? []).filter((h) => h.territory === territory);
        return briefView(hcps, scorecard.brief.look_back_months ?? 6);
      })()
      : undefined;
    const hidden = rows.reduce((s, r) => s + (r.suppressed ? 1 : 0) + (r.breakdown?.filter((c) => c.suppressed).length ?? 0), 0);
    return {
      scorecard: { id: scorecard.id, title: scorecard.title, ...(scorecard.description ? { description: scorecard.description } : {}), grain: scorecard.grain },
      project: ctx.project.name,
      recipient: { name: recipient.name, email: recipient.email, filter },
      slice: dims,
      slice_label: sliceLabel(dims, scorecard),
      period: { label: ctx.results.period.label, start: ctx.results.period.start, end: ctx.results.period.end },
      as_of: {
        snapshot: ctx.results.snapshot.as_of,
        display: formatDate(ctx.results.snapshot.as_of),
        // Only sources that are not complete up to the as-of date are named: the reader needs the exceptions.
        sources: sources.flatMap((source) => {
          const end = ctx.coverage?.[source] ?? ctx.results.snapshot.coverage?.[source];
          const lag = ctx.project.sources[source]?.lag;
          const complete = end !== undefined && Date.parse(end) + DAY >= Date.parse(ctx.results.snapshot.as_of);
          if (complete || (end === undefined && !lag)) return [];
          return [{ source, ...(end ? { coverage_end: end } : {}), ...(lag ? { lag } : {}), display: `${label(source)} ${end ? `complete to ${formatDate(end)}` : `as of ${formatDate(ctx.results.snapshot.as_of)}`}${lag ? ` (arrives ${lagWords(lag)} late)` : ''}` }];
        }),
      },
      audit: { config_hash: ctx.results.config_hash, snapshot_id: ctx.results.snapshot.id, snapshot_checksum: ctx.results.snapshot.checksum },
      headline: headlineOf(rows, ctx.results.period.label, ctx.project.journey.stages.map((s) => s.id)),
      groups: groupsOf(scorecard, rows, ctx.project),
      ...(breakdownDim ? { breakdown: { dimension: breakdownDim, values: breakdownValues } } : {}),
      ...(brief ? { brief } : {}),
      // Empty: no KPI has anything behind it for this slice (a hidden value still has data behind it).
      empty: rows.every((r) => r.value === null && (r.n === 0 || !r.suppressed)) && (brief?.hcps.length ?? 0) === 0,
      suppressed: hidden,
      entity: entityWords(ctx.project),
    };
  });
}

