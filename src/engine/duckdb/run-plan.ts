import type { Plan } from '../../compile/plan.js';


export interface QueryTiming {
  id: string;
  ms: number;
  rows: number;
}

/** Runs every query of a plan, one after the other (the engine parallelises inside each query). */
export async function runPlan(db: { all(sql: string, params: Plan['queries'][number]['params']): Promise<Record<string, unknown>[]> }, plan: Plan, onQuery?: (id: string) => void): Promise<{ rows: Map<string, Record<string, unknown>[]>; timings: QueryTiming[] }> {
  const rows = new Map<string, Record<string, unknown>[]>();
  const timings: QueryTiming[] = [];
  for (const query of plan.queries) {
    onQuery?.(query.id);
    const started = performance.now();
    let result: Record<string, unknown>[];
    try {
      result = await db.all(query.sql, query.params);
    } catch (error) {
      // Say which query failed: the plan (kpiops plan) shows its SQL under this id.
      if (error instanceof Error) error.message = `query ${query.id}: ${error.message}`;
      throw error;
    }
    rows.set(query.id, result);
    timings.push({ id: query.id, ms: performance.now() - started, rows: result.length });
  }
  return { rows, timings };
}
