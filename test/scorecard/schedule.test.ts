import { describe, expect, it } from 'vitest';
import { normalCron, scheduleProblems, scorecardsOnCron } from '../../src/scorecard/schedule.js';
import type { ScorecardSpec } from '../../src/spec/scorecard.js';

const card = (id: string, cron?: string) => ({ id, ...(cron ? { schedule: { cron } } : {}) }) as unknown as ScorecardSpec;

describe('the scorecard schedule', () => {
  it('a cron line sends the scorecard whose schedule.cron it is, however its fields are spaced', () => {
    const cards = [card('brand_monthly', '17 5 4 * *'), card('rep_weekly', '41 4 * * 1'), card('on_demand')];
    expect(scorecardsOnCron('17 5 4 * *', cards)).toEqual(['brand_monthly']);
    expect(scorecardsOnCron(' 41  4 * * 1', cards)).toEqual(['rep_weekly']);
    expect(scorecardsOnCron('0 0 * * *', cards)).toEqual([]);
    expect(normalCron('23\t6 6  1,4,7,10 *')).toBe('23 6 6 1,4,7,10 *');
  });

  it('agrees with a workflow that lists every scorecard\'s cron and no other', () => {
    expect(scheduleProblems([{ id: 'a', cron: '17 5 4 * *', where: 'a' }], [{ cron: '17  5 4 * *', where: 'w' }])).toEqual([]);
  });

  it('names the scorecard whose cron the workflow lacks, the scorecards that share one, and the workflow line no scorecard has', () => {
    const problems = scheduleProblems(
      [{ id: 'brand', cron: '17 5 4 * *', where: 'brand.yaml' }, { id: 'exec', cron: '17 5 4 * *', where: 'exec.yaml' }, { id: 'rep', cron: '41 4 * * 1', where: 'rep.yaml' }],
      [{ cron: '17 5 4 * *', where: 'wf:1' }, { cron: '0 9 * * 1', where: 'wf:2' }],
    );
    expect(problems).toEqual([
      { kind: 'shared', scorecard: 'exec', other: 'brand', cron: '17 5 4 * *', where: 'exec.yaml' },
      { kind: 'not-in-workflow', scorecard: 'rep', cron: '41 4 * * 1', where: 'rep.yaml' },
      { kind: 'no-scorecard', cron: '0 9 * * 1', where: 'wf:2' },
    ]);
  });
});
