import type { MonitorSpec, ProjectSpec } from '../spec/project.js';

/**
 * A data feed's monitor as the stages after validation read it: the sources that name
 * `owners` in kpiops.yaml, with the `monitor` settings' defaults filled in. A source
 * without owners is not monitored: nobody would receive what its monitor finds.
 */

/** Who is told when a feed goes wrong. */
export interface FeedOwner {
  name: string;
  email: string;
}

/** Which checks run on a feed and how sensitive they are, defaults filled. */
export interface MonitorModel {
  /** How many robust spreads a day's row count may stray from its usual level before it is a breach. */
  volumeSpreads: number;
  /** How many complete days before the judged one make its usual level (at least 7). */
  historyDays: number;
  freshness: boolean;
  volume: boolean;
  schema: boolean;
}

/** One monitored source: its owners, how late it may arrive (`lag`) and its monitor. */
export interface FeedMonitorModel {
  source: string;
  owners: FeedOwner[];
  lag?: string;
  monitor: MonitorModel;
}

/** The monitor's defaults: three spreads, four weeks of history, every check on. */
export const DEFAULT_MONITOR: Readonly<MonitorModel> = { volumeSpreads: 3, historyDays: 28, freshness: true, volume: true, schema: true };

/** The fewest days of history that say what a feed's usual day is (one of each weekday). */
export const MIN_HISTORY_DAYS = 7;

/** The monitor settings with every default filled in. */
export function monitorModel(spec: MonitorSpec | undefined): MonitorModel {
  return {
    volumeSpreads: spec?.volume_spreads ?? DEFAULT_MONITOR.volumeSpreads,
    historyDays: spec?.history_days ?? DEFAULT_MONITOR.historyDays,
    freshness: spec?.freshness ?? DEFAULT_MONITOR.freshness,
    volume: spec?.volume ?? DEFAULT_MONITOR.volume,
    schema: spec?.schema ?? DEFAULT_MONITOR.schema,
  };
}

/** The monitored feeds of a project: each source with `owners`, in the order kpiops.yaml lists them. */
export function feedMonitors(project: Pick<ProjectSpec, 'sources'>): FeedMonitorModel[] {
  return Object.entries(project.sources).flatMap(([source, spec]) => (spec.owners
    ? [{ source, owners: spec.owners.map((o) => ({ name: o.name, email: o.email })), ...(spec.lag ? { lag: spec.lag } : {}), monitor: monitorModel(spec.monitor) }]
    : []));
}
