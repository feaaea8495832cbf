import type { Dialect } from '../compile/dialects/index.js';
import type { Param as PlanParam } from '../compile/plan.js';
import type { RepFacingProject } from './rep-facing.js';

/** A value bound to a query parameter: a plan's value, or a list of them (a DuckDB list, a PostgreSQL array). */
export type Param = PlanParam | readonly PlanParam[];

/**
 * What runs a compiled plan: the embedded DuckDB or a session on a warehouse. The SQL it
 * is given was written for its `dialect`; every value arrives as a bound parameter.
 */
export interface Engine {
  /** The dialect this engine's SQL is compiled for, with its table mapping. */
  readonly dialect: Dialect;
  all<T = Record<string, unknown>>(sql: string, params?: readonly Param[]): Promise<T[]>;
  /**
   * The rows of a query marked `byHcp` in the plan, whose columns `sums` add up over HCPs:
   * an engine that can may evaluate it in parts of HCPs. Without it, `all` runs it.
   */
  allByHcp?<T = Record<string, unknown>>(sql: string, params: readonly Param[], sums: readonly string[]): Promise<T[]>;
  close(): void | Promise<void>;
  /**
   * Makes the rep-facing data ready (prescribing sources without the HCPs who opted out
   * of sharing it with reps); returns what is wrong with the setting instead, in words.
   * Sources in `unloaded` did not load: nothing may read them.
   */
  prepareRepFacing(project: RepFacingProject, unloaded: ReadonlySet<string>): Promise<string[]>;
  /** Runs `work` with every query reading the rep-facing data, then switches back. */
  withRepFacing<T>(work: () => Promise<T>): Promise<T>;
}
