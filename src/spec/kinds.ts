import type { TSchema } from '@sinclair/typebox';
import { ChannelSchema } from './channel.js';
import { filterDefs } from './filter.js';
import { KpiSchema } from './kpi.js';
import { ProjectSchema } from './project.js';
import { ScorecardSchema } from './scorecard.js';
import { SnapshotSchema } from './snapshot.js';

/** The YAML file kinds, each with its schema and the file name it is published under in `schemas/`. */
export const KINDS = {
  project: { schema: ProjectSchema, file: 'project.schema.json' },
  channel: { schema: ChannelSchema, file: 'channel.schema.json' },
  kpi: { schema: KpiSchema, file: 'kpi.schema.json' },
  scorecard: { schema: ScorecardSchema, file: 'scorecard.schema.json' },
  snapshot: { schema: SnapshotSchema, file: 'snapshot.schema.json' },
} as const satisfies Record<string, { schema: TSchema; file: string }>;

export type Kind = keyof typeof KINDS;
export const KIND_NAMES = Object.keys(KINDS) as Kind[];

/** The published JSON Schema (draft 2020-12) of a kind: plain JSON, free of TypeBox's internal symbols. */
export function jsonSchema(kind: Kind): Record<string, unknown> {
  const { schema } = KINDS[kind];
  const body = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
  const defs = JSON.parse(JSON.stringify(filterDefs)) as Record<string, unknown>;
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...body, $defs: defs };
}
