import type { PlannedQuery } from '../compile/plan.js';
import type { Engine } from './engine.js';

export interface QueryTiming {
  id: string;
  ms: number;
  rows: number;
}

/** Runs every query of a plan, one after the other (the engine parallelises inside each query). */
export async function runPlan(db: Pick<Engine, 'all' | 'allByHcp'>, plan: { queries: readonly PlannedQuery[] }, onQuery?: (id: string) => void): Promise<{ rows: Map<string, Record<string, unknown>[]>; timings: QueryTiming[] }> {
  const rows = new Map<string, Record<string, unknown>[]>();
  const timings: QueryTiming[] = [];
  for (const query of plan.queries) {
    onQuery?.(query.id);
    const started = performance.now();
    let result: Record<string, unknown>[];
    try {
      result = query.byHcp && db.allByHcp ? await db.allByHcp(query.sql, query.params, query.feeds) : await db.all(query.sql, query.params);
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
