import { explain, type Explanation } from '../explain/explain.js';
import type { KpiModel } from '../model/kpi.js';
import { parsePeriod, shift, yearBefore, type Calendar, type Period } from '../model/period.js';
import { selectKpis } from '../scorecard/select.js';
import type { Results } from '../spec/results.js';
import type { ScorecardSpec } from '../spec/scorecard.js';
import { kpiGrain } from '../spec/selectors.js';
import { terminalText } from '../text/terminal.js';
import { suggest } from '../text/suggest.js';
import { evaluateResults, type Queryable } from './evaluate.js';
import { catalog, type Project } from './project.js';
import { defaultPeriod, shownPeriod } from './scorecards.js';

export interface ExplainInput {
  project: Project;
  db: Queryable;
  snapshot: Results['snapshot'];
  blocked: Results['blocked'];
  kpi: string;
  period: Period;
  vs: 'previous' | 'last_year';
  /** The dimensions to split by; default every dimension the KPI declares. */
  by?: readonly string[];
  texts?: ReadonlyMap<string, string>;
  onQuery?: (id: string) => void;
  /** Why each blocked table could not be read, in words (default: it failed its checks). */
  unreadable?: ReadonlyMap<string, string>;
}

/** What went wrong, in words, and the exit code: 2 for a wrong argument, 1 for data that cannot answer. */
export interface ExplainProblem {
  problem: string;
  code: number;
}

const quoted = (s: string) => `"${terminalText(s)}"`;
const didYouMean = (name: string, candidates: Iterable<string>) => {
  const s = suggest(name, candidates);
  return s ? ` Did you mean ${quoted(s)}?` : '';
};

/** The scorecard named by `--scorecard`, or what is wrong with the name. */
function scorecardNamed(project: Project, id: string): ScorecardSpec | ExplainProblem {
  const all = project.files.scorecards.map((f) => f.spec);
  const card = all.find((c) => c.id === id);
  if (card) return card;
  const near = didYouMean(id, all.map((c) => c.id));
  return { problem: `unknown scorecard ${quoted(id)}${near ? `.${near}` : ` (${all.length > 0 ? `there are: ${all.map((c) => c.id).join(', ')}` : 'the project has none'})`}`, code: 2 };
}

/** What is explained: the KPI, the dimensions it is split by, and the period when `--period` is not given. */
export interface ExplainTarget {
  kpi: KpiModel;
  dimensions: string[];
  /** The period a scorecard shows the KPI for; none: the command's own default. */
  defaultPeriod?: (asOf: Date, calendar: Calendar) => Period;
}

/**
 * How a scorecard reads the KPI: only a KPI it shows, split by its `explain.by` dimensions
 * the KPI has (when it opts in; else by every dimension of the KPI), for the period
 * `kpiops run` would send it for.
 */
function readAs(project: Project, card: ScorecardSpec, kpi: KpiModel, by: readonly string[] | undefined): ExplainTarget | ExplainProblem {
  const shown = selectKpis(card, catalog(project, project.model));
  if (!shown.some((k) => k.id === kpi.id)) return { problem: `KPI ${kpi.id} is not on scorecard ${card.id} (it shows: ${shown.map((k) => k.id).join(', ')})`, code: 2 };
  const dimensions = by ?? (card.explain ? card.explain.by.filter((d) => kpi.dimensions.includes(d)) : kpi.dimensions);
  const grain = kpiGrain(card, kpi.id);
  return { kpi, dimensions: [...dimensions], defaultPeriod: (asOf, calendar) => shownPeriod(card, grain, defaultPeriod(card, asOf, calendar), asOf, calendar) };
}

/**
 * The KPI and the dimensions asked for, read as `scorecard` reads it when one is named, or
 * what is wrong with them; checked before any data is opened.
 */
export function explainTarget(project: Project, id: string, by: readonly string[] | undefined, scorecard?: string): ExplainTarget | ExplainProblem {
  const card = scorecard === undefined ? undefined : scorecardNamed(project, scorecard);
  if (card && 'problem' in card) return card;
  const kpis = project.model.kpis;
  const kpi = kpis.find((k) => k.id === id);
  if (!kpi) return { problem: `unknown KPI ${quoted(id)}.${didYouMean(id, kpis.map((k) => k.id))}`, code: 2 };
  const kind = kpi.measure.kind;
  // A share per category or per stage has no one value whose change could be split.
  if (kind === 'share' || kind === 'stage') return { problem: `${kpi.id} cannot be explained: its value is a share per ${kind === 'share' ? 'category' : 'stage'}, not one number`, code: 2 };
  const known = new Set(kpis.flatMap((k) => k.dimensions));
  for (const d of by ?? []) {
    if (kpi.dimensions.includes(d)) continue;
    const its = kpi.dimensions.length > 0 ? `its dimensions: ${kpi.dimensions.join(', ')}` : 'it declares no dimensions';
    if (known.has(d)) return { problem: `${kpi.id} is not sliced by ${quoted(d)} (${its})`, code: 2 };
    return { problem: `unknown dimension ${quoted(d)}; ${kpi.id} has none by that name (${its}).${didYouMean(d, kpi.dimensions)}`, code: 2 };
  }
  if (card) return readAs(project, card, kpi, by);
  return { kpi, dimensions: [...(by ?? kpi.dimensions)] };
}

/** The KPI's result for one period, evaluating it and only what it is computed from. */
async function resultFor(input: ExplainInput, period: Period) {
  const results = await evaluateResults({
    validated: input.project, db: input.db, snapshot: input.snapshot, period, blocked: input.blocked,
    only: new Set([input.kpi]), ...(input.texts ? { texts: input.texts } : {}), ...(input.onQuery ? { onQuery: input.onQuery } : {}),
  });
  return results.kpis.find((k) => k.id === input.kpi)!;
}

/**
 * `kpiops explain`: evaluates the KPI for the period (the one it reports, when a lagging
 * source holds it back) and for the period it is compared with, and splits the change.
 */
export async function explainKpi(input: ExplainInput): Promise<{ explanation: Explanation; kpi: KpiModel } | ExplainProblem> {
  const target = explainTarget(input.project, input.kpi, input.by);
  if ('problem' in target) return target;
  const blocked = input.blocked.find((b) => b.kpi === input.kpi);
  if (blocked) return { problem: `${input.kpi} is not computed: ${input.unreadable?.get(blocked.table) ?? `table ${blocked.table} failed its checks`}`, code: 1 };
  const { calendar } = input.project.model;
  const after = await resultFor(input, input.period);
  const reported = parsePeriod(after.period.label, calendar)!;
  const compared = input.vs === 'last_year' ? yearBefore(reported, calendar) : shift(reported, 1, calendar);
  const before = await resultFor(input, compared);
  const out = explain(target.kpi, input.project.model, before, after, target.dimensions);
  return 'problem' in out ? { problem: out.problem, code: 1 } : { explanation: out.explanation, kpi: target.kpi };
}
