import type { Model } from '../model/model.js';
import type { ScorecardContext } from '../scorecard/context.js';
import { movedBy } from '../scorecard/moved.js';
import { minCellOf } from '../scorecard/privacy.js';
import { kpiRowFor } from '../scorecard/row.js';
import type { Dims } from '../scorecard/target.js';
import type { KpiRow, RecipientScorecard } from '../scorecard/view.js';
import type { Results } from '../spec/results.js';
import { targetHistory } from '../targets/history.js';
import type { SemanticDiff } from './diff.js';

export interface SliceImpact {
  dims: Dims;
  before: { display: string; status: string; symbol: string; n: number } | null;
  after: { display: string; status: string; symbol: string; n: number } | null;
}

export interface KpiImpact {
  id: string;
  period: string;
  /** Slices whose value or status differ (the total first). */
  slices: SliceImpact[];
  /** Slices that stay the same. */
  unchanged: number;
  flips: number;
  /** Slices whose fixed target changes, each with how often its own history met either target. */
  targets?: TargetHistory[];
  /**
   * What moved the total from the base's value to the head's, in the same period, by each
   * dimension both definitions are sliced by: each slice's rate and the mix, only where the
   * slices add up (as a scorecard's "what moved it").
   */
  moved?: Array<{ dimension: string; additive: boolean; text: string }>;
}

/**
 * Where a changed target sits in the slice's own history: of the periods before the reported
 * one that have a value (at the head's definition), how many met the old target and how many
 * the new one. Only fixed targets: one relative to last year or to benchmarks moves with them.
 */
export interface TargetHistory {
  dims: Dims;
  before: { display: string; met: number; of: number } | null;
  after: { display: string; met: number; of: number } | null;
  /** The first and last period counted. */
  from: string;
  to: string;
}

/** One scorecard on the snapshot, at its own grain and period: what its recipients would see differently. */
export interface ScorecardImpact {
  scorecard: string;
  /** The change adds or removes the whole scorecard. */
  change?: 'added' | 'removed';
  period: string;
  /** Recipients it goes to (at the head; at the base when the change removes it). */
  audience: number;
  /** KPIs whose line differs for at least one recipient (value, target, status, name; added or removed). */
  kpis_changed: number;
  /** Lines (one recipient, one KPI) whose status differs. */
  status_flips: number;
  /** Recipients whose rendered scorecard differs. */
  recipients_affected: number;
}

export interface RecipientImpact {
  scorecard: string;
  name: string;
  email: string;
  /** What differs on their scorecard: KPI lines, whether they get it at all, or other lines. */
  reasons: string[];
}

export interface Impact {
  scorecards: ScorecardImpact[];
  kpis: KpiImpact[];
  recipients: RecipientImpact[];
}

/** One side of one recipient's scorecard: the model, and what they would read (null: they get no email). */
export interface RenderedSide {
  card: RecipientScorecard;
  /** Subject and text part, with the footer's configuration hash left out; null when the email is skipped. */
  text: string | null;
}

const sliceKey = (d: Dims) => JSON.stringify(Object.keys(d).sort().map((k) => [k, d[k]]));
const view = (r: KpiRow) => ({ display: r.display, status: r.status.status, symbol: r.status.symbol, n: r.n });
const rowsOf = (c: RecipientScorecard | undefined) => new Map((c?.groups ?? []).flatMap((g) => g.rows).map((r) => [r.id, r] as const));

const contextOf = (model: Model, results: Results): ScorecardContext => ({ project: model, kpis: new Map(model.kpis.map((k) => [k.id, k])), results });

/**
 * Every slice of every KPI on one side or the other whose value or status differs, with its
 * status (targets and thresholds applied). `base` and `head` are each revision's model and
 * its results of one scorecard's evaluation; a renamed KPI is compared with its former id.
 */
export function kpiImpacts(diff: SemanticDiff, base: { model: Model; results: Results }, head: { model: Model; results: Results }): KpiImpact[] {
  const baseCtx = contextOf(base.model, base.results);
  const headCtx = contextOf(head.model, head.results);
  const baseResults = new Map(base.results.kpis.map((k) => [k.id, k]));
  const out: KpiImpact[] = [];
  for (const after of head.results.kpis) {
    const beforeId = diff.kpis.find((k) => k.id === after.id && k.change === 'renamed')?.from ?? after.id;
    const before = baseResults.get(beforeId);
    const headSpec = headCtx.kpis.get(after.id)!;
    const baseSpec = baseCtx.kpis.get(beforeId);
    const dims = new Map<string, Dims>();
    for (const s of [...(before?.slices ?? []), ...after.slices]) dims.set(sliceKey(s.dims as Dims), s.dims as Dims);
    const baseKeys = new Set((before?.slices ?? []).map((s) => sliceKey(s.dims as Dims)));
    const headKeys = new Set(after.slices.map((s) => sliceKey(s.dims as Dims)));
    const slices: SliceImpact[] = [];
    const targets: TargetHistory[] = [];
    let unchanged = 0;
    let flips = 0;
    for (const [key, d] of dims) {
      // Each side's row once: its view decides the slice's change, the rows themselves the target's.
      const rowB = before && baseSpec && baseKeys.has(key) ? kpiRowFor(baseCtx, baseSpec, before, d) : undefined;
      const rowA = headKeys.has(key) ? kpiRowFor(headCtx, headSpec, after, d) : undefined;
      const history = rowA ? targetMove(rowA, rowB) : undefined;
      if (history) targets.push({ dims: d, ...history });
      const b = rowB ? view(rowB) : null;
      const a = rowA ? view(rowA) : null;
      if (b && a && b.display === a.display && b.status === a.status) {
        unchanged += 1;
        continue;
      }
      if (b && a && b.status !== a.status) flips += 1;
      slices.push({ dims: d, before: b, after: a });
    }
    if (slices.length === 0 && targets.length === 0 && before) continue;
    const order = (x: { dims: Dims }, y: { dims: Dims }) => Object.keys(x.dims).length - Object.keys(y.dims).length || sliceKey(x.dims).localeCompare(sliceKey(y.dims));
    slices.sort(order);
    targets.sort(order);
    const total = slices.find((s) => Object.keys(s.dims).length === 0);
    const moved = before && baseSpec && total?.before && total.after && total.before.display !== total.after.display && before.period.label === after.period.label
      ? headSpec.dimensions.flatMap((dimension) => {
        const m = movedBy({ kpi: headSpec, project: head.model, result: after, before: { kpi: baseSpec, result: before }, dims: {}, from: before.period.label, to: after.period.label, dimension, top: 3, minCell: minCellOf(head.model) });
        return m ? [{ dimension: m.dimension, additive: m.additive, text: m.text }] : [];
      })
      : [];
    out.push({ id: after.id, period: after.period.label, slices, unchanged, flips, ...(targets.length > 0 ? { targets } : {}), ...(moved.length > 0 ? { moved } : {}) });
  }
  return out;
}

/** A fixed target that differs between the two rows, against the head row's history (undefined: no such change, or no history). */
function targetMove(a: KpiRow, b: KpiRow | undefined): Omit<TargetHistory, 'dims'> | undefined {
  const fixed = (r: KpiRow | undefined) => (r?.target && typeof r.target.value === 'number' && ['value', 'override', 'schedule'].includes(r.target.from) ? { value: r.target.value, display: r.target.display } : undefined);
  const ta = fixed(a);
  const tb = fixed(b);
  if ((!ta && !tb) || ta?.value === tb?.value) return undefined;
  const past = a.trend.filter((t) => t.period < a.period && t.value !== null);
  if (past.length === 0) return undefined;
  const values = past.map((t) => t.value);
  const figure = (t: { value: number; display: string } | undefined) => (t ? { display: t.display, ...targetHistory(values, t.value, a.direction) } : null);
  return { before: figure(tb), after: figure(ta), from: past[0]!.period, to: past.at(-1)!.period };
}

/** What a reader sees of a KPI's line: its name, value, target and status. */
const line = (r: KpiRow) => JSON.stringify([r.name, r.display, r.target?.display ?? r.target_note ?? null, r.status.status, r.status.reason ?? null, r.period]);

/**
 * What a change does to one scorecard's recipients, from both sides rendered: a recipient is
 * affected exactly when what they would read differs (or they get it on one side only). The
 * reasons name the KPI lines that differ; a difference elsewhere (title, headline, brief)
 * reads as "other lines". `renamed` maps a KPI's head id to its base id.
 */
export function scorecardImpact(scorecard: string, period: string, base: readonly RenderedSide[], head: readonly RenderedSide[], renamed: ReadonlyMap<string, string>): { summary: ScorecardImpact; recipients: RecipientImpact[] } {
  const key = (c: RecipientScorecard) => c.recipient.email.toLowerCase();
  const before = new Map(base.map((s) => [key(s.card), s]));
  const after = new Map(head.map((s) => [key(s.card), s]));
  const recipients: RecipientImpact[] = [];
  const kpis = new Set<string>();
  let flips = 0;
  for (const email of new Set([...after.keys(), ...before.keys()])) {
    const b = before.get(email);
    const a = after.get(email);
    const rowsA = rowsOf(a?.card);
    const rowsB = new Map([...rowsOf(b?.card)].map(([id, r]) => [[...renamed].find(([, from]) => from === id)?.[0] ?? id, r] as const));
    const reasons: string[] = [];
    for (const id of new Set([...rowsA.keys(), ...rowsB.keys()])) {
      const ra = a?.text !== null ? rowsA.get(id) : undefined;
      const rb = b?.text !== null ? rowsB.get(id) : undefined;
      if (!ra && !rb) continue;
      if (ra && rb && line(ra) === line(rb)) continue;
      kpis.add(id);
      if (ra && rb && ra.status.status !== rb.status.status) flips += 1;
      if (a?.text && b?.text) reasons.push(!rb ? `${id} added` : !ra ? `${id} removed` : id);
    }
    const textA = a?.text ?? null;
    const textB = b?.text ?? null;
    if (textA === textB) continue;
    if (textB === null) reasons.unshift(b ? 'gets it now (it was skipped)' : 'new recipient');
    else if (textA === null) reasons.unshift(a ? 'skipped now' : 'no longer receives it');
    else if (reasons.length === 0) reasons.push('other lines (title, headline or brief)');
    const who = (a ?? b)!.card.recipient;
    recipients.push({ scorecard, name: who.name, email: who.email, reasons });
  }
  const audience = (head.length > 0 ? head : base).length;
  const change = head.length === 0 && base.length > 0 ? { change: 'removed' as const } : base.length === 0 && head.length > 0 ? { change: 'added' as const } : {};
  return { summary: { scorecard, ...change, period, audience, kpis_changed: kpis.size, status_flips: flips, recipients_affected: recipients.length }, recipients };
}
