import { mkdtempSync, rmSync, statSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, listValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { duckdb } from '../../compile/dialects/duckdb.js';
import type { Engine, Param } from '../engine.js';
import type { RepFacingProject } from '../rep-facing.js';
import { createRepFacingSchema, withRepFacing } from './rep-facing.js';
import { canonical, sha256Text } from '../../model/definition-hash.js';
import { QueryCache } from './query-cache.js';
import { allInParts, prepareSplit, ROWS_PER_GIB, type HcpTables } from './parts.js';

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

/** A text literal: views cannot hold bound parameters, so a file's path is written into one, quoted. */
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

const UNITS: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 2 ** 10, MIB: 2 ** 20, GIB: 2 ** 30, TIB: 2 ** 40 };
/** Bytes of a size as DuckDB prints a setting (`3.7 GiB`, `1.5GB`); Infinity when it cannot tell. */
function bytesOf(size: string): number {
  const m = /^\s*([\d.]+)\s*([KMGT]?I?B)\s*$/i.exec(size);
  return m ? Number(m[1]) * UNITS[m[2]!.toUpperCase()]! : Infinity;
}

/** The relation reading one Parquet file, its path written as a literal (for a view's definition). */
export const parquetOf = (path: string) => `read_parquet(${literal(path)})`;

/**
 * An embedded, in-memory DuckDB: the one place kpiops runs SQL on its own machine. Every
 * value from the outside is a bound parameter; identifiers are quoted by `ident`.
 */
export class Database implements Engine {
  readonly dialect = duckdb;

  /** Table files read in place through views: the only files queries may still open once the database is locked. */
  private readonly files = new Map<string, string>();
  /** Each such file as it was when read first: a file replaced since would give numbers from bytes never checked. */
  private readonly seen = new Map<string, Pick<Stats, 'size' | 'mtimeMs' | 'ino'>>();
  /** Rows of queries already run on the same data (`cacheQueries`), and which tables queries read now. */
  private cache?: QueryCache;
  private scope = 'snapshot';
  private repFacingScope = 'rep-facing';

  /** How many queries ran in parts of HCPs (`allByHcp`). */
  runInParts = 0;
  private hcpTables: HcpTables | undefined;
  private parts = 1;
  private constructor(private readonly instance: DuckDBInstance, private readonly connection: DuckDBConnection, private readonly spill: string) {}

  static async open(options: { threads?: number; memoryLimit?: string } = {}): Promise<Database> {
    // Groupings larger than the memory limit spill here, never into the user's working directory.
    const spill = mkdtempSync(join(tmpdir(), 'kpiops-duckdb-'));
    const config: Record<string, string> = { temp_directory: spill };
    if (options.threads) config.threads = String(options.threads);
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    // Memory freed by a query goes back to the system sooner than DuckDB's defaults (128 MB
    // kept per thread, 512 MB after bulk frees): the process then stays nearer the memory
    // limit (10M events at a 1.5 GB limit: a peak of 1,726–1,740 MB instead of 1,850–2,070 MB, about 1% slower).
    config.allocator_flush_threshold = '16MB';
    config.allocator_bulk_deallocation_flush_threshold = '64MB';
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
    const cached = this.cache?.get(this.scope, sql, params);
    if (cached) return cached as T[];
    const rows = await this.rows<T>(sql, params);
    this.cache?.set(this.scope, sql, params, rows);
    return rows;
  }

  /** The rows of a statement, never from the cache. */
  private async rows<T>(sql: string, params: readonly Param[]): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params.map(toValue));
    this.unchanged();
    return reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])) as T);
  }

  /**
   * Says which loaded tables have an HCP column, and decides whether a query that adds up
   * over HCPs (`allByHcp`) runs in parts of HCPs. `rowsPerPart` overrides the part size that
   * follows from the memory limit (`ROWS_PER_GIB`). Returns the table, if any, too large for
   * one piece that cannot be split because its file is not a Parquet file in HCP order.
   */
  async splitByHcp(tables: HcpTables, rowsPerPart?: number): Promise<{ table: string; rows: number } | undefined> {
    this.hcpTables = tables;
    const size = rowsPerPart ?? await this.partSize();
    const split = await prepareSplit(this.uncached, tables, size);
    this.parts = split.parts;
    return split.unordered;
  }

  /**
   * The rows of a query whose component columns add up over HCPs (`byHcp` in the plan). On a
   * snapshot too large for the memory limit in one piece, it runs in parts of HCPs and the
   * parts' columns `sums` are added: the same rows as in one piece, without spilling.
   */
  async allByHcp<T = Record<string, unknown>>(sql: string, params: readonly Param[], sums: readonly string[]): Promise<T[]> {
    const cached = this.cache?.get(this.scope, sql, params);
    if (cached) return cached as T[];
    const { parts } = this;
    const rows = parts < 2 ? await this.rows<T>(sql, params) : await allInParts<T>(this.uncached, this.hcpTables!, parts, sql, params, new Set(sums));
    if (parts >= 2) this.runInParts += 1;
    this.cache?.set(this.scope, sql, params, rows);
    return rows;
  }

  /** Statements for `parts.ts`, whose rows never come from or go to the cache. */
  private readonly uncached = { run: (sql: string, params?: readonly Param[]) => this.run(sql, params), all: <R>(sql: string, params: readonly Param[] = []) => this.rows<R>(sql, params) };

  /** Rows per part: `ROWS_PER_GIB` for each GiB of the memory limit. */
  private async partSize(): Promise<number> {
    const [{ limit }] = (await this.rows<{ limit: string }>("SELECT current_setting('memory_limit') AS limit", [])) as [{ limit: string }];
    return Math.max(1, Math.round((bytesOf(limit) / 2 ** 30) * ROWS_PER_GIB));
  }

  /**
   * From now on, rows of queries are kept in `dir` and read back when the same query runs on
   * the same data and code again. `identity` is what the caller knows the data by (see
   * `QueryCache`); the DuckDB version is added here. Only for a loaded, locked snapshot.
   */
  async cacheQueries(dir: string, identity: string): Promise<QueryCache> {
    const [{ v }] = (await this.all<{ v: string }>('SELECT version() AS v')) as [{ v: string }];
    this.cache = new QueryCache(dir, `${identity}\0duckdb ${v}`);
    return this.cache;
  }

  /** Rows of a query in batches as they are produced, every value as text (NULL stays null): for copying a table out. */
  async *textRows(sql: string): AsyncGenerator<(string | null)[][]> {
    const result = await this.connection.stream(sql);
    for await (const rows of result.yieldRowsJs()) yield rows as (string | null)[][];
  }

  /**
   * Makes `path` readable as `name`, in place: a view over the Parquet file rather than a copy
   * of its rows in memory. The file stays readable after `lock`, and no other file does.
   */
  async viewOfParquet(name: string, path: string): Promise<void> {
    const { size, mtimeMs, ino } = statSync(path);
    await this.run(`CREATE VIEW ${duckdb.ident(name)} AS SELECT * FROM ${parquetOf(path)}`);
    this.files.set(name, path);
    this.seen.set(path, { size, mtimeMs, ino });
  }

  /** The Parquet file a view made by `viewOfParquet` reads, if `name` (unquoted) is one. */
  parquetFileOf(name: string): string | undefined {
    return this.files.get(name);
  }

  /** Whether `name` (unquoted) is a view rather than a table. */
  async isView(name: string): Promise<boolean> {
    return (await this.all('SELECT 1 FROM duckdb_views() WHERE view_name = $1 AND NOT internal', [name])).length > 0;
  }

  /** Drops a table or view of that name (unquoted), if there is one. */
  async drop(name: string): Promise<void> {
    await this.run(`DROP ${(await this.isView(name)) ? 'VIEW' : 'TABLE'} IF EXISTS ${duckdb.ident(name)}`);
  }

  /** Throws when a file read in place was replaced or rewritten after its checksum was checked: its rows may differ. */
  private unchanged(): void {
    for (const [path, was] of this.seen) {
      const now = statSync(path, { throwIfNoEntry: false });
      if (!now || now.size !== was.size || now.mtimeMs !== was.mtimeMs || now.ino !== was.ino) {
        throw new Error(`the snapshot file ${path} changed while kpiops was reading it (its checksum was checked when the snapshot loaded); run again on a snapshot that is not being written to`);
      }
    }
  }

  /** After loading, refuse any further file or network access and any change to that setting. */
  async lock(): Promise<void> {
    // The files read through views stay readable, exactly those and nothing else.
    if (this.files.size > 0) await this.run(`SET allowed_paths = [${[...new Set(this.files.values())].map(literal).join(', ')}]`);
    await this.run('SET enable_external_access = false');
    await this.run('SET lock_configuration = true');
  }

  prepareRepFacing(project: RepFacingProject, unloaded: ReadonlySet<string>): Promise<string[]> {
    // The rep-facing tables depend on the rule they were made with (two revisions may differ): cached rows are kept apart by it.
    this.repFacingScope = `rep-facing ${sha256Text(canonical([project, [...unloaded].sort()]))}`;
    return createRepFacingSchema(this, project, unloaded);
  }

  async withRepFacing<T>(work: () => Promise<T>): Promise<T> {
    const outer = this.scope;
    this.scope = this.repFacingScope;
    try {
      return await withRepFacing(this, work);
    } finally {
      this.scope = outer;
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
    rmSync(this.spill, { recursive: true, force: true });
  }
}
