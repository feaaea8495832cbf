import { Type, type Static } from '@sinclair/typebox';
import { closed, Description, Id, Literals, Version } from './common.js';

const Table = Type.Object(
  {
    file: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 255,
      description: 'File name inside the snapshot directory (no folders).', examples: ['interactions.parquet'],
    }),
    format: Literals(['csv', 'parquet', 'json'], { description: 'File format.' }),
    delimiter: Type.Optional(Type.String({ minLength: 1, maxLength: 1, description: 'For CSV: the character between fields (default `,`; `;` for many European exports, a tab for TSV).', examples: [';'] })),
    rows: Type.Integer({ minimum: 0, description: 'Row count; loading fails when the file has a different count.' }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the file (hex); loading fails when it differs.' }),
    coverage_start: Type.Optional(Type.String({ format: 'date', description: 'First day the data is complete from. `kpiops snapshot seal` writes the day of the first row; state an earlier day when the data really is complete from then (nothing happened before the first row), a later one when earlier rows are a partial start-up. Periods starting before it are not computed.', examples: ['2026-03-01'] })),
    coverage_end: Type.Optional(Type.String({ format: 'date', description: 'Last day the data is complete for (later data may still arrive).', examples: ['2026-09-30'] })),
  },
  { ...closed, description: 'One table of the snapshot.' },
);

export const SnapshotSchema = Type.Object(
  {
    version: Version,
    id: Description('Snapshot id, recorded in results and emails for the audit trail.', ['demo-2026-10-31']),
    as_of: Type.String({ format: 'date-time', description: 'When the snapshot was taken (UTC); no event may be later.', examples: ['2026-11-01T00:00:00Z'] }),
    tables: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), Table, { ...closed, minProperties: 1, description: 'Tables by source name.' }),
    generator: Type.Optional(Type.Object({
      name: Id('What produced the snapshot.', ['kpiops_sample']),
      seed: Type.Optional(Type.Integer({ description: 'Random seed of a generated snapshot.' })),
      format: Type.Optional(Type.Integer({ minimum: 1, description: 'Version of what the generator writes (its tables and columns). `kpiops sample --if-missing` makes a new sample when an existing one has another.' })),
    }, { ...closed, description: 'How the snapshot was produced.' })),
  },
  {
    ...closed,
    title: 'kpiops snapshot manifest (snapshot.yaml)',
    description: 'A data snapshot: its tables, their checksums and row counts.',
  },
);

/**
 * A snapshot manifest, `<snapshot>/snapshot.yaml`.
 *
 * ```yaml
 * version: kpiops/v1
 * id: demo-2026-10-31
 * as_of: 2026-11-01T00:00:00Z
 * tables:
 *   interactions: {file: interactions.parquet, format: parquet, rows: 1204332, sha256: 3f…}
 * ```
 */
export type SnapshotSpec = Static<typeof SnapshotSchema>;
