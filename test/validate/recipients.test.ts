import { describe, expect, it } from 'vitest';
import { located, validateWith } from '../support/demo-project.js';

const SCORECARD = 'scorecards/brand_monthly.yaml';

describe('one address per audience', () => {
  it('a lead of two brands listed twice is refused, the message naming where the first entry is', () => {
    const result = validateWith([{ file: SCORECARD, from: 'email: ines.navarro@demo-pharma.example', to: 'email: Luca.Bianchi@demo-pharma.EXAMPLE' }]);
    expect(located(result).filter((l) => l.endsWith('duplicate-recipient'))).toEqual([`${SCORECARD}:40:12 scorecard/duplicate-recipient`]);
    expect(result.diagnostics.find((d) => d.code === 'scorecard/duplicate-recipient')!.message).toBe(
      `Luca.Bianchi@demo-pharma.EXAMPLE is already in this audience at ${SCORECARD}:37:12; one address gets one email per scorecard and period, so merge the two entries or keep one.`,
    );
  });

  it('addresses that differ only in punctuation are different mailboxes, not duplicates', () => {
    const result = validateWith([
      { file: SCORECARD, from: 'email: clara.weiss@demo-pharma.example', to: 'email: jonas-keller@demo-pharma.example' },
      { file: SCORECARD, from: 'email: luca.bianchi@demo-pharma.example', to: 'email: jonas+keller@demo-pharma.example' },
    ]);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
