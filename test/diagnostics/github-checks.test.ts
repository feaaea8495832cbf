import { describe, expect, it } from 'vitest';
import { dataDiagnostic, diagnostic } from '../../src/diagnostics/create.js';
import { checkAnnotations } from '../../src/diagnostics/format/github-checks.js';

const FILE = 'kpis/email/email_ctr.yaml';

describe('check-run annotations', () => {
  it('are 1-based, with the end column inclusive, and the code as title', () => {
    // 0-based 9:6–9:13 is `percnet` on line 10, columns 7 to 13 inclusive.
    const d = diagnostic('schema/enum', { allowed: ['percent'], found: 'percnet', suggestion: 'percent' }, { file: FILE, range: { start: { line: 9, character: 6 }, end: { line: 9, character: 13 } } });
    expect(checkAnnotations([d], 'analytics/')).toEqual([{
      path: `analytics/${FILE}`, start_line: 10, end_line: 10, start_column: 7, end_column: 13,
      annotation_level: 'failure', title: 'schema/enum', message: '"percnet" is not allowed here; use one of: percent. Did you mean "percent"?',
    }]);
  });

  it('give no columns for a range over several lines, and mark a warning as a warning', () => {
    const d = diagnostic('scorecard/no-lagging', {}, { file: 'scorecards/a.yaml', range: { start: { line: 2, character: 4 }, end: { line: 5, character: 0 } } });
    expect(checkAnnotations([d])).toEqual([{ path: 'scorecards/a.yaml', start_line: 3, end_line: 6, annotation_level: 'warning', title: 'scorecard/no-lagging', message: d.message }]);
  });

  it('put a data finding on the first character of the file it names, since it has no line', () => {
    const d = dataDiagnostic('data/null-key', { table: 'hcps', column: 'hcp_id', count: 1 }, { file: 'snap/hcps.csv', table: 'hcps', column: 'hcp_id' });
    expect(checkAnnotations([d])).toMatchObject([{ path: 'snap/hcps.csv', start_line: 1, end_line: 1, start_column: 1, end_column: 1 }]);
  });
});
