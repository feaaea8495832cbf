import { describe, expect, it } from 'vitest';
import { readsChannels } from '../../src/model/definition-hash.js';
import type { KpiSpec } from '../../src/spec/kpi.js';

const ratio = (numerator: Record<string, unknown>): KpiSpec => ({
  version: 'kpiops/v1', id: 'k', name: 'k', description: 'k', stages: ['awareness'], indicator: 'leading', unit: 'percent', direction: 'higher',
  measure: { kind: 'ratio', numerator, denominator: { source: 'interactions', count: 'touches' } } as KpiSpec['measure'],
});

describe('which KPIs read the channel definitions', () => {
  it('every KPI of a kind the kind table marks, and a ratio counting engagement or channels', () => {
    expect(readsChannels({ ...ratio({}), measure: { kind: 'reach', source: 'interactions' } })).toBe(true);
    expect(readsChannels(ratio({ source: 'interactions', count: 'touches', engaged: true }))).toBe(true);
    expect(readsChannels(ratio({ source: 'interactions', count: 'entities', min_channels: 2 }))).toBe(true);
    expect(readsChannels(ratio({ source: 'recommendations', count: 'rows', followed_by: { source: 'interactions', after: 'outcome_at', within: 'P14D', engaged: true } }))).toBe(true);
    expect(readsChannels(ratio({ source: 'interactions', count: 'touches' }))).toBe(false);
  });

  it('not a ratio that only filters on a column named engaged: its numbers do not change with the channels', () => {
    expect(readsChannels(ratio({ source: 'survey', count: 'rows', where: { engaged: true } }))).toBe(false);
    expect(readsChannels(ratio({ source: 'survey', count: 'rows', where: { min_channels: 3 } }))).toBe(false);
  });
});
