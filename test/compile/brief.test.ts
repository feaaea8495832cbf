import { Parser } from 'node-sql-parser';
import { parse } from 'sql-parser-cst';
import { describe, expect, it } from 'vitest';
import { briefRows, compileBrief } from '../../src/compile/brief.js';
import { DIALECTS, withTables } from '../../src/compile/dialects/index.js';
import { normalize } from '../../src/model/normalize.js';
import { parsePeriod } from '../../src/model/period.js';
import { validateWith } from '../support/demo-project.js';

const { files } = validateWith([]);
const model = normalize({ project: files.project!.spec, channels: files.channels.map((c) => c.spec), kpis: files.kpis.map((k) => k.spec), scorecards: files.scorecards.map((s) => s.spec) });
const request = {
  territoryColumn: 'territory', territories: ['DE-T01', 'DE-T02'], period: parsePeriod('2026-W43')!, lookBackMonths: 6,
  openItems: [{ event: 'sample_requested', closedBy: ['rep_visit', 'remote_detail'] }],
};

describe('the n=1 brief query', () => {
  it.each(Object.keys(DIALECTS) as Array<keyof typeof DIALECTS>)('reads the HCP and interaction tables under their warehouse names in %s, never the sources\' own names', (name) => {
    const dialect = withTables(DIALECTS[name], { schema: 'crm', tables: { hcps: 'accounts_v', interactions: 'touches_v' } });
    const { queries } = compileBrief(model, dialect, 'interactions', request);
    expect(queries.map((q) => q.id)).toEqual(['brief:hcps', 'brief:used', 'brief:last', 'brief:open', 'brief:over']);
    for (const q of queries) {
      const sql = q.sql.replace(/`/g, '"');
      expect(sql).toContain('"crm"."accounts_v"');
      if (q.id !== 'brief:hcps') expect(sql).toContain('"crm"."touches_v"');
      expect(sql).not.toMatch(/FROM "(hcps|interactions)"/);
      // Territories are bound values, never SQL text.
      expect(q.params).toEqual(expect.arrayContaining(['DE-T01', 'DE-T02']));
      expect(sql).not.toContain('DE-T01');
    }
  });

  it('is SQL the Snowflake and BigQuery parsers read, query by query', () => {
    const problems: string[] = [];
    for (const q of compileBrief(model, DIALECTS.snowflake, 'interactions', request).queries) {
      try {
        new Parser().astify(q.sql, { database: 'snowflake' });
      } catch (error) {
        problems.push(`snowflake ${q.id}: ${(error as Error).message.slice(0, 200)}`);
      }
    }
    for (const q of compileBrief(model, DIALECTS.bigquery, 'interactions', request).queries) {
      try {
        parse(q.sql, { dialect: 'bigquery', paramTypes: ['@name'] });
      } catch (error) {
        problems.push(`bigquery ${q.id}: ${(error as Error).message.slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('the brief assembled from its rows', () => {
  const rows = new Map<string, Record<string, unknown>[]>([
    ['brief:hcps', [{ hcp: 'H2', territory: 'T1', name: 'Dr B' }, { hcp: 'H1', territory: 'T1', name: 'Dr A' }, { hcp: 'H0', territory: 'T2', name: null }]],
    ['brief:used', [{ hcp: 'H1', channel: 'email', touches: 2 }, { hcp: 'H1', channel: 'rep_visit', touches: 3 }, { hcp: 'H1', channel: 'call', touches: 2 }]],
    ['brief:last', [
      { hcp: 'H1', channel: 'email', event: 'opened', at: '2026-10-20T09:00:00.000Z' },
      { hcp: 'H1', channel: 'call', event: 'held', at: '2026-10-20T09:00:00.000Z' },
      { hcp: 'H1', channel: 'email', event: 'delivered', at: '2026-10-19T09:00:00.000Z' },
    ]],
    ['brief:open', [{ hcp: 'H1', item: 'sample_requested', at: '2026-10-02T00:00:00.000Z' }, { hcp: 'H1', item: 'info_requested', at: '2026-09-01T00:00:00.000Z' }]],
    ['brief:over', [
      // Excess 2 in two windows, 1 in a third: the earliest of the two worst, every field from that one row.
      { hcp: 'H1', channel: 'email', window: '2026-10-26T00:00:00.000Z', touches: 5, cap: 3 },
      { hcp: 'H1', channel: 'call', window: '2026-10-19T00:00:00.000Z', touches: 4, cap: 2 },
      { hcp: 'H1', channel: 'email', window: '2026-10-12T00:00:00.000Z', touches: 4, cap: 3 },
    ]],
  ]);
  const briefs = briefRows(rows);

  it('lists HCPs by territory then id, with their own columns, and those without touches get empty lists', () => {
    expect(briefs.map((b) => b.hcp)).toEqual(['H1', 'H2', 'H0']);
    expect(briefs[0]!.name).toBe('Dr A');
    expect(briefs[1]).toMatchObject({ channels: null, touches: 0, last_at: null, open_items: null, over_channel: null });
  });

  it('orders channels by engaged touches, then by id, and adds their touches up (3 + 2 + 2 = 7)', () => {
    expect(briefs[0]!.channels).toEqual(['rep_visit', 'call', 'email']);
    expect(briefs[0]!.touches).toBe(7);
  });

  it('takes the latest event, breaking a tie in time by channel then event', () => {
    expect(briefs[0]).toMatchObject({ last_channel: 'call', last_event: 'held', last_at: '2026-10-20T09:00:00.000Z' });
  });

  it('lists open items oldest first', () => {
    expect(briefs[0]!.open_items!.map((i) => i.item)).toEqual(['info_requested', 'sample_requested']);
  });

  it('shows the one over-cap window with the most touches over its cap, the earliest among equals, all of its fields from that window', () => {
    expect(briefs[0]).toMatchObject({ over_channel: 'call', over_window: '2026-10-19T00:00:00.000Z', over_touches: 4, over_cap: 2 });
  });
});
