/** The only file-format version this release reads. */
export const VERSION = 'kpiops/v1';

/** The YAML file kinds and the file each one's JSON Schema is published as in `schemas/`. */
export const KINDS = {
  project: { file: 'project.schema.json' },
  channel: { file: 'channel.schema.json' },
  kpi: { file: 'kpi.schema.json' },
  scorecard: { file: 'scorecard.schema.json' },
  snapshot: { file: 'snapshot.schema.json' },
  alert: { file: 'alert.schema.json' },
} as const;

export type Kind = keyof typeof KINDS;
export const KIND_NAMES = Object.keys(KINDS) as Kind[];
