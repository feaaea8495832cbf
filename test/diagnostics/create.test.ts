import { describe, expect, it } from 'vitest';
import { dataDiagnostic, diagnostic } from '../../src/diagnostics/create.js';
import { START } from '../../src/diagnostics/diagnostic.js';
import { validateWith } from '../support/demo-project.js';

const range = { start: { line: 9, character: 6 }, end: { line: 9, character: 13 } };

describe('a finding', () => {
  it('keeps the parameters its message was made from, and the suggestion as the replacement', () => {
    const d = diagnostic('schema/enum', { allowed: ['percent', 'ratio'], found: 'percnet', suggestion: 'percent' }, { file: 'kpis/a.yaml', range, path: '/unit' });
    expect(d).toEqual({
      code: 'schema/enum', severity: 'error', file: 'kpis/a.yaml', range, path: '/unit',
      message: '"percnet" is not allowed here; use one of: percent, ratio. Did you mean "percent"?',
      data: { allowed: ['percent', 'ratio'], found: 'percnet', suggestion: 'percent' },
      replacement: 'percent',
    });
  });

  it('has no replacement when nothing close was found', () => {
    const d = diagnostic('schema/enum', { allowed: ['percent', 'ratio'], found: 'xyz', suggestion: undefined }, { file: 'kpis/a.yaml', range });
    expect(d).not.toHaveProperty('replacement');
    expect(d).not.toHaveProperty('path');
  });

  it('about data names its table and column instead of a line', () => {
    const d = dataDiagnostic('data/null-key', { table: 'hcps', column: 'hcp_id', count: 2 }, { file: 'snap/hcps.csv', table: 'hcps', column: 'hcp_id', row: { hcp_id: null } });
    expect(d).toEqual({
      code: 'data/null-key', severity: 'error', file: 'snap/hcps.csv', range: START, table: 'hcps', column: 'hcp_id', row: { hcp_id: null },
      message: 'Table hcps: 2 rows have no hcp_id (a key column).', data: { table: 'hcps', column: 'hcp_id', count: 2 },
    });
  });

  it('from validation carries the did-you-mean fix as data, so no reader parses the English', () => {
    const [d] = validateWith([{ file: 'kpis/email/email_ctr.yaml', from: 'unit: percent', to: 'unit: percnet' }]).diagnostics;
    expect(d).toMatchObject({ code: 'schema/enum', file: 'kpis/email/email_ctr.yaml', data: { found: 'percnet', suggestion: 'percent' }, replacement: 'percent' });
    // The range is exactly the word the replacement replaces: line 10, columns 7 to 14 (1-based), 0-based 9:6 to 9:13.
    expect(d!.range).toEqual(range);
  });
});
