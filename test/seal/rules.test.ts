import { describe, expect, it } from 'vitest';
import { defaultId, isAfter, parseAsOf } from '../../src/seal/as-of.js';
import { coverageEnd } from '../../src/seal/coverage.js';
import { detectDelimiter } from '../../src/seal/delimiter.js';
import { expectedTables } from '../../src/seal/tables.js';
import type { ProjectSpec } from '../../src/spec/project.js';

describe('coverage end', () => {
  it.each([
    ['a timestamp table ends on the day of its latest value', { at: '2026-10-31 23:59:59.000000', monthly: false }, '2026-10-31'],
    ['a daily date table ends on its latest day, even a first of the month', { at: '2026-10-01 00:00:00.000000', monthly: false }, '2026-10-01'],
    ['monthly data ends on the last day of its latest month (September has 30 days)', { at: '2026-09-01 00:00:00.000000', monthly: true }, '2026-09-30'],
    ['monthly data for February of a leap year ends on the 29th', { at: '2028-02-01 00:00:00.000000', monthly: true }, '2028-02-29'],
    ['monthly data for December ends on the 31st of that year', { at: '2026-12-01 00:00:00.000000', monthly: true }, '2026-12-31'],
  ])('%s', (_name, latest, end) => {
    expect(coverageEnd(latest)).toBe(end);
  });
});

describe('CSV delimiter from the header line', () => {
  it.each([
    ['hcp_id,country,target', { delimiter: ',' }],
    ['hcp_id;country;target', { delimiter: ';' }],
    ['hcp_id\tcountry\ttarget', { delimiter: '\t' }],
    ['hcp_id|country|target', { delimiter: '|' }],
    ['hcp_id', { delimiter: ',' }],
    ['"name, first";"country"', { delimiter: ';' }],
    ['a;b,c', { found: ['","', '";"'] }],
    ['a\tb|c', { found: ['a tab', '"|"'] }],
  ])('%j', (header, expected) => {
    expect(detectDelimiter(header)).toEqual(expected);
  });
});

describe('as_of', () => {
  it.each([
    ['2026-11-01', '2026-11-01T00:00:00Z'],
    ['2026-11-01T06:00', '2026-11-01T06:00:00Z'],
    ['2026-11-01T06:00:00Z', '2026-11-01T06:00:00Z'],
    ['2026-11-01T06:00:00.000Z', '2026-11-01T06:00:00Z'],
    // 01:30 at +02:00 is 23:30 UTC the day before.
    ['2026-11-01T01:30:00+02:00', '2026-10-31T23:30:00Z'],
    ['2026-11-01 01:30:00+0200', '2026-10-31T23:30:00Z'],
  ])('%s is written %s', (text, asOf) => {
    expect(parseAsOf(text)).toEqual({ asOf });
  });

  it.each(['now', '2026-13-01', '2026-02-29', '01/11/2026', '2026-11-01T06:00:00.5Z'])('%s is refused', (text) => {
    expect(parseAsOf(text)).toHaveProperty('error');
  });

  it('counts a latest value a microsecond after the as_of as after it', () => {
    expect(isAfter('2026-11-01 00:00:00.000001', '2026-11-01T00:00:00Z')).toBe(true);
    expect(isAfter('2026-11-01 00:00:00.000000', '2026-11-01T00:00:00Z')).toBe(false);
    expect(isAfter('2026-10-31 23:30:00.000000', '2026-11-01T01:00:00+02:00')).toBe(true);
  });

  it('names a snapshot by its folder and as_of day', () => {
    expect(defaultId('2026-11', '2026-11-01T00:00:00Z')).toBe('2026-11-2026-11-01');
  });
});

describe('the tables a snapshot holds', () => {
  it('lists each source, or its exports with the time column through their mapping, and each file\'s encoding with where it is set', () => {
    const project = { sources: {
      hcps: { key: 'hcp_id', encoding: 'latin-1', columns: { hcp_id: { type: 'string' } } },
      rx: { key: 'id', time: 'month', columns: { id: { type: 'string' }, month: { type: 'date' } } },
      interactions: { key: 'id', time: 'at', columns: { id: { type: 'string' }, at: { type: 'timestamp' } }, exports: {
        crm: { encoding: 'windows-1252', columns: { id: { from: 'Id' }, at: { from: 'When', format: '%d/%m/%Y' } } },
        web: { columns: { id: { from: 'uuid' } } },
      } },
    } } as unknown as ProjectSpec;
    expect(expectedTables(project)).toEqual([
      { table: 'hcps', source: 'hcps', encoding: 'latin-1', setting: 'sources.hcps' },
      { table: 'rx', source: 'rx', time: { column: 'month', type: 'date' }, setting: 'sources.rx' },
      { table: 'crm', source: 'interactions', time: { column: 'at', type: 'timestamp', mapping: { from: 'When', format: '%d/%m/%Y' } }, encoding: 'windows-1252', setting: 'sources.interactions.exports.crm' },
      { table: 'web', source: 'interactions', setting: 'sources.interactions.exports.web' },
    ]);
  });
});
