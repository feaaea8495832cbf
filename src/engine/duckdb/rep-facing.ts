import type { ProjectSpec } from '../../spec/project.js';
import type { Database } from './database.js';

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const REP_FACING_SCHEMA = 'rep_facing';

/**
 * A schema of views for rep-facing scorecards: prescribing sources without the HCPs who
 * opted out of sharing prescribing data with reps (PDRP), every other table as loaded.
 * Queries then run unchanged after `USE`; the opted-out HCPs' rows never reach them.
 * A source that did not load gets no view: nothing computed reads it.
 */
export async function createRepFacingSchema(db: Database, project: ProjectSpec, unloaded: ReadonlySet<string> = new Set()): Promise<string[]> {
  const rule = project.privacy?.rep_facing_rx;
  const entity = Object.entries(project.sources).find(([, s]) => s.entity);
  const problems: string[] = [];
  if (rule && entity) {
    const [hcpTable, hcpSpec] = entity;
    if (hcpSpec.columns[rule.opt_out]?.type !== 'boolean') problems.push(`kpiops.yaml: privacy.rep_facing_rx.opt_out: ${rule.opt_out} is not a boolean column of ${hcpTable}`);
    for (const source of rule.sources) {
      const spec = project.sources[source];
      const ref = spec && Object.entries(spec.columns).find(([, c]) => c.references === hcpTable)?.[0];
      if (!ref) problems.push(`kpiops.yaml: privacy.rep_facing_rx.sources: ${source} is not a source with a column referencing ${hcpTable}`);
    }
  }
  if (problems.length > 0) return problems;
  await db.run(`CREATE SCHEMA IF NOT EXISTS snapshot.${REP_FACING_SCHEMA}`);
  for (const source of Object.keys(project.sources).filter((s) => !unloaded.has(s))) {
    const excluded = rule?.sources.includes(source) && entity;
    if (excluded) {
      const [hcpTable, hcpSpec] = entity;
      const ref = Object.entries(project.sources[source]!.columns).find(([, c]) => c.references === hcpTable)![0];
      await db.run(`CREATE OR REPLACE VIEW snapshot.${REP_FACING_SCHEMA}.${ident(source)} AS
        SELECT s.* FROM snapshot.main.${ident(source)} AS s LEFT JOIN snapshot.main.${ident(hcpTable)} AS h ON s.${ident(ref)} = h.${ident(hcpSpec.key as string)}
        WHERE NOT COALESCE(h.${ident(rule!.opt_out)}, FALSE)`);
    } else {
      await db.run(`CREATE OR REPLACE VIEW snapshot.${REP_FACING_SCHEMA}.${ident(source)} AS SELECT * FROM snapshot.main.${ident(source)}`);
    }
  }
  return [];
}

/** Runs `work` with queries resolving tables in the rep-facing schema, then switches back. */
export async function withRepFacing<T>(db: Database, work: () => Promise<T>): Promise<T> {
  await db.run(`USE snapshot.${REP_FACING_SCHEMA}`);
  try {
    return await work();
  } finally {
    await db.run('USE snapshot.main');
  }
}
