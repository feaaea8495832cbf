import { compile } from '../../src/compile/compile.js';
import { duckdb } from '../../src/compile/dialects/index.js';
import { Database } from '../../src/engine/duckdb/database.js';
import { PostgresDatabase } from '../../src/engine/postgres/database.js';
import { copySnapshot } from '../../src/engine/postgres/load.js';
import { createRepFacingSchema, withRepFacing } from '../../src/engine/duckdb/rep-facing.js';
import { runPlan } from '../../src/engine/run-plan.js';
import { expect } from 'vitest';
import { evaluate, type KpiValues, type SliceResult } from '../../src/evaluate/evaluate.js';
import { sliceKey, type Dims } from '../../src/evaluate/rows.js';
import { normalize } from '../../src/model/normalize.js';
import { parsePeriod } from '../../src/model/period.js';
import type { KpiSpec } from '../../src/spec/kpi.js';
import type { ProjectSpec } from '../../src/spec/project.js';
import { validateWith } from './demo-project.js';

export type FixtureRow = Record<string, string | number | boolean | null>;

const TYPES = { string: 'VARCHAR', integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMP' } as const;

const demo = validateWith([]);
export const demoProject = demo.files.project!.spec;
export const demoKpis = demo.files.kpis.map((k) => k.spec);
export const demoChannels = demo.files.channels.map((c) => c.spec);

/**
 * Evaluates KPIs of the demo catalog (or given ones) on tables written by hand: each
 * source becomes a DuckDB table with its declared column types, columns not given are
 * null. Returns each KPI's values. With `postgres` (a server URL), the tables are copied
 * into a schema of their own there and the plan compiled for PostgreSQL runs on them.
 */
export async function evaluateFixture(data: Record<string, FixtureRow[]>, options: { period: string; asOf: string; kpis?: KpiSpec[]; project?: ProjectSpec; repFacing?: boolean; postgres?: string }): Promise<Map<string, KpiValues>> {
  const project = options.project ?? demoProject;
  const db = await fixtureDatabase(data, project);
  try {
    const model = normalize({ project, channels: demo.files.channels.map((c) => c.spec), kpis: options.kpis ?? demoKpis, scorecards: demo.files.scorecards.map((s) => s.spec) });
    const at = { period: parsePeriod(options.period, model.calendar)!, asOf: new Date(options.asOf) };
    if (options.postgres && options.repFacing) throw new Error('rep-facing fixtures run on DuckDB only');
    const pgdb = options.postgres ? await postgresFixture(db, model.sources, options.postgres) : undefined;
    try {
      const plan = compile(model, pgdb?.dialect ?? duckdb, at);
      if (options.repFacing) expect(await createRepFacingSchema(db, model)).toEqual([]);
      const { rows } = options.repFacing ? await withRepFacing(db, () => runPlan(db, plan)) : await runPlan(pgdb ?? db, plan);
      return new Map(evaluate(plan, rows).map((v) => [v.plan.id, v]));
    } finally {
      await pgdb?.close();
    }
  } finally {
    db.close();
  }
}

let schemas = 0;
/** The fixture's tables copied into a new schema of the PostgreSQL at `url`; a read-only connection reading them. */
async function postgresFixture(duck: Database, sources: Parameters<typeof copySnapshot>[2]['sources'], url: string): Promise<PostgresDatabase> {
  const schema = `fixture_${process.pid}_${++schemas}`;
  const writer = await PostgresDatabase.connect({ url, readOnly: false });
  try {
    await copySnapshot(duck, writer, { sources, warehouse: { schema, tables: {}, statementTimeoutS: 60 } }, Object.keys(sources), schema);
  } finally {
    await writer.close();
  }
  return PostgresDatabase.connect({ url, tables: { schema } });
}

/** A DuckDB holding each source of the project as a table of its declared column types, with the rows given (none for a source not given). */
export async function fixtureDatabase(data: Record<string, FixtureRow[]>, project: ProjectSpec = demoProject): Promise<Database> {
  const db = await Database.open({ threads: 1 });
  for (const [source, spec] of Object.entries(project.sources)) {
    const columns = Object.entries(spec.columns);
    await db.run(`CREATE TABLE "${source}" (${columns.map(([c, s]) => `"${c}" ${TYPES[s.type]}`).join(', ')})`);
    for (const row of data[source] ?? []) {
      await db.run(`INSERT INTO "${source}" VALUES (${columns.map(([, s], i) => `CAST($${i + 1} AS ${TYPES[s.type]})`).join(', ')})`, columns.map(([c]) => row[c] ?? null));
    }
  }
  return db;
}

/** The slice of a KPI's values with exactly these dimensions. */
export function slice(values: Map<string, KpiValues>, kpi: string, dims: Dims = {}): SliceResult {
  const found = values.get(kpi)?.slices.find((s) => sliceKey(s.dims) === sliceKey(dims));
  if (!found) throw new Error(`${kpi} has no slice ${JSON.stringify(dims)}`);
  return found;
}
