import { join } from 'node:path';
import { Parser } from 'node-sql-parser';
import { parse } from 'sql-parser-cst';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { bigquery, bigqueryName, DIALECTS, duckdb, snowflake, withTables, type Dialect } from '../../src/compile/dialects/index.js';
import type { Plan } from '../../src/compile/plan.js';
import { normalize } from '../../src/model/normalize.js';
import { parsePeriod } from '../../src/model/period.js';
import { validateWith } from '../support/demo-project.js';
import { expectGolden, planSql } from '../support/golden.js';

const { files } = validateWith([]);
const model = normalize({ project: files.project!.spec, channels: files.channels.map((c) => c.spec), kpis: files.kpis.map((k) => k.spec), scorecards: files.scorecards.map((s) => s.spec) });
const planFor = (dialect: Dialect) => compile(model, dialect, { period: parsePeriod('2026-10')!, asOf: new Date('2026-11-01T00:00:00Z') });

/** Each warehouse dialect's SQL is checked by a parser of that dialect. */
const PARSERS: Record<'snowflake' | 'bigquery', (sql: string) => void> = {
  snowflake: (sql) => void new Parser().astify(sql, { database: 'snowflake' }),
  bigquery: (sql) => void parse(sql, { dialect: 'bigquery', paramTypes: ['@name'] }),
};

describe.each(['snowflake', 'bigquery'] as const)('the demo catalog in %s SQL', (name) => {
  const plan = planFor(DIALECTS[name]);
  const golden = join(import.meta.dirname, `../fixtures/plan/demo-2026-10.${name}.sql`);

  it('parses, every query, with a parser for the dialect', () => {
    expect(plan.queries.length).toBe(17);
    const failures = plan.queries.flatMap((q) => {
      try {
        PARSERS[name](q.sql);
        return [];
      } catch (error) {
        return [`${q.id}: ${(error as Error).message.split('\n')[0]}`];
      }
    });
    expect(failures).toEqual([]);
  });

  it('matches the reviewed SQL (refresh with UPDATE=1 and read the diff)', () => {
    expectGolden(golden, planSql(plan));
  });

  it('writes around what the dialect lacks: no FILTER clause, no DuckDB functions or placeholders', () => {
    const all = plan.queries.map((q) => q.sql).join('\n');
    expect(all).not.toMatch(/FILTER \(WHERE/);
    expect(all).not.toMatch(/\$\d/);
    expect(all).not.toMatch(/\b(epoch_ms|date_diff|histogram|arg_min|any_value|to_months|bit_count)\(/);
    expect(all).not.toMatch(/GROUP BY ALL|EXCLUDE|NOT MATERIALIZED/);
  });
});

describe('dialect SQL checks', () => {
  it('would catch DuckDB SQL handed to a warehouse: the DuckDB plan fails both parsers', () => {
    const plan = planFor(duckdb);
    const fails = (name: 'snowflake' | 'bigquery') => plan.queries.filter((q) => {
      try {
        PARSERS[name](q.sql);
        return false;
      } catch {
        return true;
      }
    }).length;
    expect(fails('snowflake')).toBeGreaterThan(10);
    expect(fails('bigquery')).toBeGreaterThan(10);
  });

  it('names columns BigQuery can hold and quotes every identifier with backticks', () => {
    const plan = planFor(bigquery);
    const all = plan.queries.map((q) => q.sql).join('\n');
    expect(all).not.toContain('"');
    expect(bigqueryName('trx_share:numerator')).toBe('trx_share__numerator');
    expect(all).toContain('AS `trx_share__numerator`');
  });

  it('reads each source from the warehouse table it is mapped to', () => {
    const plan = planFor(withTables(snowflake, { schema: 'crm', tables: { interactions: 'interactions_v' } }));
    const scan = plan.queries.find((q) => q.id.startsWith('scan:interactions'))!;
    expect(scan.sql).toContain('FROM "crm"."interactions_v" AS s LEFT JOIN "crm"."hcps" AS s_h');
  });

  it('keeps every value out of the SQL text in every dialect', () => {
    for (const dialect of Object.values(DIALECTS)) {
      const plan = planFor(dialect);
      for (const q of plan.queries) {
        // A pasted value would be a quoted literal; only SQL keywords of the compiler's own appear quoted.
        for (const p of q.params) if (typeof p === 'string') expect(q.sql, `${dialect.name} ${q.id}`).not.toContain(`'${p.replace(/'/g, "''")}'`);
        const literals = [...q.sql.matchAll(/'([^']*)'/g)].map((m) => m[1]!.toLowerCase());
        expect(literals.filter((l) => !['day', 'week', 'month', 'quarter', '', '1 days'].includes(l)), `${dialect.name} ${q.id}`).toEqual([]);
      }
    }
  });
});

describe('kpiops plan --dialect', () => {
  it('prints the plan in the dialect asked for, and names the dialects it knows', async () => {
    const { kpiops } = await import('../support/cli.js');
    const { REPO } = await import('../support/demo-project.js');
    const bq = await kpiops(['plan', '-p', REPO, '--dialect', 'bigquery', '--period', '2026-10']);
    expect(bq.code).toBe(0);
    expect(bq.stdout).toContain('FROM `interactions` AS s');
    const unknown = await kpiops(['plan', '-p', REPO, '--dialect', 'oracle']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Allowed choices are duckdb, postgres, snowflake, bigquery");
  });
});
