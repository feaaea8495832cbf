import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { semanticDiff } from '../../src/review/diff.js';
import { reviewMarkdown } from '../../src/review/report.js';
import { REPO, validateWith } from '../support/demo-project.js';

describe('the semantic diff of a head whose files fail validation', () => {
  const base = validateWith([]);

  it('reads a KPI whose file has a schema error as still there, not removed, so no scorecard is said to list a removed KPI', () => {
    const head = validateWith([{ file: 'kpis/reach/reach.yaml', from: 'kind: reach', to: 'kind: reachh' }]);
    const diff = semanticDiff(base, head);
    // Nothing is known of what it computes now: not said to be redefined either.
    expect(diff.kpis).toEqual([expect.objectContaining({ id: 'reach', change: 'changed', invalid: true, fields: [], definition_changed: false })]);
    // Three demo scorecards list reach: before, each was "reach is removed, but scorecard … still lists it".
    expect(diff.errors).toEqual([]);
    const md = reviewMarkdown({ version: 'review/v1', base: { ref: 'main' }, head: { ref: 'HEAD' }, diff });
    expect(md).toContain('- KPI `reach` changed — its file has validation errors (above), so it is not compared');
    expect(md).not.toContain('removed');
  });

  it('reads a scorecard and a channel that fail validation the same way', () => {
    const head = validateWith([
      { file: 'scorecards/rep_weekly.yaml', from: 'grain: week', to: 'grain: fortnight' },
      { file: 'channels/email.yaml', from: 'id: email', to: 'id: email\nfrobnicate: 1' },
    ]);
    const diff = semanticDiff(base, head);
    expect(diff.scorecards).toEqual([expect.objectContaining({ id: 'rep_weekly', change: 'changed', invalid: true })]);
    expect(diff.channels).toEqual([expect.objectContaining({ id: 'email', change: 'changed', invalid: true })]);
  });

  it('still reads a KPI whose file is gone as removed, and names the scorecards that list it', () => {
    const head = validateWith([], { remove: ['kpis/reach/reach.yaml'] });
    const diff = semanticDiff(base, head);
    expect(diff.kpis).toEqual([expect.objectContaining({ id: 'reach', change: 'removed' })]);
    expect(diff.errors.map((e) => e.message)).toEqual([
      'reach is removed, but scorecard brand_monthly still lists it',
      'reach is removed, but scorecard executive_quarterly still lists it',
      'reach is removed, but scorecard rep_weekly still lists it',
    ]);
  });
});

describe('the semantic diff of list edits', () => {
  const base = validateWith([]);

  it('reads a target override edit item by item, by its slice, in the KPI\'s unit', () => {
    const head = validateWith([{ file: 'kpis/engagement/sample_request_rate.yaml', from: '{where: {brand: neurexa}, value: 0.1}', to: '{where: {brand: neurexa}, value: 0.12}' }]);
    const diff = semanticDiff(base, head);
    // Before: one change of the whole `target.overrides` list, both sides cut at 80 characters and reading the same.
    expect(diff.kpis[0]!.fields).toEqual([{ path: 'target.overrides[brand neurexa].value', before: 0.1, after: 0.12 }]);
    const md = reviewMarkdown({ version: 'review/v1', base: { ref: 'main' }, head: { ref: 'HEAD' }, diff });
    expect(md).toContain('| `target.overrides[brand neurexa].value` | `10.0%` | `12.0%` |');
    expect(md).toContain('- KPI `sample_request_rate` changed (`target`)');
  });

  it('reads a recipient moved to another territory by the recipient\'s address', () => {
    const head = validateWith([{ file: 'scorecards/rep_weekly.yaml', from: 'filter: {territory: DE-T02}', to: 'filter: {territory: DE-T03}' }]);
    expect(semanticDiff(base, head).scorecards[0]!.fields).toEqual([
      { path: 'audience[lea.braun@demo-pharma.example].filter.territory', before: 'DE-T02', after: 'DE-T03' },
    ]);
  });

  it('reads an added and a removed override as such', () => {
    const head = validateWith([{ file: 'kpis/engagement/sample_request_rate.yaml', from: '{where: {brand: neurexa}, value: 0.1}', to: '{where: {country: DE}, value: 0.1}' }]);
    expect(semanticDiff(base, head).kpis[0]!.fields).toEqual([
      { path: 'target.overrides[brand neurexa]', before: { where: { brand: 'neurexa' }, value: 0.1 } },
      { path: 'target.overrides[country DE]', after: { where: { country: 'DE' }, value: 0.1 } },
    ]);
  });
});

describe('the semantic diff of a renamed KPI', () => {
  const base = validateWith([]);
  const ctr = readFileSync(join(REPO, 'kpis/email/email_ctr.yaml'), 'utf8');
  /** email_ctr moved to a new id and file, with `edit` applied to its text. */
  const renamed = (edit: (text: string) => string) => validateWith([{ file: 'kpis/email/email_click_rate.yaml', to: edit(ctr.replace('id: email_ctr', 'id: email_click_rate')) }], { remove: ['kpis/email/email_ctr.yaml'] });

  it('is a rename when the measure computes the same, however its keys are ordered in the YAML', () => {
    const head = renamed((t) => t.replace('{source: interactions, count: touches, where: {channel: email, event: clicked}}', '{count: touches, where: {event: clicked, channel: email}, source: interactions}'));
    expect(head.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // Before, the written measures were compared as JSON text, key order included: a removal and an addition.
    expect(semanticDiff(base, head).kpis).toEqual([expect.objectContaining({ id: 'email_click_rate', change: 'renamed', from: 'email_ctr', fields: [], definition_changed: false })]);
  });

  it('is a removal and an addition when the numbers differ, or when they read in another unit', () => {
    const otherFilter = renamed((t) => t.replace('event: clicked}', 'event: opened}'));
    expect(semanticDiff(base, otherFilter).kpis.map((k) => [k.id, k.change])).toEqual([['email_click_rate', 'added'], ['email_ctr', 'removed']]);
    const otherUnit = renamed((t) => t.replace('unit: percent', 'unit: ratio'));
    expect(semanticDiff(base, otherUnit).kpis.map((k) => [k.id, k.change])).toEqual([['email_click_rate', 'added'], ['email_ctr', 'removed']]);
  });
});
