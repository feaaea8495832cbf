import { describe, expect, it } from 'vitest';
import { located, validateWith } from '../support/demo-project.js';

const EMAIL = 'channels/email.yaml';
const CSAT = 'kpis/survey/csat.yaml';
const REACH = 'kpis/reach/reach.yaml';

describe('a file that is broken on its own does not make every file that names it wrong too', () => {
  it('a YAML syntax error in a channel is the only error: the KPIs filtering on that channel are not told it is unknown', () => {
    expect(located(validateWith([{ file: EMAIL, from: 'weight: 1\n', to: 'weight: [1\n' }]))).toEqual([`${EMAIL}:11:1 yaml/bad-indent`]);
  });

  it('a channel file that is not text at all is known by its file name, so its KPIs are still not told it is unknown', () => {
    expect(located(validateWith([{ file: EMAIL, to: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x1a]) }]))).toEqual([`${EMAIL}:1:1 file/binary`]);
  });

  it('a channel whose id was deleted is known by its file name: the missing id is the only error', () => {
    expect(located(validateWith([{ file: EMAIL, from: 'id: email\n', to: '' }]))).toEqual([`${EMAIL}:2:1 schema/required`]);
  });

  it('a KPI with a syntax error is still known to the scorecards that list it', () => {
    expect(located(validateWith([{ file: REACH, from: 'stages: [awareness]', to: 'stages: [awareness' }]))).toEqual([`${REACH}:10:1 yaml/bad-indent`]);
  });
});

describe('every schema mistake of a file is reported in one pass', () => {
  it('a KPI with three independent schema mistakes gets three diagnostics, each where its mistake is', () => {
    const result = validateWith([
      { file: CSAT, from: 'indicator: lagging', to: 'indicator: lagin' },
      { file: CSAT, from: '  source: responses', to: '  sourc: responses' },
      { file: CSAT, from: 'min_sample: 30', to: 'min_sample: many' },
    ]);
    expect(located(result)).toEqual([`${CSAT}:9:12 schema/enum`, `${CSAT}:15:3 schema/unknown-key`, `${CSAT}:31:13 schema/type`]);
  });
});
