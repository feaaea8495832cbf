import { describe, expect, it } from 'vitest';
import { parseYamlFile } from '../../src/source/yaml-file.js';
import { schemaDiagnostics } from '../../src/validate/schema.js';
import { newAjv } from '../../src/validate/validators.js';
import { validateWith } from '../support/demo-project.js';

const REP = 'scorecards/rep_weekly.yaml';
const NPS = 'kpis/survey/nps.yaml';
const CTR = 'kpis/email/email_ctr.yaml';

const messages = (changes: Parameters<typeof validateWith>[0]) =>
  validateWith(changes).diagnostics.map((d) => `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`);

describe('a value that fits none of the shapes a key allows is reported where it is, once', () => {
  it('a KPI selector with a kpi but no grain is told the grain is missing, not that it is neither a tag nor a stage', () => {
    expect(messages([{ file: REP, from: '{kpi: trx_share, grain: month}', to: '{kpi: trx_share}' }]))
      .toEqual([`${REP}:22:5 schema/required Missing required key "grain" in kpis[7].`]);
  });

  it('a KPI selector naming both a tag and a stage is told it may hold one key', () => {
    expect(messages([{ file: REP, from: '{kpi: trx_share, grain: month}', to: '{tag: email, stage: awareness}' }]))
      .toEqual([`${REP}:22:5 schema/size Expected at most 1 key here.`]);
  });

  it('a measure of a misspelt kind is told the kinds there are, at the kind', () => {
    expect(messages([{ file: CTR, from: 'kind: ratio', to: 'kind: ratoi' }])).toEqual([expect.stringMatching(
      new RegExp(`^${CTR}:14:9 schema/enum "ratoi" is not allowed here; use one of: reach, ratio, .*Did you mean "ratio"\\?$`),
    )]);
  });

  it('a relative target with the other shape\'s key is told which key is unknown and which is missing', () => {
    expect(messages([{ file: NPS, from: 'target: {value: -13}', to: 'target: {relative: {to: benchmark, change: 0.1}}' }])).toEqual([
      `${NPS}:28:10 schema/required Missing required key "percentile" in target.relative.`,
      `${NPS}:28:36 schema/unknown-key Unknown key "change" in target.relative.`,
    ]);
  });
});

describe('a value that fits several shapes where exactly one must fit is reported, not passed over', () => {
  it('names the shapes it fits, at the value', () => {
    const schema = {
      type: 'object',
      properties: { kpis: { type: 'array', items: { oneOf: [{ type: 'string', description: 'a KPI id' }, { pattern: '^r', description: 'a name starting with r' }] } } },
    };
    const validate = newAjv().compile(schema);
    const { file } = parseYamlFile('scorecards/s.yaml', new TextEncoder().encode('kpis:\n  - email\n  - reach\n'));
    expect(validate(file!.value)).toBe(false);
    const found = schemaDiagnostics(file!, 'scorecard', validate.errors ?? [], schema);
    expect(found.map((d) => `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`)).toEqual([
      'scorecards/s.yaml:3:5 schema/ambiguous The value fits 2 of the shapes allowed here (a KPI id; a name starting with r), but must fit exactly one.',
    ]);
  });

  it('a failed check whose only errors are summaries still gets a diagnostic', () => {
    const schema = { anyOf: [{ required: ['a'] }, { required: ['b'] }] };
    const validate = newAjv().compile(schema);
    const { file } = parseYamlFile('kpis/x.yaml', new TextEncoder().encode('c: 1\n'));
    expect(validate(file!.value)).toBe(false);
    const errors = (validate.errors ?? []).filter((e) => e.keyword === 'anyOf');
    expect(schemaDiagnostics(file!, 'kpi', errors, schema).map((d) => d.code)).toEqual(['schema/invalid']);
  });
});
