import type { TSchema } from '@sinclair/typebox';
import { AlertSchema } from './alert.js';
import { ChannelSchema } from './channel.js';
import { filterDefs } from './filter.js';
import { KpiSchema } from './kpi.js';
import type { Kind } from './kinds.js';
import { ProjectSchema } from './project.js';
import { ScorecardSchema } from './scorecard.js';
import { SnapshotSchema } from './snapshot.js';

/** The TypeBox source of each kind's schema: the single definition the JSON files are generated from. */
const SOURCES: Record<Kind, TSchema> = {
  project: ProjectSchema,
  channel: ChannelSchema,
  kpi: KpiSchema,
  scorecard: ScorecardSchema,
  snapshot: SnapshotSchema,
  alert: AlertSchema,
};

/** The published JSON Schema (draft 2020-12) of a kind: plain JSON, free of TypeBox's internal symbols. */
export function jsonSchema(kind: Kind): Record<string, unknown> {
  const body = JSON.parse(JSON.stringify(SOURCES[kind])) as Record<string, unknown>;
  const defs = JSON.parse(JSON.stringify(filterDefs)) as Record<string, unknown>;
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...body, $defs: defs };
}
