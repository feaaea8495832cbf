import { describe, expect, it } from 'vitest';
import { located, validateWith } from '../support/demo-project.js';

describe('privacy rules in validation', () => {
  it('a rep brief to a recipient who is not one territory\'s rep is refused', () => {
    const result = validateWith([{ file: 'scorecards/brand_monthly.yaml', from: 'template: scorecard', to: 'template: scorecard\nbrief: {look_back_months: 6}' }]);
    // brand_monthly is sliced by brand: the brief itself, and each of its three brand leads.
    expect(located(result).filter((l) => l.endsWith('scorecard/brief-territory'))).toHaveLength(4);
    expect(result.diagnostics.find((d) => d.code === 'scorecard/brief-territory')!.message).toMatch(/every recipient must be the rep of one territory/);
  });

  it('the rep-facing Rx rule must name a yes/no HCP column and sources that refer to HCPs', () => {
    const result = validateWith([{ file: 'kpiops.yaml', from: 'rep_facing_rx: {opt_out: pdrp_opt_out, sources: [rx]}', to: 'rep_facing_rx: {opt_out: segment, sources: [rx, benchmarks, rxx]}' }]);
    expect(result.diagnostics.filter((d) => d.code.startsWith('project/rep-facing-rx')).map((d) => [d.code, d.message, d.replacement])).toEqual([
      ['project/rep-facing-rx-opt-out', '"segment" is not a boolean column of hcps, the HCP table: it must say yes or no to sharing prescribing data with reps.', undefined],
      ['project/rep-facing-rx-unlinked', 'Source "benchmarks" has no column referencing hcps, so its rows cannot be matched to HCPs who opted out.', undefined],
      ['project/rep-facing-rx-source', 'Unknown source "rxx". Did you mean "rx"?', 'rx'],
    ]);
    expect(validateWith([]).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a brief\'s open item names an event the data has and channels that exist, else it would never open or close', () => {
    const result = validateWith([{ file: 'scorecards/rep_weekly.yaml', from: '{event: sample_requested, name: Sample request, closed_by: [rep_visit, remote_detail]}', to: '{event: sample_request, name: Sample request, closed_by: [rep_vist, remote_detail]}' }]);
    expect(located(result).filter((l) => /scorecard\/unknown-(event|channel)$/.test(l))).toEqual([
      'scorecards/rep_weekly.yaml:29:15 scorecard/unknown-event',
      'scorecards/rep_weekly.yaml:29:65 scorecard/unknown-channel',
    ]);
    expect(result.diagnostics.filter((d) => d.code.startsWith('scorecard/unknown-')).map((d) => d.message)).toEqual([
      'Event "sample_request" is not a value of interactions.event, so it would never open an item. Did you mean "sample_requested"?',
      'Unknown channel "rep_vist", so a touch on it would never close the item; channels are defined in channels/. Did you mean "rep_visit"?',
    ]);
  });
});
