import type { Period } from '../model/period.js';
import { recipientSlice, kpiRowFor, selectKpis, type KpiRow, type ScorecardContext } from '../scorecard/model.js';
import type { Dims } from '../scorecard/target.js';
import type { KpiSpec } from '../spec/kpi.js';
import type { Results } from '../spec/results.js';
import type { ValidatedProject } from '../validate/project.js';
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
}

export interface RecipientImpact {
  scorecard: string;
  name: string;
  email: string;
  /** Why their scorecard changes: KPIs whose value or status moves on their slice, or the scorecard itself. */
  reasons: string[];
}

export interface Impact {
  period: string;
  kpis: KpiImpact[];
  recipients: RecipientImpact[];
}

const sliceKey = (d: Dims) => JSON.stringify(Object.keys(d).sort().map((k) => [k, d[k]]));

function contextOf(project: ValidatedProject, results: Results): ScorecardContext {
  return {
    project: project.files.project!.spec, calendar: { fiscalYearStart: project.files.project!.spec.calendar?.fiscal_year_start ?? 1 },
    kpis: new Map(project.files.kpis.map((k) => [k.spec.id, k.spec])), results,
  };
}

const view = (r: KpiRow) => ({ display: r.display, status: r.status.status, symbol: r.status.symbol, n: r.n });

/**
 * What a change does to the numbers on one snapshot: every slice of every changed KPI, before
 * and after, with its status (targets and thresholds applied), and which recipients would get
 * a different scorecard. `base` and `head` are each revision's results for the same period.
 */
export function impactOf(diff: SemanticDiff, base: { project: ValidatedProject; results: Results }, head: { project: ValidatedProject; results: Results }, period: Period): Impact {
  const baseCtx = contextOf(base.project, base.results);
  const headCtx = contextOf(head.project, head.results);
  const baseResults = new Map(base.results.kpis.map((k) => [k.id, k]));
  const headResults = new Map(head.results.kpis.map((k) => [k.id, k]));
  const kpis: KpiImpact[] = [];
  const moved = new Map<string, Set<string>>(); // KPI id (head) → slice keys whose value or status changed
  for (const [id, after] of headResults) {
    const beforeId = diff.kpis.find((k) => k.id === id && k.change === 'renamed')?.from ?? id;
    const before = baseResults.get(beforeId);
    const headSpec = headCtx.kpis.get(id)!;
    const baseSpec = baseCtx.kpis.get(beforeId) as KpiSpec | undefined;
    const dims = new Map<string, Dims>();
    for (const s of [...(before?.slices ?? []), ...after.slices]) dims.set(sliceKey(s.dims as Dims), s.dims as Dims);
    const slices: SliceImpact[] = [];
    let unchanged = 0;
    let flips = 0;
    for (const [key, d] of dims) {
      const b = before && baseSpec && before.slices.some((s) => sliceKey(s.dims as Dims) === key) ? view(kpiRowFor(baseCtx, baseSpec, before, d)) : null;
      const a = after.slices.some((s) => sliceKey(s.dims as Dims) === key) ? view(kpiRowFor(headCtx, headSpec, after, d)) : null;
      if (b && a && b.display === a.display && b.status === a.status) {
        unchanged += 1;
        continue;
      }
      if (b && a && b.status !== a.status) flips += 1;
      slices.push({ dims: d, before: b, after: a });
      if (!moved.has(id)) moved.set(id, new Set());
      moved.get(id)!.add(key);
    }
    if (slices.length === 0 && before) continue;
    slices.sort((x, y) => Object.keys(x.dims).length - Object.keys(y.dims).length || sliceKey(x.dims).localeCompare(sliceKey(y.dims)));
    kpis.push({ id, period: after.period.label, slices, unchanged, flips });
  }
  const recipients: RecipientImpact[] = [];
  const baseCards = new Map(base.project.files.scorecards.map((s) => [s.spec.id, s.spec]));
  for (const { spec } of head.project.files.scorecards) {
    const changedSpec = diff.scorecards.some((d) => d.id === spec.id && d.change !== 'removed');
    const selected = selectKpis(spec, headCtx.kpis);
    for (const r of spec.audience) {
      const key = sliceKey(recipientSlice(spec, (r.filter ?? {}) as Dims));
      const reasons = selected.filter((k) => moved.get(k.id)?.has(key)).map((k) => k.id);
      const wasThere = baseCards.get(spec.id)?.audience.some((x) => x.email.toLowerCase() === r.email.toLowerCase());
      if (!wasThere) reasons.unshift('new recipient');
      else if (changedSpec) reasons.unshift('the scorecard changed');
      if (reasons.length > 0) recipients.push({ scorecard: spec.id, name: r.name, email: r.email, reasons });
    }
  }
  return { period: period.label, kpis: kpis.sort((a, b) => a.id.localeCompare(b.id)), recipients };
}
