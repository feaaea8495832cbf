import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/demo-project.js';
import { runCli } from '../support/cli.js';
import { demoSnapshot } from '../support/snapshots.js';

let snapshot: string;
beforeAll(async () => {
  snapshot = await demoSnapshot();
}, 240_000);

const explain = (...args: string[]) => runCli(['explain', ...args, '--project', REPO, '--snapshot', snapshot, '-q']);
const json = async (...args: string[]) => {
  const { code, stdout, stderr } = await explain(...args, '--format', 'json');
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout) as { period: string; compared_to: string; by: Array<{ dimension: string }> };
};
const dimensions = (e: { by: Array<{ dimension: string }> }) => e.by.map((b) => b.dimension);

// The demo snapshot is as of 2026-11-01: its last complete month is 2026-10, week 2026-W43
// (19–25 October; W44 ends on 1 November), quarter 2026-Q3 (kpiops run --print-period).
describe('kpiops explain --scorecard', () => {
  it('splits by the scorecard\'s explain.by, for the last month kpiops run would send', async () => {
    // brand_monthly: grain month, explain: {by: [country, segment]}; reach declares brand, country, segment, territory.
    const e = await json('reach', '--scorecard', 'brand_monthly');
    expect([e.period, e.compared_to, dimensions(e)]).toEqual(['2026-10', '2026-09', ['country', 'segment']]);
  });

  it('reads the period at the scorecard\'s grain, and every dimension of the KPI when the scorecard has no explain', async () => {
    const week = await json('reach', '--scorecard', 'rep_weekly');
    expect([week.period, week.compared_to, dimensions(week)]).toEqual(['2026-W43', '2026-W42', ['brand', 'country', 'segment', 'territory']]);
    const quarter = await json('reach', '--scorecard', 'executive_quarterly', '--vs', 'last_year');
    expect([quarter.period, quarter.compared_to]).toEqual(['2026-Q3', '2025-Q3']);
  });

  it('reads a KPI shown at its own grain for the month the scorecard shows it', async () => {
    // rep_weekly shows {kpi: trx_share, grain: month}: the last month complete by the end of
    // 2026-W43 (26 October) is 2026-09, as the weekly scorecard shows it.
    const e = await json('trx_share', '--scorecard', 'rep_weekly');
    expect([e.period, e.compared_to]).toEqual(['2026-09', '2026-08']);
  });

  it('lets --period and --by win over the scorecard\'s', async () => {
    const e = await json('reach', '--scorecard', 'brand_monthly', '--period', '2026-08', '--by', 'brand');
    expect([e.period, e.compared_to, dimensions(e)]).toEqual(['2026-08', '2026-07', ['brand']]);
  });

  it('refuses a KPI the scorecard does not show, naming those it shows, exiting 2', async () => {
    const { code, stdout, stderr } = await explain('nps', '--scorecard', 'rep_weekly');
    expect([code, stdout, stderr]).toEqual([2, '', 'kpiops: KPI nps is not on scorecard rep_weekly (it shows: reach, frequency, multichannel_rate, sample_request_rate, over_contact_rate, cei, goal_attainment, trx_share)\n']);
  });

  it('names an unknown scorecard with the closest one before the snapshot loads, exiting 2', async () => {
    const near = await runCli(['explain', 'reach', '--scorecard', 'brand_montly', '--project', REPO, '--snapshot', '/no/such/snapshot', '-q']);
    expect([near.code, near.stdout, near.stderr]).toEqual([2, '', 'kpiops: unknown scorecard "brand_montly". Did you mean "brand_monthly"?\n']);
    const far = await runCli(['explain', 'reach', '--scorecard', 'board', '--project', REPO, '--snapshot', '/no/such/snapshot', '-q']);
    expect([far.code, far.stderr]).toEqual([2, 'kpiops: unknown scorecard "board" (there are: brand_monthly, executive_quarterly, rep_weekly)\n']);
  });
});
