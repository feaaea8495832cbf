import type { Database } from '../engine/duckdb/database.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { Model } from '../model/model.js';
import type { Period } from '../model/period.js';
import { ChartCache, compileTemplateSource, renderScorecard, TemplateError, type CompiledTemplates } from '../render/render.js';
import type { SemanticDiff } from '../review/diff.js';
import type { Review } from '../review/report.js';
import { reviewOfProjects } from '../review/verdict.js';
import { kpiImpacts, scorecardImpact, type Impact, type KpiImpact, type RenderedSide } from '../review/impact.js';
import { selectKpis } from '../scorecard/select.js';
import type { RecipientScorecard } from '../scorecard/view.js';
import { touchWords } from '../scorecard/touch-words.js';
import type { Results } from '../spec/results.js';
import type { ScorecardSpec } from '../spec/scorecard.js';
import type { ValidatedProject } from '../validate/project.js';
import { modelOf } from './project.js';
import { catalog } from './project.js';
import { defaultPeriod, scorecardCards } from './scorecards.js';
import { blockedKpis, type OpenSnapshot } from './snapshot.js';
import { templateSource } from '../source/templates.js';
import { templateName } from './templates.js';

export interface CompareInput {
  base: ValidatedProject;
  head: ValidatedProject;
  diff: SemanticDiff;
  db: Database;
  snapshot: Results['snapshot'];
  /** Tables that failed their checks: the KPIs reading them are not computed, on either side. */
  failed: ReadonlySet<string>;
  /** The project's `templates/` (the same templates render both sides: the review is about the YAML change). */
  templates: string;
  /** `--period`: scorecards of its grain are compared for it, the others for their own last covered period. */
  requested?: Period;
  onStep?: (text: string) => void;
}

/** The footer's configuration hash names the revision: it always differs and is not what a reader is told. */
const withoutRevision = (card: RecipientScorecard): RecipientScorecard => ({ ...card, audit: { ...card.audit, config_hash: '' } });

/**
 * Everything a scorecard's emails are made from in one revision: the project settings and the
 * channels as written (their names and event labels are read by the emails, not only by the
 * numbers), the scorecard, and the KPIs it shows with those they are computed from, as
 * modelled. Two revisions with the same inputs render the same emails (on the same data and
 * templates), so that scorecard need not be evaluated twice to know that none of its
 * recipients is affected.
 */
function inputsOf(p: ValidatedProject, model: Model, sc: ScorecardSpec | undefined): string | undefined {
  if (!sc) return undefined;
  const kpis = new Map(model.kpis.map((k) => [k.id, k]));
  const selected = selectKpis(sc, catalog(p, model)).map((k) => k.id);
  const needed = new Set<string>();
  const visit = (id: string) => {
    if (needed.has(id) || !kpis.has(id)) return;
    needed.add(id);
    kpis.get(id)!.dependsOn.forEach(visit);
  };
  selected.forEach(visit);
  return JSON.stringify({ project: p.files.project?.spec, channels: p.files.channels.map((c) => c.spec), scorecard: sc, selected, kpis: model.kpis.filter((k) => needed.has(k.id)) });
}

/**
 * Both revisions' scorecards on one snapshot, each scorecard at its own grain and for the
 * period `kpiops run` picks for it, every recipient rendered as run renders them (text part and
 * subject, the footer's configuration hash left out), and compared: the impact is what the
 * recipients would read differently, not a prediction from the values that move.
 */
export async function compareScorecards(input: CompareInput): Promise<{ impact: Impact } | { problem: string }> {
  const { base, head, diff } = input;
  const asOf = new Date(input.snapshot.as_of);
  const models = new Map([[base, modelOf(base)], [head, modelOf(head)]]);
  const calendar = models.get(head)!.calendar;
  const renamed = new Map(diff.kpis.filter((k) => k.change === 'renamed').map((k) => [k.id, k.from!] as const));
  const charts = new ChartCache();
  const templates = new Map<string, CompiledTemplates>();
  const ids = [...new Set([...head.files.scorecards, ...base.files.scorecards].map((f) => f.spec.id))];
  const impact: Impact = { scorecards: [], kpis: [], recipients: [] };
  const kpis = new Map<string, KpiImpact>();
  // Non-rep scorecards first: a KPI's slices are shown as the brand and executive scorecards compute them (with every HCP).
  const specOf = (p: ValidatedProject, id: string) => p.files.scorecards.find((f) => f.spec.id === id)?.spec;
  ids.sort((a, b) => Number(Boolean((specOf(head, a) ?? specOf(base, a))!.brief)) - Number(Boolean((specOf(head, b) ?? specOf(base, b))!.brief)));
  for (const id of ids) {
    const headSpec = specOf(head, id);
    const baseSpec = specOf(base, id);
    const spec = (headSpec ?? baseSpec)!;
    const period = input.requested?.grain === spec.grain ? input.requested : defaultPeriod(spec, asOf, calendar);
    if (inputsOf(base, models.get(base)!, baseSpec) === inputsOf(head, models.get(head)!, headSpec)) {
      impact.scorecards.push({ scorecard: id, period: period.label, audience: spec.audience.length, kpis_changed: 0, status_flips: 0, recipients_affected: 0 });
      continue;
    }
    const side = async (p: ValidatedProject, sc: ScorecardSpec | undefined): Promise<{ sides: RenderedSide[]; results?: Results } | { problem: string }> => {
      if (!sc) return { sides: [] };
      const blocked = blockedKpis(models.get(p)!, input.failed);
      const built = await scorecardCards({ validated: p, db: input.db, snapshot: input.snapshot, blocked, unloaded: input.failed, onQuery: input.onStep }, sc, period);
      if ('problems' in built) return { problem: built.problems.join('; ') };
      const name = templateName(sc);
      if (!templates.has(name)) {
        try {
          templates.set(name, await compileTemplateSource(name, templateSource(input.templates)));
        } catch (e) {
          if (e instanceof TemplateError) return { problem: `template error: ${e.message}` };
          throw e;
        }
      }
      const template = templates.get(name)!;
      const words = touchWords(p.files.channels.map((c) => c.spec));
      const sides = built.cards.map((card) => {
        input.onStep?.(`Rendering ${sc.id}: ${card.recipient.email}`);
        // As run decides: an empty scorecard is not sent (unless the scorecard says to send it anyway).
        if (card.empty && sc.send?.skip_when_empty !== false) return { card, text: null };
        const r = renderScorecard(template, withoutRevision(card), { charts, words });
        return { card, text: `${r.subject}\n${r.text}` };
      });
      return { sides, results: built.results };
    };
    const before = await side(base, baseSpec);
    if ('problem' in before) return before;
    const after = await side(head, headSpec);
    if ('problem' in after) return after;
    const { summary, recipients } = scorecardImpact(id, period.label, before.sides, after.sides, renamed);
    impact.scorecards.push(summary);
    impact.recipients.push(...recipients);
    if (before.results && after.results) {
      for (const k of kpiImpacts(diff, { model: models.get(base)!, results: before.results }, { model: models.get(head)!, results: after.results })) {
        if (!kpis.has(`${k.id} ${k.period}`)) kpis.set(`${k.id} ${k.period}`, k);
      }
    }
  }
  impact.kpis = [...kpis.values()].sort((a, b) => a.id.localeCompare(b.id) || a.period.localeCompare(b.period));
  return { impact };
}

/**
 * The review of a change without values: KPIs, scorecards and channels compared field by
 * field, the head's errors among the review's, the KPIs redefined, and why there are no
 * values when they cannot be computed (`needsSnapshot`: they can, on a snapshot).
 */
export function reviewChange(base: ValidatedProject, head: ValidatedProject, refs: Pick<Review, 'base' | 'head'>, snapshotGiven: boolean): { review: Review; needsSnapshot: boolean } {
  const review = reviewOfProjects(base, head, refs);
  const headName = refs.head.commit ? refs.head.ref : 'The work tree';
  if (hasErrors(head.diagnostics)) review.impact_note = `${headName} has validation errors, so its numbers cannot be computed; fix them first (kpiops validate).`;
  else if (!snapshotGiven) review.impact_note = 'No snapshot given (--snapshot): values before and after are not shown.';
  else if (!base.files.project || hasErrors(base.diagnostics)) review.impact_note = `${refs.base.ref} has validation errors, so its numbers cannot be computed for comparison.`;
  else return { review, needsSnapshot: true };
  return { review, needsSnapshot: false };
}

/** Both revisions' scorecards rendered on a loaded snapshot and compared; the review gets the impact, or the note why not. */
export async function addImpact(review: Review, base: ValidatedProject, head: ValidatedProject, open: OpenSnapshot, options: { templates: string; requested?: Period; onStep?: (text: string) => void }): Promise<void> {
  // A table left out because the head reads nothing of it may still be read by the base: both sides treat it as failed.
  const compared = await compareScorecards({
    base, head, diff: review.diff, db: open.loaded.db, snapshot: open.meta, failed: open.unloaded, templates: options.templates,
    ...(options.requested ? { requested: options.requested } : {}), ...(options.onStep ? { onStep: options.onStep } : {}),
  });
  if ('problem' in compared) review.impact_note = compared.problem;
  else review.impact = compared.impact;
}
