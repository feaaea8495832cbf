import type { YamlFile } from '../source/yaml-file.js';
import type { ChannelSpec } from '../spec/channel.js';
import type { KpiSpec } from '../spec/kpi.js';
import type { ProjectSpec } from '../spec/project.js';
import type { ScorecardSpec } from '../spec/scorecard.js';
import type { AlertSpec } from '../spec/alert.js';

/** A spec together with the file it was read from (positions stay in the file, never in the spec). */
export interface Loaded<T> {
  file: YamlFile;
  spec: T;
}

/** Everything a project declares, as read from its YAML files and checked: what validation gives the stages after it. */
export interface ProjectFiles {
  project?: Loaded<ProjectSpec>;
  channels: Loaded<ChannelSpec>[];
  kpis: Loaded<KpiSpec>[];
  scorecards: Loaded<ScorecardSpec>[];
  alerts: Loaded<AlertSpec>[];
  /** Template names a scorecard may use: the project's `templates/*.mjml` and the built-in ones (names without `.mjml`). */
  templates: string[];
  /**
   * Ids declared by files that failed schema validation, so that references to
   * them are not also reported as unknown (the schema error is the one to fix).
   */
  unchecked: { kpi: Set<string>; channel: Set<string>; scorecard: Set<string>; alert: Set<string> };
  /**
   * KPI ids gone since the last commit whose definition another KPI now has (that KPI and its
   * file): a reference to one was renamed, not misspelt.
   */
  renamed?: ReadonlyMap<string, { id: string; file: string }>;
}
