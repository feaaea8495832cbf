import { duckdb } from '../../compile/dialects/duckdb.js';
import { repFacingRule, repFacingSelect, type RepFacingProject } from '../rep-facing.js';

const { ident } = duckdb;
export const REP_FACING_SCHEMA = 'rep_facing';

/** What these helpers need of the database: running a statement (so this file and database.ts do not import each other). */
interface Statements {
  run(sql: string): Promise<unknown>;
}

/**
 * A schema of views for rep-facing scorecards: prescribing sources without the HCPs who
 * opted out of sharing prescribing data with reps (PDRP), every other table as loaded.
 * Queries then run unchanged after `USE`; the opted-out HCPs' rows never reach them.
 * A source that did not load gets no view: nothing computed reads it.
 */
export async function createRepFacingSchema(db: Statements, project: RepFacingProject, unloaded: ReadonlySet<string> = new Set()): Promise<string[]> {
  const { rule, problems } = repFacingRule(project);
  if (problems.length > 0) return problems;
  await db.run(`CREATE SCHEMA IF NOT EXISTS snapshot.${REP_FACING_SCHEMA}`);
  for (const source of Object.keys(project.sources).filter((s) => !unloaded.has(s))) {
    const query = rule?.sources.has(source)
      ? repFacingSelect(rule, source, (s) => `snapshot.main.${ident(s)}`, ident)
      : `SELECT * FROM snapshot.main.${ident(source)}`;
    await db.run(`CREATE OR REPLACE VIEW snapshot.${REP_FACING_SCHEMA}.${ident(source)} AS ${query}`);
  }
  return [];
}

/** Runs `work` with queries resolving tables in the rep-facing schema, then switches back. */
export async function withRepFacing<T>(db: Statements, work: () => Promise<T>): Promise<T> {
  await db.run(`USE snapshot.${REP_FACING_SCHEMA}`);
  try {
    return await work();
  } finally {
    await db.run('USE snapshot.main');
  }
}
