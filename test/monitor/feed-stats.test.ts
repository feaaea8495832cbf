import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MONITOR, type FeedMonitorModel } from '../../src/model/monitor.js';
import { monitorFeed } from '../../src/monitor/feed.js';
import { gatherFeedStats } from '../../src/pipeline/feed-stats.js';
import { modelOf } from '../../src/pipeline/project.js';
import { validateProject } from '../../src/validate/project.js';
import { load, removeTempDirs, tempDir } from '../support/snapshots.js';

afterAll(removeTempDirs);

const PROJECT = `version: kpiops/v1
name: Feed monitor test
journey: {stages: [{id: awareness, name: Awareness}]}
sources:
  hcps:
    entity: true
    key: hcp_id
    columns: {hcp_id: {type: string}}
  calls:
    key: event_id
    time: occurred_at
    event: event
    columns:
      event_id: {type: string}
      hcp_id: {type: string, references: hcps}
      occurred_at: {type: timestamp}
      event: {type: string}
  rx:
    key: [hcp_id, month]
    time: month
    lag: P1M
    columns:
      hcp_id: {type: string, references: hcps}
      month: {type: date}
      trx: {type: integer}
`;

// As of 2026-10-11 06:00 the last complete day is 2026-10-10; seven days of history before it (10-03 … 10-09).
const AS_OF = '2026-10-11T06:00:00Z';
const CALLS: Array<[string, string]> = [
  ['2026-10-01T09:00:00Z', 'opened'],
  ...['03', '04', '05', '07', '08', '09'].flatMap((d): Array<[string, string]> => [[`2026-10-${d}T10:00:00Z`, 'opened'], [`2026-10-${d}T11:00:00Z`, 'clicked']]),
  ['2026-10-10T08:00:00Z', 'opened'], ['2026-10-10T09:00:00Z', 'opened'], ['2026-10-10T23:59:00Z', 'webinar_replay'],
  ['2026-10-11T02:00:00Z', 'opened'],
];

function writeSnapshot(calls: { header: string; row: (at: string, event: string, i: number) => string }): string {
  const root = tempDir('kpiops-feeds-');
  writeFileSync(join(root, 'kpiops.yaml'), PROJECT);
  const snap = join(root, 'snapshot');
  mkdirSync(snap);
  const files: Record<string, string> = {
    hcps: 'hcp_id\nH1\n',
    calls: `${calls.header}\n${CALLS.map(([at, event], i) => calls.row(at, event, i)).join('\n')}\n`,
    rx: 'hcp_id,month,trx\nH1,2026-08-01,3\nH1,2026-09-01,4\n',
  };
  const tables = Object.entries(files).map(([table, text]) => {
    writeFileSync(join(snap, `${table}.csv`), text);
    const sha = createHash('sha256').update(text).digest('hex');
    return `  ${table}: {file: ${table}.csv, format: csv, rows: ${text.trimEnd().split('\n').length - 1}, sha256: ${sha}}`;
  });
  writeFileSync(join(snap, 'snapshot.yaml'), `version: kpiops/v1\nid: feeds\nas_of: ${AS_OF}\ntables:\n${tables.join('\n')}\n`);
  return root;
}

const feed = (source: string, lag?: string): FeedMonitorModel => ({
  source, owners: [{ name: 'CRM team', email: 'crm@example.com' }], ...(lag ? { lag } : {}), monitor: { ...DEFAULT_MONITOR, historyDays: 7 },
});

async function gather(root: string, source: string, lag?: string) {
  const validated = await validateProject(root);
  expect(validated.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const loaded = await load(validated, join(root, 'snapshot'), 'snapshot', 1);
  try {
    return await gatherFeedStats({ db: loaded.db, feed: feed(source, lag), spec: modelOf(validated).sources[source]!, asOf: new Date(AS_OF), load: loaded });
  } finally {
    loaded.db.close();
  }
}

describe('feed stats gathered from a loaded snapshot', () => {
  it('counts rows per day with empty days, spans each event value and lists the file header', async () => {
    // The file carries a column kpiops.yaml does not declare (utm).
    const root = writeSnapshot({ header: 'event_id,hcp_id,occurred_at,event,utm', row: (at, event, i) => `E${i},H1,${at},${event},x` });
    const stats = await gather(root, 'calls');
    expect(stats).toEqual({
      source: 'calls', as_of: '2026-10-11T06:00:00.000Z', latest: '2026-10-11T02:00:00.000Z',
      // 10-03 … 10-09 two rows a day but none on 10-06; 10-10 three. The row of 10-01 is before the window, 10-11's after it.
      daily: [['2026-10-03', 2], ['2026-10-04', 2], ['2026-10-05', 2], ['2026-10-06', 0], ['2026-10-07', 2], ['2026-10-08', 2], ['2026-10-09', 2], ['2026-10-10', 3]]
        .map(([day, rows]) => ({ day, rows })),
      columns: { declared: ['event_id', 'hcp_id', 'occurred_at', 'event'], present: ['event_id', 'hcp_id', 'occurred_at', 'event', 'utm'] },
      values: [
        { column: 'event', value: 'clicked', first_day: '2026-10-03', last_day: '2026-10-09', rows: 6 },
        // 1 (10-01) + 6 (one a day) + 2 (10-10) + 1 (10-11) = 10
        { column: 'event', value: 'opened', first_day: '2026-10-01', last_day: '2026-10-11', rows: 10 },
        { column: 'event', value: 'webinar_replay', first_day: '2026-10-10', last_day: '2026-10-10', rows: 1 },
      ],
      checks: [],
    });
    const schema = monitorFeed(stats, { monitor: feed('calls').monitor }).find((f) => f.monitor === 'schema');
    expect(schema).toMatchObject({
      state: 'breach', value: 2,
      detail: 'calls: the file has a column "utm" kpiops.yaml does not declare; a new event value "webinar_replay" first appeared on 2026-10-10 (1 row).',
    });
  });

  it('a file without a declared column fails its load: the check and the column are both reported, and no rows are read', async () => {
    const root = writeSnapshot({ header: 'event_id,hcp_id,occurred_at', row: (at, _event, i) => `E${i},H1,${at}` });
    const stats = await gather(root, 'calls');
    expect(stats).toMatchObject({
      latest: null, daily: [], values: [], unread: 'it failed its load checks',
      columns: { declared: ['event_id', 'hcp_id', 'occurred_at', 'event'], present: ['event_id', 'hcp_id', 'occurred_at'] },
      checks: [{ code: 'data/missing-column', message: 'Table calls has no column event.' }],
    });
    const findings = monitorFeed(stats, { monitor: feed('calls').monitor });
    expect(findings.map((f) => [f.monitor, f.state])).toEqual([['freshness', 'no_data'], ['volume', 'no_data'], ['schema', 'breach'], ['checks', 'breach']]);
    expect(findings[2]!.detail).toBe('calls: the file lacks the declared column "event".');
  });

  it('a feed of rows dated on the first of the month is monthly, and judged at the end of its latest month', async () => {
    const root = writeSnapshot({ header: 'event_id,hcp_id,occurred_at,event', row: (at, event, i) => `E${i},H1,${at},${event}` });
    const stats = await gather(root, 'rx', 'P1M');
    expect(stats).toMatchObject({ grain: 'month', latest: '2026-09-01T00:00:00.000Z', values: [] });
    // As of 2026-10-11 less P1M is 2026-09-11, in September: August must be there; September's rows reach 09-30.
    const fresh = monitorFeed(stats, { lag: 'P1M', monitor: feed('rx').monitor })[0]!;
    expect(fresh).toMatchObject({ monitor: 'freshness', state: 'ok', value: 11 });
  });
});
