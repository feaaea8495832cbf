import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/diagnostics/diagnostic.js';
import { runRules, type Rule } from '../../src/validate/rule.js';
import { RULES } from '../../src/validate/rules/index.js';
import { tie } from '../../src/validate/rules/override-ties.js';
import { validateWith } from '../support/demo-project.js';

const { files } = validateWith([]);
const project = files.project!.spec;

describe('running the semantic rules', () => {
  it('turns a rule that throws into one internal-error diagnostic and still runs the others', () => {
    const crashing: Rule = { name: 'crashing', check: () => { throw new TypeError("Cannot read properties of undefined (reading 'x')"); } };
    const reporting: Rule = { name: 'reporting', check: (ctx) => ctx.report('kpi/missing-owner', { id: 'reach' }, { file: files.kpis[0]!.file, path: ['id'] }) };
    const diagnostics = runRules([crashing, reporting], files, project);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['internal/rule-crashed', 'Internal error in check "crashing": Cannot read properties of undefined (reading \'x\'). The other checks ran; please report this.'],
      ['kpi/missing-owner', 'KPI "reach" has no owner. Add `owner: "@org/team"` so the right people review changes to it.'],
    ]);
    expect(exitCodeFor(diagnostics)).toBe(2);
  });

  it('finds nothing in the demo project', () => {
    expect(runRules(RULES, files, project)).toEqual([]);
  });

  it('has unique rule names', () => {
    expect(new Set(RULES.map((r) => r.name)).size).toBe(RULES.length);
  });
});

describe('exit codes', () => {
  const at = { file: 'f', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  it.each([
    [[], 0],
    [[{ ...at, code: 'channel/missing-owner' as const, severity: 'warning' as const, message: '', data: { id: 'email' } }], 0],
    [[{ ...at, code: 'kpi/missing-owner' as const, severity: 'error' as const, message: '', data: { id: 'reach' } }], 1],
  ])('findings %j exit with %i', (diagnostics, code) => {
    expect(exitCodeFor(diagnostics)).toBe(code);
  });
});

describe('target override ties', () => {
  it.each([
    [{ brand: 'a' }, { country: 'DE' }, { brand: 'a', country: 'DE' }],
    [{ brand: 'a' }, { brand: 'a' }, { brand: 'a' }],
    [{ brand: 'a' }, { brand: 'b' }, undefined],
    [{ brand: 'a' }, { brand: 'a', country: 'DE' }, undefined],
    [{ brand: 'a', country: 'DE' }, { brand: 'a', segment: 'x' }, { brand: 'a', country: 'DE', segment: 'x' }],
  ])('%j and %j tie on %j', (a, b, slice) => {
    expect(tie(a, b)).toEqual(slice);
  });

  it('a more specific override covering the overlap resolves the tie', () => {
    const all: Array<Record<string, string>> = [{ country: 'DE' }, { segment: 'growth' }, { segment: 'growth', country: 'DE' }];
    expect(tie(all[0]!, all[1]!, all)).toBeUndefined();
  });

  it('a more specific override that covers only part of the overlap does not', () => {
    const all: Array<Record<string, string>> = [{ country: 'DE' }, { segment: 'growth' }, { segment: 'growth', country: 'DE', brand: 'x' }];
    expect(tie(all[0]!, all[1]!, all)).toEqual({ country: 'DE', segment: 'growth' });
  });
});
