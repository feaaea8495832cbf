import type { Plan } from '../../compile/plan.js';
import type { Database } from './database.js';

export interface QueryTiming {
  id: string;
  ms: number;
  rows: number;
}

/** Runs every query of a plan, one after the other (DuckDB parallelises inside each query). */
export async function runPlan(db: Database, plan: Plan, onQuery?: (id: string) => void): Promise<{ rows: Map<string, Record<string, unknown>[]>; timings: QueryTiming[] }> {
  const rows = new Map<string, Record<string, unknown>[]>();
  const timings: QueryTiming[] = [];
  for (const query of plan.queries) {
    onQuery?.(query.id);
    const started = performance.now();
    const result = await db.all(query.sql, query.params);
    rows.set(query.id, result);
    timings.push({ id: query.id, ms: performance.now() - started, rows: result.length });
  }
  return { rows, timings };
}
