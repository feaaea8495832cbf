import { describe, expect, it } from 'vitest';
import { entityWords } from '../../src/model/entity-words.js';
import type { ProjectSpec } from '../../src/spec/project.js';
import { validateWith } from '../support/demo-project.js';

const project = (entity: ProjectSpec['sources'][string]['entity']) => ({ sources: { people: { key: 'id', entity, columns: { id: { type: 'string' as const } } } } });

describe('the words outputs use for the counted entities', () => {
  it('are HCP and HCPs, with "an", for entity: true', () => {
    expect(entityWords(project(true))).toEqual({ one: 'HCP', many: 'HCPs', a: 'an HCP', One: 'HCP', Many: 'HCPs' });
  });

  it('are the label and the label with an "s", capitalised at the start of a sentence, for entity: {label: customer}', () => {
    expect(entityWords(project({ label: 'customer' }))).toEqual({ one: 'customer', many: 'customers', a: 'a customer', One: 'Customer', Many: 'Customers' });
  });

  it('take the plural given, and "an" before a vowel or an initialism read with one', () => {
    expect(entityWords(project({ label: 'pharmacy', plural: 'pharmacies' }))).toMatchObject({ many: 'pharmacies', Many: 'Pharmacies', a: 'a pharmacy' });
    expect(entityWords(project({ label: 'account' })).a).toBe('an account');
    expect(entityWords(project({ label: 'MSL' })).a).toBe('an MSL');
    expect(entityWords(project({ label: 'KOL' })).a).toBe('a KOL');
  });

  it('are declared in kpiops.yaml: an object without a label, or with another key, is refused at its line', () => {
    const noLabel = validateWith([{ file: 'kpiops.yaml', from: '    entity: true\n', to: '    entity: {plural: docs}\n' }]);
    expect(noLabel.diagnostics.map((d) => `${d.code} ${d.range.start.line + 1}`)).toEqual(['schema/required 35']);
    const extra = validateWith([{ file: 'kpiops.yaml', from: '    entity: true\n', to: '    entity: {label: doctor, article: a}\n' }]);
    expect(extra.diagnostics.map((d) => d.code)).toEqual(['schema/unknown-key']);
    const good = validateWith([{ file: 'kpiops.yaml', from: '    entity: true\n', to: '    entity: {label: doctor}\n' }]);
    expect(good.diagnostics).toEqual([]);
  });
});
