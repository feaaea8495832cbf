import type { ScorecardSpec } from '../spec/scorecard.js';
import { briefView, type BriefView } from './brief.js';
import { asTotalOfOverlappingParts, breakdownCells, dimensionValues } from './breakdown.js';
import type { ScorecardContext } from './context.js';
import { formatDate, label, lagWords } from './format.js';
import { groupsOf } from './groups.js';
import { headlineOf } from './headline.js';
import { countsEachHcpOnce } from './population.js';
import { minCellOf } from './privacy.js';
import { movedBy } from './moved.js';
import { kpiRow } from './row.js';
import { selectKpis } from './select.js';
import { recipientSlice, sameDims, sliceLabel } from './slice.js';
import type { Dims } from './target.js';
import type { KpiRow, RecipientScorecard } from './view.js';

const DAY = 86_400_000;

/**
 * The n=1 brief of a rep's scorecard: only the HCPs of the territory the recipient is
 * filtered to, and only for that recipient.
 */
function briefOf(ctx: ScorecardContext, scorecard: ScorecardSpec, filter: Dims): BriefView | undefined {
  const territory = filter.territory;
  if (!scorecard.brief || typeof territory !== 'string') return undefined;
  const hcps = (ctx.briefs?.get(territory) ?? []).filter((h) => h.territory === territory);
  return briefView(hcps, scorecard.brief.look_back_months ?? 6);
}

/** The as-of line: the snapshot's date, and only the sources not complete up to it (the reader needs the exceptions). */
function asOf(ctx: ScorecardContext, sources: readonly string[]): RecipientScorecard['as_of'] {
  const asOfDate = ctx.results.snapshot.as_of;
  return {
    snapshot: asOfDate,
    display: formatDate(asOfDate),
    sources: sources.flatMap((source) => {
      const end = ctx.coverage?.[source] ?? ctx.results.snapshot.coverage?.[source];
      const lag = ctx.project.sources[source]?.lag;
      const complete = end !== undefined && Date.parse(end) + DAY >= Date.parse(asOfDate);
      if (complete || (end === undefined && !lag)) return [];
      return [{ source, ...(end ? { coverage_end: end } : {}), ...(lag ? { lag } : {}), display: `${label(source)} ${end ? `complete to ${formatDate(end)}` : `as of ${formatDate(asOfDate)}`}${lag ? ` (arrives ${lagWords(lag)} late)` : ''}` }];
    }),
  };
}

/** The headline with "what moved it" under each mover, when the scorecard opts in; a mover whose value is hidden gets none. */
function explained(ctx: ScorecardContext, scorecard: ScorecardSpec, headline: RecipientScorecard['headline'], rows: readonly KpiRow[], dims: Dims, minCell: number): RecipientScorecard['headline'] {
  const explain = scorecard.explain;
  if (!explain) return headline;
  const movers = headline.movers.map((m) => {
    const kpi = ctx.kpis.get(m.id);
    const result = ctx.results.kpis.find((k) => k.id === m.id);
    if (!kpi || !result || rows.find((r) => r.id === m.id)?.suppressed) return m;
    const moved = explain.by.flatMap((dimension) => movedBy({
      kpi, project: ctx.project, result, dims, from: m.since, to: ctx.results.period.label, dimension, top: explain.top ?? 3, minCell,
    }) ?? []);
    return moved.length > 0 ? { ...m, moved } : m;
  });
  return { ...headline, movers };
}

/**
 * Every recipient's scorecard, pure: the values of the recipient's slice with their
 * targets, statuses, comparisons, trends and flags, grouped as the scorecard asks.
 * Privacy is applied here: values on fewer HCPs than the project's minimum are hidden
 * (with complementary suppression in breakdowns), and HCP-level rows only go to the rep
 * whose territory they are in.
 */
export function buildScorecards(ctx: ScorecardContext, scorecard: ScorecardSpec): RecipientScorecard[] {
  const minCell = minCellOf(ctx.project);
  const specs = selectKpis(scorecard, ctx.kpis);
  const results = new Map(ctx.results.kpis.map((k) => [k.id, k]));
  const present = specs.filter((s) => results.has(s.id));
  const sources = [...new Set(present.flatMap((s) => s.sourcesRead))].filter((s) => ctx.project.sources[s]?.time).sort();
  const breakdownDim = scorecard.breakdown;
  const breakdownValues = breakdownDim ? dimensionValues(ctx.results, present.map((s) => s.id), breakdownDim) : [];
  return scorecard.audience.map((recipient) => {
    const filter = (recipient.filter ?? {}) as Dims;
    const dims = recipientSlice(scorecard, filter);
    // A KPI not sliced by the recipient's dimensions has no value for them: it is left out, not shown as missing.
    const rows = present.filter((spec) => Object.keys(dims).every((d) => spec.dimensions.includes(d))).map((spec) => {
      const result = results.get(spec.id)!;
      const slice = result.slices.find((s) => sameDims(s.dims as Dims, dims));
      const row = kpiRow({ spec, result, slice, dims, ctx, minCell });
      // Only the comparisons the scorecard asks for (all by default); the target still decides the status.
      const comparisons = scorecard.comparisons;
      if (comparisons && !comparisons.includes('previous_period')) delete row.previous;
      if (comparisons && !comparisons.includes('last_year')) delete row.last_year;
      if (breakdownDim && spec.dimensions.includes(breakdownDim)) {
        row.breakdown = breakdownCells(spec, result, dims, breakdownDim, breakdownValues, ctx, minCell);
        if (!(breakdownDim in dims) && countsEachHcpOnce(spec.measure, breakdownDim, ctx.project)) asTotalOfOverlappingParts(row, breakdownDim, ctx.project.words);
      }
      return row;
    });
    const brief = briefOf(ctx, scorecard, filter);
    const hidden = rows.reduce((s, r) => s + (r.suppressed ? 1 : 0) + (r.breakdown?.filter((c) => c.suppressed).length ?? 0), 0);
    return {
      scorecard: { id: scorecard.id, title: scorecard.title, ...(scorecard.description ? { description: scorecard.description } : {}), grain: scorecard.grain },
      project: ctx.project.name,
      recipient: { name: recipient.name, email: recipient.email, filter },
      slice: dims,
      slice_label: sliceLabel(dims, scorecard),
      period: { label: ctx.results.period.label, start: ctx.results.period.start, end: ctx.results.period.end },
      as_of: asOf(ctx, sources),
      audit: { config_hash: ctx.results.config_hash, snapshot_id: ctx.results.snapshot.id, snapshot_checksum: ctx.results.snapshot.checksum },
      headline: explained(ctx, scorecard, headlineOf(rows, ctx.results.period.label, ctx.project.journey.map((s) => s.id)), rows, dims, minCell),
      groups: groupsOf(scorecard, rows, ctx.project.journey),
      ...(breakdownDim ? { breakdown: { dimension: breakdownDim, values: breakdownValues } } : {}),
      ...(brief ? { brief } : {}),
      // Empty: no KPI has anything behind it for this slice (a hidden value still has data behind it).
      empty: rows.every((r) => r.value === null && (r.n === 0 || !r.suppressed)) && (brief?.hcps.length ?? 0) === 0,
      suppressed: hidden,
      min_cell: minCell,
      entity: ctx.project.words,
    };
  });
}
