import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdb } from '../../src/compile/dialects/index.js';
import { compileFilter, Parameters, type SqlColumn } from '../../src/compile/filter.js';
import { Database } from '../../src/engine/duckdb/database.js';
import type { Filter } from '../../src/spec/filter.js';
import { removeTempDirs, tempDir } from '../support/snapshots.js';

/** Six events; bot is true, false or missing, decile 1–10 or missing. */
const ROWS = [
  [1, 'email', 'opened', false, 8, '2026-10-01 10:00:00'],
  [2, 'email', 'opened', true, 3, '2026-10-01 10:00:00'],
  [3, 'email', 'opened', null, 9, '2026-10-31 23:59:59'],
  [4, 'email', 'clicked', false, null, '2026-11-01 00:00:00'],
  [5, 'webinar', 'attended', null, 10, '2026-09-30 12:00:00'],
  [6, "x'); COPY t TO 'leak.csv'; --", 'opened', null, 1, '2026-10-02 00:00:00'],
] as const;

const COLUMNS: Record<string, SqlColumn> = {
  channel: { sql: duckdb.ident('channel'), type: 'string' },
  event: { sql: duckdb.ident('event'), type: 'string' },
  bot: { sql: duckdb.ident('bot'), type: 'boolean' },
  decile: { sql: duckdb.ident('decile'), type: 'integer' },
  occurred_at: { sql: duckdb.ident('occurred_at'), type: 'timestamp' },
};

let db: Database;
beforeAll(async () => {
  db = await Database.open();
  await db.run('CREATE TABLE t (id INTEGER, channel VARCHAR, event VARCHAR, bot BOOLEAN, decile INTEGER, occurred_at TIMESTAMP)');
  for (const row of ROWS) await db.run('INSERT INTO t VALUES ($1, $2, $3, $4, $5, CAST($6 AS TIMESTAMP))', [...row]);
});
afterAll(() => {
  db.close();
  removeTempDirs();
});

async function matching(filter: Filter): Promise<number[]> {
  const params = new Parameters(duckdb);
  const where = compileFilter(filter, (c) => COLUMNS[c]!, params);
  const rows = await db.all<{ id: number }>(`SELECT id FROM t WHERE ${where} ORDER BY id`, params.values);
  return rows.map((r) => r.id);
}

describe('compiled filters', () => {
  it.each<[string, Filter, number[]]>([
    ['equality', { channel: 'email' }, [1, 2, 3, 4]],
    ['several columns (all must hold)', { channel: 'email', event: 'opened' }, [1, 2, 3]],
    ['a list means one of', { event: ['clicked', 'attended'] }, [4, 5]],
    ['non-bot: ne true keeps false and missing', { channel: 'email', event: 'opened', bot: { ne: true } }, [1, 3]],
    ['is_null', { bot: { is_null: true } }, [3, 5, 6]],
    ['a range on a number; a missing decile is in no range', { decile: { gte: 8, lt: 10 } }, [1, 3]],
    ['not_in counts a missing value as not in the list', { decile: { not_in: [8, 9, 10] } }, [2, 4, 6]],
    ['not of a filter on a missing value is true', { not: { decile: { gte: 5 } } }, [2, 4, 6]],
    ['any', { any: [{ channel: 'webinar' }, { event: 'clicked' }] }, [4, 5]],
    ['all inside not', { not: { all: [{ channel: 'email' }, { event: 'opened' }] } }, [4, 5, 6]],
    ['a timestamp range is half-open at midnight UTC', { occurred_at: { gte: '2026-10-01T00:00:00Z', lt: '2026-11-01T00:00:00Z' } }, [1, 2, 3, 6]],
    ['an empty filter matches everything', {}, [1, 2, 3, 4, 5, 6]],
  ])('%s', async (_name, filter, expected) => {
    expect(await matching(filter)).toEqual(expected);
  });

  it('a value crafted to inject SQL is bound as data: it matches itself and runs nothing', async () => {
    const dir = tempDir('kpiops-inject-');
    const value = `x'); COPY t TO '${join(dir, 'leak.csv')}'; --`;
    expect(await matching({ channel: value })).toEqual([]);
    expect(await matching({ channel: "x'); COPY t TO 'leak.csv'; --" })).toEqual([6]);
    expect(existsSync(join(dir, 'leak.csv'))).toBe(false);
    const params = new Parameters(duckdb);
    const sql = compileFilter({ channel: value }, (c) => COLUMNS[c]!, params);
    expect(sql).toBe('COALESCE("channel" = $1, FALSE)');
    expect(params.values).toEqual([value]);
  });
});
