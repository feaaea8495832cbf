import type { YamlFile } from '../source/yaml-file.js';
import type { ChannelSpec } from '../spec/channel.js';
import type { KpiSpec } from '../spec/kpi.js';
import type { ProjectSpec } from '../spec/project.js';
import type { ScorecardSpec } from '../spec/scorecard.js';

/** A spec together with the file it was read from (positions stay in the file, never in the spec). */
export interface Loaded<T> {
  file: YamlFile;
  spec: T;
}

/** Everything a project declares, as read from its YAML files. */
export interface ProjectFiles {
  project?: Loaded<ProjectSpec>;
  channels: Loaded<ChannelSpec>[];
  kpis: Loaded<KpiSpec>[];
  scorecards: Loaded<ScorecardSpec>[];
  /** Template names available in `templates/` (file names without `.mjml`). */
  templates: string[];
  /**
   * Ids declared by files that failed schema validation, so that references to
   * them are not also reported as unknown (the schema error is the one to fix).
   */
  unchecked: { kpi: Set<string>; channel: Set<string> };
  /**
   * Each KPI's definition hash in the last committed revision, when known: a KPI id that is
   * gone but whose measure another KPI now defines was renamed, not misspelt.
   */
  committed?: ReadonlyMap<string, string>;
}
