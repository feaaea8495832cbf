import type { ChannelSpec } from '../spec/channel.js';
import type { ProjectSpec } from '../spec/project.js';
import type { AlertModel } from './alert.js';
import { entityJoin } from './catalog.js';
import type { KpiModel } from './kpi.js';
import type { ProjectModel } from './project-model.js';

/** A channel as the compiler needs it. */
export interface ChannelModel {
  id: string;
  modality: ChannelSpec['modality'];
  direction: ChannelSpec['direction'];
  engagementEvents: string[];
  /** Events showing a push touch reached the HCP; undefined: every event does. */
  receivedEvents?: string[];
  weight: number;
  cap?: { max: number; per: 'week' | 'month' };
  /** Event → journey stage index (0 = the first stage). */
  stageOf: Record<string, number>;
}

/**
 * A validated project in the shape the compiler works on: channels by id, KPIs in an
 * order where every KPI comes after the KPIs it is computed from, and the slices each
 * KPI must be evaluated for.
 */
export interface Model extends ProjectModel {
  /** The project as written: kept for the checks in `catalog.ts` that the rules share. */
  project: ProjectSpec;
  channels: ChannelModel[];
  stages: string[];
  /** In an order where every KPI comes after the KPIs it is computed from. */
  kpis: KpiModel[];
  /**
   * For each KPI, the dimension sets it is grouped by: the total (empty set), each
   * dimension alone, and every combination a scorecard slice, a target override or a
   * dependent KPI asks for.
   */
  sliceSets: Map<string, string[][]>;
  /** The project's alerts (`alerts/*.yaml`), in file order. */
  alerts: AlertModel[];
}


/** The column of `source` holding HCP ids: the key of the HCP table itself, or the column referencing it. */
export function entityColumn(model: Pick<Model, 'entity' | 'sources'>, source: string): string | undefined {
  return source === model.entity.source ? model.entity.key : entityJoin(model, source);
}
