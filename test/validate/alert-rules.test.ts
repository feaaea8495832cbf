import { describe, expect, it } from 'vitest';
import { demoText, located, validateWith, type Change } from '../support/demo-project.js';

const F = 'alerts/email_opens_collapse.yaml';
const DEMO = demoText(F);

/** Diagnostics on alert files after changing the demo alert: `file:line:col code` and the messages. */
function alertFindings(changes: Array<Omit<Change, 'file'> & { file?: string }>, options: Parameters<typeof validateWith>[1] = {}) {
  const result = validateWith(changes.map((c) => ({ file: F, kind: 'alert', ...c })), options);
  const onAlerts = (d: { file: string }) => d.file.startsWith('alerts/');
  return {
    at: located({ ...result, diagnostics: result.diagnostics.filter(onAlerts) }),
    messages: result.diagnostics.filter(onAlerts).map((d) => d.message),
  };
}

describe('the demo alert', () => {
  it('passes every check, with no warning', () => {
    expect(validateWith([]).diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual([]);
  });
});

describe('alert rules', () => {
  it('an unknown KPI id is an error at the id, with the KPI it likely means', () => {
    const { at, messages } = alertFindings([{ from: 'kpis: [email_open_rate]', to: 'kpis: [email_open_rat]' }]);
    expect(at).toEqual([`${F}:9:8 alert/unknown-kpi`]);
    expect(messages[0]).toBe('Unknown KPI "email_open_rat". Did you mean "email_open_rate"?');
  });

  it('a tag no KPI has, and a stage not in the journey, are errors with the likely name', () => {
    const { at, messages } = alertFindings([{ from: 'kpis: [email_open_rate]', to: 'kpis: [{tag: emial}, {stage: awarenes}]' }]);
    expect(at).toEqual([`${F}:9:14 alert/unknown-tag`, `${F}:9:30 alert/unknown-stage`]);
    expect(messages).toEqual(['No KPI has the tag "emial", so the alert would watch nothing for it. Did you mean "email"?', 'Unknown journey stage "awarenes". Did you mean "awareness"?']);
  });

  it('a journey stage no KPI informs is an error: the alert would watch nothing for it', () => {
    const { at } = alertFindings([
      { file: 'kpiops.yaml', kind: 'project', from: '    - id: retention\n', to: '    - id: advocacy\n      name: Advocacy\n      description: The HCP speaks for the brand.\n    - id: retention\n' },
      { from: 'kpis: [email_open_rate]', to: 'kpis: [email_open_rate, {stage: advocacy}]' },
    ]);
    expect(at).toEqual([`${F}:9:25 alert/empty-selector`]);
  });

  it('a `by` dimension the watched KPI is not sliced by is an error naming the KPI', () => {
    const { at, messages } = alertFindings([{ from: 'by: [brand]', to: 'by: [brnad]' }]);
    expect(at).toEqual([`${F}:10:6 alert/unknown-dimension`]);
    expect(messages[0]).toBe('"brnad" is not a dimension of KPI email_open_rate, so the alert cannot watch its slices by it. Did you mean "brand"?');
  });

  it('without `by`, a recipient\'s filter dimension must be one the watched KPIs have', () => {
    const { at } = alertFindings([{ from: 'by: [brand]\n', to: '' }, { from: 'filter: {brand: cardiora}', to: 'filter: {territory: DE-T01}' }]);
    expect(at).toEqual([`${F}:24:14 alert/unknown-dimension`]);
  });

  it('a recipient filter outside `by` is an error at its key: no slice watched would match it', () => {
    const { at, messages } = alertFindings([{ from: 'filter: {brand: cardiora}', to: 'filter: {country: DE}' }]);
    expect(at).toEqual([`${F}:25:14 alert/filter-outside-by`]);
    expect(messages[0]).toContain('not in the alert\'s `by` (brand)');
  });

  it('a filter value the dimension cannot have is an error with the likely value', () => {
    const { at, messages } = alertFindings([{ from: 'filter: {brand: neurexa}', to: 'filter: {brand: neurexia}' }]);
    expect(at).toEqual([`${F}:28:21 alert/unknown-value`]);
    expect(messages[0]).toBe('"neurexia" is not a value of brand; this recipient would never be told anything. Did you mean "neurexa"?');
  });

  it('a threshold outside a fraction KPI\'s range says it is not a fraction and offers the fraction', () => {
    const { at, messages } = alertFindings([{ from: 'change: {vs: previous_period, spreads: 3}', to: 'below: 20' }]);
    expect(at).toEqual([`${F}:13:10 alert/threshold-unit`]);
    // 20 / 100 = 0.2
    expect(messages[0]).toBe('20 is not a fraction between 0 and 1 (0.25 = 25%), as the values of KPI email_open_rate are, so the condition would always or never hold. Did you mean 0.2?');
  });

  it('a change amount larger than a fraction can move is an error too', () => {
    const { at, messages } = alertFindings([{ from: 'spreads: 3', to: 'by_more_than: 5' }]);
    expect(at).toEqual([`${F}:13:47 alert/threshold-unit`]);
    // 5 / 100 = 0.05; a fraction moves at most 1 − 0 = 1
    expect(messages[0]).toBe('A move of 5 is more than the values of KPI email_open_rate can move: they are a fraction between 0 and 1 (0.25 = 25%), at most 1 apart, so the condition would never hold. Did you mean 0.05?');
  });

  it('a threshold within the range passes', () => {
    expect(alertFindings([{ from: 'change: {vs: previous_period, spreads: 3}', to: 'above: 0.5' }]).at).toEqual([]);
  });

  it('watching the status of a KPI without a target is an error naming it', () => {
    const { at, messages } = alertFindings([{ from: 'kpis: [email_open_rate]', to: 'kpis: [email_open_rate, stage_distribution]' }, { from: 'by: [brand]\n', to: '' }, { from: 'change: {vs: previous_period, spreads: 3}', to: 'status: [red]' }]);
    expect(at).toEqual([`${F}:12:3 alert/status-without-target`]);
    expect(messages[0]).toMatch(/^KPI stage_distribution has no target, so no status to watch/);
  });

  it('a change must say how far, once: neither and both are errors', () => {
    expect(alertFindings([{ from: '{vs: previous_period, spreads: 3}', to: '{vs: previous_period}' }]).at).toEqual([`${F}:13:3 alert/change-amount`]);
    const both = alertFindings([{ from: 'spreads: 3', to: 'spreads: 3, by_more_than: 0.05' }]);
    expect(both.at).toEqual([`${F}:13:3 alert/change-amount`]);
    expect(both.messages[0]).toContain('gives both `by_more_than` and `spreads`');
  });

  it('a KPI counted against a monthly contact cap cannot be judged by the week', () => {
    const { at } = alertFindings([
      { file: 'kpis/reach/over_contact_rate.yaml', from: 'per: week', to: 'per: month' },
      { from: 'kpis: [email_open_rate]', to: 'kpis: [over_contact_rate]' }, { from: 'grain: month', to: 'grain: rolling_7d' },
    ]);
    expect(at).toEqual([`${F}:14:8 alert/grain`]);
  });

  it('a KPI the calendar cuts cannot be judged over a window of days, and a week has no last-year comparison', () => {
    const rolling = alertFindings([{ from: 'kpis: [email_open_rate]', to: 'kpis: [cei]' }, { from: 'grain: month', to: 'grain: rolling_28d' }]);
    expect(rolling.at).toEqual([`${F}:14:8 alert/grain`]);
    expect(rolling.messages[0]).toMatch(/^KPI cei cannot be judged at grain rolling_28d: the engagement index reads trailing calendar months/);
    const weekly = alertFindings([{ from: '{vs: previous_period, spreads: 3}', to: '{vs: last_year, spreads: 3}' }, { from: 'grain: month', to: 'grain: week' }]);
    expect(weekly.at).toEqual([`${F}:14:8 alert/grain`]);
    expect(weekly.messages[0]).toContain('`vs: last_year` would never have a value to compare with');
    // By the month, the same condition is fine.
    expect(alertFindings([{ from: '{vs: previous_period, spreads: 3}', to: '{vs: last_year, spreads: 3}' }]).at).toEqual([]);
  });

  it('re-notifying after no time at all is an error; a duration that is not ISO-8601 is a schema error at the value', () => {
    expect(alertFindings([{ from: 'renotify: P7D', to: 'renotify: P0D' }]).at).toEqual([`${F}:18:13 alert/zero-renotify`]);
    expect(alertFindings([{ from: 'renotify: P7D', to: 'renotify: 7 days' }]).at).toEqual([`${F}:18:13 schema/pattern`]);
  });

  it('two conditions at once are an error: `when` takes exactly one', () => {
    const { at, messages } = alertFindings([{ from: '  change: {vs: previous_period, spreads: 3}', to: '  change: {vs: previous_period, spreads: 3}\n  below: 0.1' }]);
    expect(at).toEqual([`${F}:11:1 alert/one-condition`]);
    expect(messages[0]).toBe('`when` holds `change` and `below`; an alert has exactly one condition, so each episode has one cause. Keep one, and write another alert for the other.');
  });

  it('the file is named after the id, and two alerts cannot share an id', () => {
    expect(alertFindings([{ from: 'id: email_opens_collapse', to: 'id: email_opens_drop' }]).at).toEqual([`${F}:3:5 alert/file-name`]);
    const { at } = alertFindings([{ file: 'alerts/email_opens_collapse_copy.yaml', to: DEMO }]);
    expect(at).toEqual(['alerts/email_opens_collapse_copy.yaml:3:5 alert/duplicate-id', 'alerts/email_opens_collapse_copy.yaml:3:5 alert/file-name']);
  });
});
