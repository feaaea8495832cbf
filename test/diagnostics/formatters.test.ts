import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { formatGithub } from '../../src/diagnostics/format/github.js';
import { formatJson } from '../../src/diagnostics/format/json.js';
import { formatStylish } from '../../src/diagnostics/format/stylish.js';
import { validateWith } from '../support/demo-project.js';
import { HOSTILE, TERMINAL_CONTROL } from '../text/hostile.js';

const FILE = 'kpis/email/email_open_rate.yaml';
const result = validateWith([{ file: FILE, from: 'where: {channel: email, event: delivered}', to: 'where: {channel: emial, event: delivered}' }]);
const [diagnostic] = result.diagnostics as [Diagnostic];

describe('stylish', () => {
  it('prints line:col, severity, message and code, with two lines of context and a caret under the value', () => {
    const text = formatStylish(result.diagnostics, { color: false, sources: result.texts });
    expect(text).toBe(
      [
        FILE,
        '  23:22   error  Unknown channel "emial"; channels are defined in channels/. Did you mean "email"?  kpi/unknown-channel',
        '      21 |     source: interactions',
        '      22 |     count: touches',
        '    > 23 |     where: {channel: emial, event: delivered}',
        '         |                      ^^^^^',
        '      24 | dimensions: [brand, country, segment]',
        '      25 | # Target: each brand\'s 60th percentile of its monthly values over the 12 months before the',
        '',
        '✖ 1 error, 0 warnings',
        '',
      ].join('\n'),
    );
  });

  it('prints nothing but a newline for no findings', () => {
    expect(formatStylish([], { color: false, sources: new Map() })).toBe('\n');
  });
});

describe('json', () => {
  it('keeps 0-based ranges and counts errors and warnings', () => {
    const parsed = JSON.parse(formatJson(result.diagnostics));
    expect(parsed).toMatchObject({ errors: 1, warnings: 0 });
    expect(parsed.diagnostics[0]).toEqual({
      code: 'kpi/unknown-channel', severity: 'error', file: FILE,
      message: 'Unknown channel "emial"; channels are defined in channels/. Did you mean "email"?',
      range: { start: { line: 22, character: 21 }, end: { line: 22, character: 26 } },
      path: '/measure/denominator/where/channel',
      data: { name: 'emial', suggestion: 'email' },
      replacement: 'email',
    });
  });
});

describe('github', () => {
  it('emits a 1-based workflow annotation', () => {
    expect(formatGithub([diagnostic])).toBe(
      `::error file=${FILE},line=23,col=22,endLine=23,endColumn=27,title=kpi/unknown-channel::Unknown channel "emial"; channels are defined in channels/. Did you mean "email"?\n`,
    );
  });

  it('escapes characters that would end or split the command', () => {
    const odd: Diagnostic = { ...diagnostic, file: 'kpis/a,b:c.yaml', message: '50% done\nnext line', severity: 'warning' };
    expect(formatGithub([odd])).toBe('::warning file=kpis/a%2Cb%3Ac.yaml,line=23,col=22,endLine=23,endColumn=27,title=kpi/unknown-channel::50%25 done%0Anext line\n');
  });
});

describe('a value from a fork or a data file', () => {
  // A KPI whose unit is a terminal hyperlink, with a comment two lines below that clears the screen and rewrites the line.
  const hostile = validateWith([
    { file: FILE, from: 'unit: percent', to: `unit: "${HOSTILE.hyperlink.replace(/\x1b/g, '\\e').replace(/\x07/g, '\\a')}\\r"` },
    { file: FILE, from: 'tags: [email]', to: `tags: [email] # ${HOSTILE.clear}${HOSTILE.carriageReturn}${HOSTILE.bidi}` },
  ]);
  const { path: _path, ...yamlOnly } = diagnostic;
  const dataFinding: Diagnostic = {
    ...yamlOnly, file: `snap/${HOSTILE.bidi}.csv`, table: 'hcps', column: HOSTILE.clear, message: `Territory "${HOSTILE.hyperlink}" is unknown.`,
    row: { [HOSTILE.clear]: HOSTILE.carriageReturn, name: `${HOSTILE.tableBreak}\x9b` },
  };

  it('is quoted by the message and shown in the code frame, with no control character reaching the terminal', () => {
    expect(hostile.diagnostics.map((d) => d.code)).toEqual(['schema/enum']);
    const text = formatStylish(hostile.diagnostics, { color: false, sources: hostile.texts });
    expect(text).not.toMatch(TERMINAL_CONTROL);
    expect(text).toContain('"␛]8;;http://evil␇click␛]8;;␇␍" is not allowed here');
    expect(text).toContain('tags: [email] # ␛[2J�31mall good␍✖ forged');
  });

  it('in colour, leaves only the formatter\'s own colour sequences', () => {
    const text = formatStylish([...hostile.diagnostics, dataFinding], { color: true, sources: hostile.texts });
    expect(text.replace(/\x1b\[[0-9;]*m/g, '')).not.toMatch(TERMINAL_CONTROL);
  });

  it('in a data finding (table, column, sample row), is shown as text by every format', () => {
    const stylish = formatStylish([dataFinding], { color: false, sources: new Map() });
    expect(stylish).not.toMatch(TERMINAL_CONTROL);
    expect(stylish).toContain('hcps.␛[2J�31m');
    expect(formatGithub([dataFinding])).not.toMatch(TERMINAL_CONTROL);
    const json = formatJson([dataFinding]);
    expect(json).not.toMatch(TERMINAL_CONTROL);
    expect(JSON.parse(json).diagnostics[0]).toEqual(dataFinding);
  });
});
