import { briefRows, compileBrief } from '../compile/brief.js';
import type { Engine } from '../engine/engine.js';
import { runPlan } from '../engine/run-plan.js';
import { briefSource, sourceReaders } from '../model/source-readers.js';
import { lastCoveredPeriod, type Calendar, type Period } from '../model/period.js';
import { formatDate, label } from '../scorecard/format.js';
import type { Model } from '../model/model.js';
import { buildScorecards } from '../scorecard/build.js';
import type { DefinitionChange, HcpBrief } from '../scorecard/context.js';
import { selectKpis } from '../scorecard/select.js';
import type { RecipientScorecard } from '../scorecard/view.js';
import type { Results } from '../spec/results.js';
import type { ScorecardSpec } from '../spec/scorecard.js';
import { kpiGrain } from '../spec/selectors.js';
import type { ValidatedProject } from '../validate/project.js';
import { evaluateResults } from './evaluate.js';
import { catalog, modelOf } from './project.js';

/** The period a scorecard is run for when none is asked: the last one the snapshot covers, at the scorecard's grain. */
export function defaultPeriod(scorecard: ScorecardSpec, asOf: Date, calendar: Calendar): Period {
  return lastCoveredPeriod(scorecard.grain, asOf, undefined, calendar);
}

/**
 * The period a scorecard shows its KPIs of `grain` for, when it runs for `period`: that
 * period, or for a KPI shown at another grain (monthly Rx on a weekly brief) its own last
 * complete period, no later than the scorecard's.
 */
export function shownPeriod(scorecard: Pick<ScorecardSpec, 'grain'>, grain: Period['grain'], period: Period, asOf: Date, calendar: Calendar): Period {
  return grain === scorecard.grain ? period : lastCoveredPeriod(grain, new Date(Math.min(asOf.getTime(), period.end.getTime())), undefined, calendar);
}

export interface CardsInput {
  validated: ValidatedProject;
  db: Engine;
  snapshot: Results['snapshot'];
  /** KPIs not computed because a table they read failed its checks. */
  blocked: Results['blocked'];
  /** Sources that did not load (failed, or left out): a brief and its rep-facing views read every one. */
  unloaded?: ReadonlySet<string>;
  /** Definition changes per KPI inside the trend window (from git history), if any. */
  history?: ReadonlyMap<string, readonly DefinitionChange[]>;
  onQuery?: (label: string) => void;
  /** The texts the configuration hash covers (see `EvaluateInput.texts`). */
  texts?: ReadonlyMap<string, string>;
}

/**
 * Every recipient's scorecard for one scorecard and period, as `kpiops run` sends it and
 * `kpiops diff` compares it: KPIs shown at another grain (monthly Rx on a weekly brief) are
 * evaluated for their own last complete period, and rep scorecards (with a `brief`) are
 * evaluated without PDRP opt-outs' prescribing data and get the n=1 brief. Returns the
 * problems instead when the rep-facing data cannot be set up.
 */
export async function scorecardCards(input: CardsInput, scorecard: ScorecardSpec, period: Period): Promise<{ cards: RecipientScorecard[]; results: Results } | { problems: string[] }> {
  const { validated, db } = input;
  const project = validated.files.project!.spec;
  const model = modelOf(validated);
  const { calendar } = model;
  const kpis = catalog(validated, model);
  const evaluate = () => evaluateByGrain(input, scorecard, period, selectKpis(scorecard, kpis).map((k) => k.id), calendar);
  let results: Results;
  let briefs: Map<string, HcpBrief[]> | undefined;
  const unloaded = input.unloaded ?? new Set<string>();
  // The brief reads the tables it lists people from; a KPI reading a table that did not load is held back as anywhere else.
  const briefReads = [...sourceReaders(project, [], [scorecard])].filter(([, readers]) => readers.some((r) => r.kind === 'scorecard')).map(([source]) => source);
  const missing = briefReads.filter((source) => unloaded.has(source));
  if (scorecard.brief && missing.length > 0) {
    return { problems: [`scorecard ${scorecard.id}: its brief reads ${missing.join(', ')}, which did not load (see above)`] };
  }
  if (scorecard.brief) {
    const problems = await db.prepareRepFacing(modelOf(validated), unloaded);
    if (problems.length > 0) return { problems };
    ({ results, briefs } = await db.withRepFacing(async () => ({ results: await evaluate(), briefs: await territoryBriefs(model, db, scorecard, period) })));
  } else {
    results = await evaluate();
  }
  const cards = buildScorecards({ project: model, kpis, results, ...(input.history ? { history: input.history } : {}), ...(briefs ? { briefs } : {}) }, scorecard);
  return { cards, results };
}

/**
 * The results a scorecard shows, as one document for its period: its KPIs are evaluated
 * grain by grain (a monthly KPI on a weekly scorecard for its own last complete month, no
 * later than the scorecard's period), and the parts are merged, each KPI once.
 */
async function evaluateByGrain(input: CardsInput, scorecard: ScorecardSpec, period: Period, selected: readonly string[], calendar: Calendar): Promise<Results> {
  const { validated, db } = input;
  const asOf = new Date(input.snapshot.as_of);
  const texts = input.texts ? { texts: input.texts } : {};
  const byGrain = new Map<string, Set<string>>();
  for (const id of selected) {
    const grain = kpiGrain(scorecard, id);
    if (!byGrain.has(grain)) byGrain.set(grain, new Set());
    byGrain.get(grain)!.add(id);
  }
  const parts: Results[] = [];
  for (const [grain, only] of byGrain) {
    const p = shownPeriod(scorecard, grain as Period['grain'], period, asOf, calendar);
    parts.push(await evaluateResults({ validated, db, snapshot: input.snapshot, period: p, blocked: input.blocked, only, ...texts, onQuery: (id) => input.onQuery?.(`${scorecard.id} ${p.label}: ${id}`) }));
  }
  const main = parts.find((r) => r.period.label === period.label) ?? parts[0];
  if (!main) return { ...(await evaluateResults({ validated, db, snapshot: input.snapshot, period, blocked: input.blocked, only: new Set(), ...texts })), kpis: [] };
  return { ...main, period: main.period.label === period.label ? main.period : { label: period.label, grain: period.grain, start: period.start.toISOString(), end: period.end.toISOString() }, kpis: [...new Map(parts.flatMap((r) => r.kpis.map((k) => [k.id, k] as const))).values()] };
}

/** The n=1 briefs of every territory the scorecard's recipients own, from the interaction source. */
async function territoryBriefs(model: Model, db: Engine, scorecard: ScorecardSpec, period: Period): Promise<Map<string, HcpBrief[]>> {
  const territories = [...new Set(scorecard.audience.map((r) => r.filter?.territory).filter((t): t is string => typeof t === 'string'))];
  const out = new Map<string, HcpBrief[]>();
  if (territories.length === 0) return out;
  const source = briefSource(model.project);
  if (!source) return out;
  const brief = scorecard.brief!;
  const queries = compileBrief(model, db.dialect, source, {
    territoryColumn: 'territory', territories, period, lookBackMonths: brief.look_back_months ?? 6,
    openItems: (brief.open_items ?? []).map((o) => ({ event: o.event, closedBy: o.closed_by ?? [] })),
  });
  const rows = briefRows((await runPlan(db, queries)).rows);
  const names = new Map((brief.open_items ?? []).map((o) => [o.event, o.name]));
  for (const r of rows) {
    const territory = String(r.territory);
    const items = (r.open_items as Array<{ item: string; at: string }> | null) ?? [];
    const hcp: HcpBrief = {
      hcp_id: String(r.hcp), territory,
      ...(r.name !== undefined ? { name: r.name as string | null } : {}),
      ...(r.segment !== undefined ? { segment: r.segment as string | null } : {}),
      ...(r.specialty !== undefined ? { specialty: r.specialty as string | null } : {}),
      channels: (r.channels as string[] | null) ?? [],
      engaged_touches: Number(r.touches ?? 0),
      ...(r.last_at ? { last_touch: { at: String(r.last_at), channel: String(r.last_channel), event: String(r.last_event) } } : {}),
      open_items: items.map((i) => ({ kind: i.item, at: String(i.at), text: `${names.get(i.item) ?? label(i.item)} of ${formatDate(String(i.at))}, not followed up yet` })),
      ...(r.over_channel ? { over_cap: { channel: String(r.over_channel), window: overWindow(String(r.over_window), String(r.over_channel), model.channels), touches: Number(r.over_touches), cap: Number(r.over_cap) } } : {}),
    };
    if (!out.has(territory)) out.set(territory, []);
    out.get(territory)!.push(hcp);
  }
  return out;
}

function overWindow(start: string, channel: string, channels: ReadonlyArray<{ id: string; cap?: { per: 'week' | 'month' } }>): string {
  const per = channels.find((c) => c.id === channel)?.cap?.per ?? 'week';
  return per === 'month' ? start.slice(0, 7) : `the week of ${start.slice(0, 10)}`;
}
