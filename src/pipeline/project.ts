import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { KpiModel } from '../model/kpi.js';
import type { Model } from '../model/model.js';
import { normalize } from '../model/normalize.js';
import { validateProject, type ValidatedProject } from '../validate/project.js';

/** A project that passed its checks: its files, the text of each (for code frames), its findings (warnings only) and its model. */
export interface Project extends ValidatedProject {
  model: Model;
}

/**
 * Reads and checks a project (YAML, schemas, rules across files) and, when it is clean,
 * builds its model. `project` is absent when there is an error or no kpiops.yaml: then the
 * diagnostics say why. The texts are the files' as read; nothing adds to them later.
 */
export async function loadProject(dir: string): Promise<{ project?: Project; validated: ValidatedProject; diagnostics: Diagnostic[]; texts: ReadonlyMap<string, string> }> {
  const validated = await validateProject(dir);
  const { diagnostics, texts } = validated;
  if (hasErrors(diagnostics) || !validated.files.project) return { validated, diagnostics, texts };
  return { project: { ...validated, model: modelOf(validated) }, validated, diagnostics, texts };
}

/** The model of a validated project, leaving out KPIs in `without`. */
export function modelOf(validated: ValidatedProject, without: ReadonlySet<string> = new Set()): Model {
  const f = validated.files;
  return normalize({
    project: f.project!.spec, channels: f.channels.map((c) => c.spec),
    kpis: f.kpis.map((k) => k.spec).filter((k) => !without.has(k.id)), scorecards: f.scorecards.map((s) => s.spec), alerts: f.alerts.map((a) => a.spec),
  });
}

/**
 * The modelled KPIs by id in catalog order, the order of their files (the model keeps them in
 * dependency order): the order a scorecard's tag and stage selectors list them in.
 */
export function catalog(validated: ValidatedProject, model: Model): Map<string, KpiModel> {
  const byId = new Map(model.kpis.map((k) => [k.id, k]));
  return new Map(validated.files.kpis.flatMap((f) => {
    const kpi = byId.get(f.spec.id);
    return kpi ? [[kpi.id, kpi] as const] : [];
  }));
}
