import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateProject } from '../../src/validate/project.js';
import { REPO } from '../support/demo-project.js';
import { removeTempDirs, tempDir } from '../support/snapshots.js';

const FIXTURES = join(REPO, 'test/fixtures/exports');
afterAll(removeTempDirs);

/** Validates a copy of a fixture project with one text of its kpiops.yaml replaced: each finding as `code line:col message` (1-based). */
async function findings(fixture: string, from: string, to: string): Promise<string[]> {
  const dir = tempDir(`kpiops-${fixture}-`);
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  const file = join(dir, 'kpiops.yaml');
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
  const { diagnostics } = await validateProject(dir);
  return diagnostics.map((d) => `${d.code} ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
}

describe('export mappings in kpiops.yaml', () => {
  it('the three fixture projects are valid', async () => {
    for (const name of ['survey', 'campaigns', 'calls']) expect((await validateProject(join(FIXTURES, name))).diagnostics).toEqual([]);
  });

  it('a column given both by from and by constant is one finding at its line', async () => {
    expect(await findings('calls', 'hcp_id: {from: Customer}', 'hcp_id: {from: Customer, constant: "1001"}')).toEqual([
      'project/export-mapping-ambiguous 30:11 hcp_id is given by `from` and `constant`; give exactly one (`value` is the older spelling of `constant`).',
    ]);
  });

  it('constant and its older spelling value together are a finding too', async () => {
    expect(await findings('calls', 'channel: {constant: rep_visit}', 'channel: {constant: rep_visit, value: rep_visit}')).toEqual([
      'project/export-mapping-ambiguous 32:11 channel is given by `constant` and `value`; give exactly one (`value` is the older spelling of `constant`).',
    ]);
  });

  it('a constant month 13 in date_from_parts is named at the month', async () => {
    expect(await findings('calls', 'month: {from: Month}', 'month: 13')).toEqual([
      'project/export-date-part 31:62 date_from_parts: month "13" is not a month: 1–12 or an English month name or abbreviation (March, mar).',
    ]);
  });

  it('a constant month name in any case is accepted, and a misspelt one is not', async () => {
    expect(await findings('calls', 'month: {from: Month}', 'month: MARCH')).toEqual([]);
    expect(await findings('calls', 'month: {from: Month}', 'month: Marhc')).toEqual([
      'project/export-date-part 31:62 date_from_parts: month "Marhc" is not a month: 1–12 or an English month name or abbreviation (March, mar).',
    ]);
  });

  it('date_from_parts on a column that is not a date or timestamp, and a time part on a date column, are findings', async () => {
    expect(await findings('calls', 'occurred_at: {type: timestamp}', 'occurred_at: {type: date}')).toEqual([
      'project/export-time-part 31:95 occurred_at is a date column: a `time` part has no place in it (declare it `type: timestamp`, or drop `time`).',
    ]);
  });

  it('a map translates the text a concat joins, its values are checked like a from column\'s, and a map on a constant is a finding', async () => {
    expect(await findings('calls', 'channel: {constant: rep_visit}', 'channel: {concat: [{from: Customer}, "-"], map: {"1001-": rep_visit, "1002-": null}}')).toEqual([]);
    expect(await findings('calls', 'channel: {constant: rep_visit}', 'channel: {concat: [{from: Customer}, "-"], map: {"1001-": rep_vist}}')).toEqual([
      'project/export-value 32:69 "rep_vist" is not a valid value of interactions.channel. Did you mean "rep_visit"?',
    ]);
    expect(await findings('calls', 'channel: {constant: rep_visit}', 'channel: {constant: rep_visit, map: {a: rep_visit}}')).toEqual([
      'project/export-option 32:42 `map` translates the values of a `from` column or of a `concat`; give one of them with it.',
    ]);
  });

  it('generate on a column that is not text is a finding', async () => {
    expect(await findings('calls', 'event_id: {type: string}', 'event_id: {type: integer}')).toEqual([
      'project/export-type 29:22 `generate: row_hash` makes a text key; event_id is an integer column (declare it `type: string`).',
    ]);
  });

  it('an unpivot entry naming a column the source does not declare is named with a suggestion', async () => {
    expect(await findings('campaigns', 'WEBINAR_OCT: {campaign: webinar_oct', 'WEBINAR_OCT: {campaing: webinar_oct')).toEqual([
      'project/export-column 28:27 Export "campaign_sheet" maps column "campaing", which source "campaign_responses" does not declare. Did you mean "campaign"?',
    ]);
  });

  it('an unpivot value outside the column\'s values is named at the value', async () => {
    expect(await findings('campaigns', '{campaign: email_oct,', '{campaign: emial_oct,')).toEqual([
      'project/export-value 29:35 "emial_oct" is not a valid value of campaign_responses.campaign. Did you mean "email_oct"?',
    ]);
  });

  it('an unpivot whose value and name are the same name is a finding', async () => {
    expect(await findings('campaigns', 'name: campaign_column', 'name: answer')).toEqual([
      'project/unpivot-same-name 32:17 The unpivot\'s `value` and `name` are both "answer": `from` could not tell the melted cell from the melted column\'s name.',
    ]);
  });

  it('an unpivot value named like a melted column is a finding', async () => {
    expect(await findings('campaigns', 'value: answer', 'value: EMAIL_OCT')).toEqual([
      'project/unpivot-melted-name 31:18 The unpivot\'s `value` "EMAIL_OCT" is also a column it melts; give the melted cell a name of its own (e.g. `answer`).',
    ]);
  });

  it('a column set by the unpivot and by columns is a finding', async () => {
    expect(await findings('campaigns', 'hcp_id: {from: CustomerNo}', 'hcp_id: {from: CustomerNo}\n          campaign: {from: campaign_column}')).toEqual([
      'project/unpivot-also-mapped 28:27 campaign is set both by the unpivot (for WEBINAR_OCT) and in `columns`; keep one.',
      'project/unpivot-also-mapped 29:25 campaign is set both by the unpivot (for EMAIL_OCT) and in `columns`; keep one.',
      'project/unpivot-also-mapped 30:26 campaign is set both by the unpivot (for SAMPLE_OCT) and in `columns`; keep one.',
    ]);
  });

  it('prefix, map and null_values without a value read from the export are findings', async () => {
    expect(await findings('calls', 'channel: {constant: rep_visit}', 'channel: {constant: rep_visit, prefix: "x", null_values: ["NA"]}')).toEqual([
      'project/export-option 32:42 `prefix` goes before the value of a `from` column; in a computed column write it as a `concat` part.',
      'project/export-option 32:55 `null_values` applies to values read from the export (`from`, or `{from:}` parts); a constant or a generated key has none.',
    ]);
  });

  it('a prefixed mapped value is checked against the column\'s values with its prefix', async () => {
    expect(await findings('survey', 'survey: {from: Question, map: {Q1: nps, Q2: ces}}', 'survey: {from: Question, map: {Q1: nps, Q2: ces}, prefix: "x-"}')).toEqual([
      'project/export-value 35:46 "x-nps" is not a valid value of responses.survey.',
      'project/export-value 35:55 "x-ces" is not a valid value of responses.survey.',
    ]);
  });

  it('a concat part that is neither text nor {from:} is a schema error at the part', async () => {
    expect(await findings('survey', '"-", {from: Question}', '"-", {column: Question}')).toEqual([
      'schema/required 33:61 Missing required key "from" in sources.responses.exports.survey_export.columns.response_id.concat[2].',
      'schema/unknown-key 33:62 Unknown key "column" in sources.responses.exports.survey_export.columns.response_id.concat[2].',
    ]);
  });

  it('an export that does not map a key column is a finding at its columns', async () => {
    expect(await findings('calls', '          event_id: {generate: row_hash}\n', '')).toEqual([
      'project/export-missing-key 28:9 Export "call_log" does not map key column "event_id"; every row needs its key.',
    ]);
  });

  it('a mapping that says nowhere where its value comes from is a finding, besides the option it does give', async () => {
    // Every option that is not a source of values (null_values, map, prefix, format) is itself misplaced without one.
    expect(await findings('calls', 'hcp_id: {from: Customer}', 'hcp_id: {null_values: [""]}')).toEqual([
      'project/export-mapping-missing 30:11 Give one of `from` (a column of the export), `constant`, `coalesce`, `concat`, `date_from_parts`, `generate`, `lookup` (another table\'s row) or `months_before` (a month counted back from a date).',
      'project/export-option 30:20 `null_values` applies to values read from the export (`from`, or `{from:}` parts); a constant or a generated key has none.',
    ]);
  });
});
