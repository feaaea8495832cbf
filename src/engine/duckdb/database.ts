import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, listValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { duckdb } from '../../compile/dialects/duckdb.js';
import type { Engine, Param } from '../engine.js';
import type { RepFacingProject } from '../rep-facing.js';
import { createRepFacingSchema, withRepFacing } from './rep-facing.js';

// Lists bind as DuckDB lists.
export type { Param } from '../engine.js';

const toValue = (p: Param): DuckDBValue => (Array.isArray(p) ? listValue(p.map((v) => v as DuckDBValue)) : (p as DuckDBValue));

/** Turns DuckDB's JS values into plain JSON-safe ones (BIGINT → number when safe, dates → ISO text). */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/**
 * An embedded, in-memory DuckDB: the one place kpiops runs SQL on its own machine. Every
 * value from the outside is a bound parameter; identifiers are quoted by `ident`.
 */
export class Database implements Engine {
  readonly dialect = duckdb;

  private constructor(private readonly instance: DuckDBInstance, private readonly connection: DuckDBConnection, private readonly spill: string) {}

  static async open(options: { threads?: number; memoryLimit?: string } = {}): Promise<Database> {
    // Groupings larger than the memory limit spill here, never into the user's working directory.
    const spill = mkdtempSync(join(tmpdir(), 'kpiops-duckdb-'));
    const config: Record<string, string> = { temp_directory: spill };
    if (options.threads) config.threads = String(options.threads);
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    const instance = await DuckDBInstance.create(':memory:', config);
    const db = new Database(instance, await instance.connect(), spill);
    // Periods are UTC: timestamps with an offset are converted to UTC, never truncated.
    await db.run("SET TimeZone = 'UTC'");
    // Tables held compressed in memory: a 10M-event snapshot then leaves most of the memory
    // limit to the queries (on the bench snapshot evaluation took 62 s instead of 75 s).
    await db.run("ATTACH ':memory:' AS snapshot (COMPRESS)");
    await db.run('USE snapshot');
    // No query relies on the order rows come in (results are keyed, outputs ordered explicitly); not keeping it saves memory and time.
    await db.run('SET preserve_insertion_order = false');
    return db;
  }

  async run(sql: string, params: readonly Param[] = []): Promise<void> {
    await this.connection.run(sql, params.map(toValue));
  }

  async all<T = Record<string, unknown>>(sql: string, params: readonly Param[] = []): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params.map(toValue));
    return reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])) as T);
  }

  /** Rows of a query in batches as they are produced, every value as text (NULL stays null): for copying a table out. */
  async *textRows(sql: string): AsyncGenerator<(string | null)[][]> {
    const result = await this.connection.stream(sql);
    for await (const rows of result.yieldRowsJs()) yield rows as (string | null)[][];
  }

  /** After loading, refuse any further file or network access and any change to that setting. */
  async lock(): Promise<void> {
    await this.run('SET enable_external_access = false');
    await this.run('SET lock_configuration = true');
  }

  prepareRepFacing(project: RepFacingProject, unloaded: ReadonlySet<string>): Promise<string[]> {
    return createRepFacingSchema(this, project, unloaded);
  }

  withRepFacing<T>(work: () => Promise<T>): Promise<T> {
    return withRepFacing(this, work);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
    rmSync(this.spill, { recursive: true, force: true });
  }
}
