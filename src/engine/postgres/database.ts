import pg from 'pg';
import { postgres } from '../../compile/dialects/postgres.js';
import { withTables, type Dialect, type TableMap } from '../../compile/dialects/index.js';
import type { Engine, Param } from '../engine.js';
import { repFacingRule, repFacingSelect, type RepFacingProject } from '../rep-facing.js';

// A list binds as a PostgreSQL array.
export type { Param } from '../engine.js';

/** The connection settings warehouse mode needs, from `kpiops.yaml` and the environment. */
export interface PostgresOptions {
  /** postgres://user[:password]@host[:port]/database */
  url: string;
  /** Seconds a statement may run before the server cancels it. */
  statementTimeoutS?: number;
  /** Refuse every write (the default; the loader turns it off). */
  readOnly?: boolean;
  /** The schema and table names sources are read from (`warehouse` in kpiops.yaml). */
  tables?: TableMap;
}

/** A connection problem or a failed statement, in words, without the password. */
export class PostgresError extends Error {}

const INT8 = 20;
const NUMERIC = 1700;
const TIMESTAMP = 1114;

/** Values as the DuckDB engine returns them: counts as numbers, sums as numbers, timestamps as ISO text in UTC. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (text: string) => {
      const n = Number(text);
      return oid === INT8 && !Number.isSafeInteger(n) ? text : n;
    };
    if (oid === TIMESTAMP) return (text: string) => new Date(`${text.replace(' ', 'T')}Z`).toISOString();
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** Where a URL points, for messages (never its password). */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}/${u.pathname.slice(1)}${u.username ? ` as ${decodeURIComponent(u.username)}` : ''}`;
  } catch {
    return 'the database (the URL does not parse)';
  }
}

/** PostgreSQL's own words for an error, with its code where there is one. */
export function errorText(error: unknown): string {
  const e = error as { message?: string; code?: string };
  return `${e.message ?? String(error)}${e.code && /^[0-9A-Z]{5}$/.test(e.code) ? ` (SQLSTATE ${e.code})` : ''}`;
}

/**
 * One session on a PostgreSQL server: read-only unless asked, with a statement timeout and
 * UTC as its time zone. Every value is a bound parameter ($1 …); identifiers come quoted
 * from the dialect.
 */
export class PostgresDatabase implements Engine {
  /** The dialect queries are written in now: the warehouse's tables, or their rep-facing rows. */
  private current: Dialect;
  private repFacing: Dialect | undefined;

  private constructor(readonly client: pg.Client, readonly where: string, private readonly tables: Dialect) {
    this.current = tables;
  }

  get dialect(): Dialect {
    return this.current;
  }

  static async connect(options: PostgresOptions): Promise<PostgresDatabase> {
    const where = describeUrl(options.url);
    if (!/^postgres(ql)?:\/\//.test(options.url)) throw new PostgresError(`the connection URL must start with postgres:// (got ${where})`);
    const client = new pg.Client({ connectionString: options.url, types, application_name: 'kpiops', connectionTimeoutMillis: 15_000 });
    // A dropped connection is reported by the statement that needed it, not as an unhandled event.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw new PostgresError(`cannot connect to PostgreSQL at ${where}: ${errorText(error)}`);
    }
    const db = new PostgresDatabase(client, where, withTables(postgres, options.tables ?? {}));
    await db.run(`SET statement_timeout = ${Math.round((options.statementTimeoutS ?? 1800) * 1000)}`);
    await db.run("SET TimeZone = 'UTC'");
    if (options.readOnly !== false) await db.run('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
    return db;
  }

  async run(sql: string, params: readonly Param[] = []): Promise<void> {
    await this.all(sql, params);
  }

  async all<T = Record<string, unknown>>(sql: string, params: readonly Param[] = []): Promise<T[]> {
    try {
      const result = await this.client.query({ text: sql, values: params as Param[] });
      return result.rows as T[];
    } catch (error) {
      throw new PostgresError(`PostgreSQL at ${this.where}: ${errorText(error)}`);
    }
  }

  /**
   * The session is read-only, so rep-facing data is no schema of views (as in DuckDB) but
   * the dialect's table mapping: a prescribing source reads as a subquery without the
   * opted-out HCPs' rows, wherever a query names it.
   */
  async prepareRepFacing(project: RepFacingProject): Promise<string[]> {
    const { rule, problems } = repFacingRule(project);
    if (problems.length > 0) return problems;
    const base = this.tables;
    this.repFacing = rule
      ? { ...base, table: (source) => (rule.sources.has(source) ? `(${repFacingSelect(rule, source, base.table, base.ident)})` : base.table(source)) }
      : base;
    return [];
  }

  async withRepFacing<T>(work: () => Promise<T>): Promise<T> {
    if (!this.repFacing) throw new Error('prepareRepFacing must be called before withRepFacing');
    this.current = this.repFacing;
    try {
      return await work();
    } finally {
      this.current = this.tables;
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
