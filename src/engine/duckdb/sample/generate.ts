import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { sha256 } from '../../file-hash.js';
import { VERSION } from '../../../spec/kinds.js';
import type { SnapshotSpec } from '../../../spec/snapshot.js';
import { Database } from '../database.js';
import { ident } from '../sql.js';
import { benchmarksSql, contentSql, goalsSql, hcpsSql, INTERACTION_CHANNEL, interactionsColumns, interactionsSql, recommendationsSql, responsesSql, rxSql, touchesSql, uniformMacro, type SampleShape } from './tables.js';

/**
 * What the generator writes, as a version: raised whenever a table or column changes (2: the
 * HCP table gained `name`; 3: the `recommendations` table of next-best-action suggestions; 4:
 * territory numbers from 100 up written whole, no longer cut to two digits), so that a sample made by an older kpiops is recognised and remade.
 */
export const SAMPLE_FORMAT = 4;

export interface SampleOptions {
  out: string;
  hcps: number;
  months: number;
  seed: number;
  format: 'parquet' | 'csv';
  /** Last month of the sample, `YYYY-MM`. */
  end: string;
  /** Where the project's schemas are, for the manifest's modeline (relative to `out`). */
  schemasDir?: string;
  /**
   * The channels the project declares: interactions on any other channel are left out, so a
   * project with fewer channels than the demo's ten gets a sample it can load. Undefined: all.
   */
  channels?: readonly string[];
  onStep?: (step: string) => void;
}

/** Each table, the columns written (in order) and the key it is sorted by, so files are byte-identical run to run. */
const TABLES = [
  { name: 'hcps', sql: hcpsSql, columns: 'hcp_id, specialty, segment, decile, territory, region, country, target, pdrp_opt_out, email_consent, name', order: 'hcp_id' },
  // Sorting 10M events by an integer key is several times faster than by their text ids.
  // Its text columns are made from numbers as the file is written, after the sort.
  { name: 'interactions', sql: interactionsSql, columns: interactionsColumns, order: 'sort_key', before: touchesSql },
  { name: 'responses', sql: responsesSql, columns: '*', order: 'response_id' },
  { name: 'goals', sql: goalsSql, columns: '*', order: 'hcp_id, brand, period_start' },
  { name: 'rx', sql: rxSql, columns: '*', order: 'hcp_id, brand, month' },
  { name: 'content', sql: contentSql, columns: '*', order: 'content_id' },
  { name: 'benchmarks', sql: benchmarksSql, columns: '*', order: 'period, brand, company, metric' },
  { name: 'recommendations', sql: recommendationsSql, columns: '* EXCLUDE (sort_key)', order: 'sort_key' },
] as const;

/**
 * The order tables are made in: suggestions read the events (the rep visits after each), so
 * they follow them and the events can then be dropped; HCPs are read by most and kept. Each
 * other table is dropped once written, so memory holds about one big table at a time.
 */
const MADE = ['hcps', 'interactions', 'recommendations', 'responses', 'goals', 'rx', 'content', 'benchmarks'] as const;
const KEPT = new Set<string>(['hcps']);
const LAST_READ: Record<string, string> = { interactions: 'recommendations' };

/** DuckDB's working memory while generating: beyond it, sorts and tables spill to a temporary folder. */
const GENERATOR_MEMORY = '1GB';

/** The tables whose rows have a time (the demo project's `time` columns). */
const TIMED = new Set(['interactions', 'responses', 'rx', 'recommendations']);

export function shapeOf(options: Pick<SampleOptions, 'hcps' | 'months' | 'seed' | 'end'>): SampleShape {
  const [year, month] = options.end.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(year, month - options.months, 1));
  const after = new Date(Date.UTC(year, month, 1));
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return { hcps: options.hcps, months: options.months, seed: options.seed, start: day(first), asOf: day(after) };
}

const lastDayBefore = (isoDay: string, months: number) => {
  const d = new Date(`${isoDay}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 0)).toISOString().slice(0, 10);
};

/**
 * Generates a realistic, deterministic demo snapshot inside DuckDB (no row is built in
 * JavaScript) and writes one file per table plus `snapshot.yaml`. The same options give
 * byte-identical files.
 */
export async function generateSample(options: SampleOptions): Promise<SnapshotSpec> {
  const shape = shapeOf(options);
  mkdirSync(options.out, { recursive: true });
  const db = await Database.open({ memoryLimit: GENERATOR_MEMORY });
  try {
    await db.run(uniformMacro(shape.seed));
    const made: SnapshotSpec['tables'] = {};
    for (const table of MADE.map((name) => TABLES.find((t) => t.name === name)!)) {
      options.onStep?.(`generating ${table.name}`);
      if ('before' in table) await db.run(table.before(shape));
      await db.run(table.sql(shape));
      if ((table.name === 'interactions' || table.name === 'recommendations') && options.channels) {
        await db.run(`DELETE FROM ${ident(table.name)} WHERE NOT list_contains($1::VARCHAR[], ${table.name === 'interactions' ? INTERACTION_CHANNEL : 'channel'})`, [[...options.channels]]);
      }
      const file = `${table.name}.${options.format}`;
      const path = join(options.out, file);
      const copy = options.format === 'parquet' ? "FORMAT parquet, COMPRESSION snappy" : "FORMAT csv, HEADER true, DATEFORMAT '%Y-%m-%d', TIMESTAMPFORMAT '%Y-%m-%d %H:%M:%S'";
      options.onStep?.(`writing ${file}`);
      const columns = typeof table.columns === 'string' ? table.columns : table.columns(shape);
      await db.run(`COPY (SELECT ${columns} FROM (SELECT * FROM ${ident(table.name)} ORDER BY ${table.order})) TO $1 (${copy})`, [path]);
      const [{ n }] = (await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${ident(table.name)}`)) as [{ n: number }];
      made[table.name] = {
        file,
        format: options.format,
        rows: n,
        sha256: await sha256(path),
        // Only tables with a time column have a coverage start and end, as `kpiops snapshot seal` writes them;
        // every month is generated whole, so the data is complete from its first day.
        ...(TIMED.has(table.name) ? { coverage_start: shape.start, coverage_end: table.name === 'rx' ? lastDayBefore(shape.asOf, 1) : lastDayBefore(shape.asOf, 0) } : {}),
      };
      if ('before' in table) await db.run('DROP TABLE touches');
      if (!KEPT.has(table.name) && !LAST_READ[table.name]) await db.run(`DROP TABLE ${ident(table.name)}`);
      for (const [read, by] of Object.entries(LAST_READ)) if (by === table.name) await db.run(`DROP TABLE ${ident(read)}`);
    }
    // The manifest lists the tables in their usual order, whatever order they were made in.
    const tables = Object.fromEntries(TABLES.map((t) => [t.name, made[t.name]!]));
    const manifest: SnapshotSpec = {
      version: VERSION,
      id: `sample-${options.end}-seed${options.seed}-${options.hcps}x${options.months}`,
      as_of: `${shape.asOf}T00:00:00Z`,
      generator: { name: 'kpiops_sample', seed: options.seed, format: SAMPLE_FORMAT },
      tables,
    };
    const modeline = options.schemasDir !== undefined
      ? `# yaml-language-server: $schema=${relative(options.out, join(options.schemasDir, 'snapshot.schema.json')).split('\\').join('/')}\n`
      : '';
    writeFileSync(join(options.out, 'snapshot.yaml'), `${modeline}${stringify(manifest, { lineWidth: 0 })}`);
    return manifest;
  } finally {
    db.close();
  }
}
