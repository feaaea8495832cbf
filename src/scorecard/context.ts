import type { KpiModel } from '../model/kpi.js';
import type { ProjectModel } from '../model/project-model.js';
import type { Results } from '../spec/results.js';

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
  /** The project as the model has it: its defaults (minimum cell, bands, calendar) filled in once, by `normalize.ts`. */
  project: ProjectModel;
  /** The KPIs by id, in catalog order: the order a scorecard's tag and stage selectors list them in. */
  kpis: ReadonlyMap<string, KpiModel>;
  results: Results;
  /** Definition changes per KPI id, newest last. */
  history?: ReadonlyMap<string, readonly DefinitionChange[]>;
  /** n=1 briefs per territory; only rep briefs read them. */
  briefs?: ReadonlyMap<string, readonly HcpBrief[]>;
  /** Each source's coverage end (last complete day), from the snapshot manifest. */
  coverage?: Readonly<Record<string, string | undefined>>;
}
