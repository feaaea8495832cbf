import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/demo-project.js';
import { runCli } from '../support/cli.js';
import { demoSnapshot } from '../support/snapshots.js';

let snapshot: string;
beforeAll(async () => {
  snapshot = await demoSnapshot();
}, 240_000);

const explain = (...args: string[]) => runCli(['explain', ...args, '--project', REPO, '--snapshot', snapshot, '-q']);

describe('kpiops explain', () => {
  it('prints the contract\'s keys as JSON, and contributions that add up to the change', async () => {
    const { code, stdout, stderr } = await explain('email_open_rate', '--by', 'brand,segment', '--format', 'json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const e = JSON.parse(stdout);
    expect(Object.keys(e)).toEqual(['kpi', 'period', 'compared_to', 'value', 'previous', 'change', 'by']);
    expect(e).toMatchObject({ kpi: 'email_open_rate', period: '2026-10', compared_to: '2026-09' });
    expect(e.by.map((b: { dimension: string }) => b.dimension)).toEqual(['brand', 'segment']);
    for (const by of e.by) {
      expect(Object.keys(by)).toEqual(['dimension', 'additive', 'residual', 'contributions']);
      expect(Object.keys(by.contributions[0])).toEqual(['slice', 'rate_effect', 'mix_effect', 'interaction', 'total']);
      const sum = by.contributions.reduce((s: number, c: { total: number }) => s + c.total, 0);
      expect(Math.abs(sum - e.change)).toBeLessThan(1e-9);
    }
  });

  it('compares with the same month a year earlier when asked', async () => {
    const { code, stdout } = await explain('reach', '--vs', 'last_year', '--by', 'country', '--format', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ period: '2026-10', compared_to: '2025-10' });
  });

  it('prints a table per dimension with the largest contributions first', async () => {
    const { code, stdout } = await explain('reach', '--by', 'brand,country');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Reach \(reach\): .* in 2026-09 → .* in 2026-10, [+−][\d.]+ pp\n/);
    expect(stdout).toContain('By brand: the slices do not add up (an HCP can be in several brand slices, so the slices overlap)');
    expect(stdout).toContain('By country (rate + mix + interaction = each slice\'s part of the change)');
    const totals = stdout.split('By country')[1]!.split('\n').slice(2).filter((l) => l.trim() !== '').map((l) => Math.abs(Number(l.trim().split(/\s+/).at(-2)!.replace('−', '-'))));
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
  });

  it('names an unknown KPI and suggests the closest one, exiting 2', async () => {
    const { code, stdout, stderr } = await explain('reahc');
    expect([code, stdout, stderr]).toEqual([2, '', 'kpiops: unknown KPI "reahc". Did you mean "reach"?\n']);
  });

  it('names an unknown dimension with the KPI\'s own, exiting 2', async () => {
    const { code, stderr } = await explain('reach', '--by', 'brnd');
    expect([code, stderr]).toEqual([2, 'kpiops: unknown dimension "brnd"; reach has none by that name (its dimensions: brand, country, segment, territory). Did you mean "brand"?\n']);
  });

  it('says when a KPI is not sliced by a dimension other KPIs have, exiting 2', async () => {
    const { code, stderr } = await explain('reach', '--by', 'channel');
    expect([code, stderr]).toEqual([2, 'kpiops: reach is not sliced by "channel" (its dimensions: brand, country, segment, territory)\n']);
  });

  it('says when a period has no data, exiting 1 without a stack trace', async () => {
    const { code, stdout, stderr } = await explain('reach', '--period', '2023-01');
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toMatch(/^kpiops: reach has no value for 2023-01 \(.+\)\n$/);
  });

  it('refuses a KPI whose value is a share per category, exiting 2', async () => {
    const { code, stderr } = await explain('channel_mix');
    expect([code, stderr]).toEqual([2, 'kpiops: channel_mix cannot be explained: its value is a share per category, not one number\n']);
  });
});
