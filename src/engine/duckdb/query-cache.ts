import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Rows of queries already run on the same data, kept on disk between commands: `kpiops diff`
 * evaluates two revisions of a project on one snapshot, and a re-run after editing one KPI
 * runs the same queries as before for every other KPI.
 *
 * An entry is keyed by everything its rows depend on: the query's SQL and bound values (the
 * KPIs' definitions, periods and slices are in them), the tables in use (the snapshot's
 * or the rep-facing ones), and the cache's identity, which the caller makes of the data (the
 * manifest with every table's SHA-256, the sources as kpiops.yaml declares them, the tables
 * that failed) and the code (kpiops's own files and the DuckDB version). Change any of them
 * and the entry is not found: a cache that can be stale would be a wrong number.
 *
 * Rows are stored only when JSON holds them exactly (no NaN, infinity or -0); a file that is
 * missing, unreadable or not what was written is a miss, never an error.
 */
export class QueryCache {
  hits = 0;
  misses = 0;
  /** Whether the folder and its `.gitignore` were made in this process. */
  private ready = false;

  constructor(private readonly dir: string, private readonly identity: string) {}

  private keyOf(scope: string, sql: string, params: readonly unknown[]): string {
    return createHash('sha256').update(this.identity).update('\0').update(scope).update('\0').update(sql).update('\0').update(JSON.stringify(params)).digest('hex');
  }

  private fileOf(key: string): string {
    return join(this.dir, 'queries', key.slice(0, 2), `${key}.json`);
  }

  get(scope: string, sql: string, params: readonly unknown[]): unknown[] | undefined {
    const key = this.keyOf(scope, sql, params);
    try {
      const entry = JSON.parse(readFileSync(this.fileOf(key), 'utf8')) as { key?: unknown; rows?: unknown };
      if (entry.key === key && Array.isArray(entry.rows)) {
        this.hits++;
        return entry.rows;
      }
    } catch {
      // Absent or unreadable: run the query.
    }
    this.misses++;
    return undefined;
  }

  set(scope: string, sql: string, params: readonly unknown[], rows: readonly unknown[]): void {
    if (!rows.every(exactInJson)) return;
    const key = this.keyOf(scope, sql, params);
    const file = this.fileOf(key);
    // Written whole, then renamed: a reader never sees half an entry.
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      if (!this.ready) this.prepare();
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(temporary, JSON.stringify({ key, rows }));
      renameSync(temporary, file);
    } catch {
      // A cache that cannot be written (a file in its place, no permission, a full disk) only
      // makes the next run slower; nothing of it may stop this one.
      try {
        rmSync(temporary, { force: true });
      } catch {
        // Nothing was written there.
      }
    }
  }

  /** The cache folder ignores itself in git, so it is never committed by mistake. */
  private prepare(): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(join(this.dir, '.gitignore'), '# Made by kpiops: rows of queries already run (safe to delete).\n*\n');
    this.ready = true;
  }
}

/** Whether JSON gives back exactly this value: finite numbers other than -0, text, booleans, null, and lists and records of them. */
function exactInJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(exactInJson);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value as object).every(exactInJson);
  return false;
}
