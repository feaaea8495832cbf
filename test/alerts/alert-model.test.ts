import { describe, expect, it } from 'vitest';
import { alertModel, breachDirection, recipientWatches, type AlertModel } from '../../src/model/alert.js';
import type { AlertSpec } from '../../src/spec/alert.js';

const KPIS = [
  { id: 'email_open_rate', tags: ['email'], stages: ['awareness'] },
  { id: 'email_ctr', tags: ['email'], stages: ['consideration'] },
  { id: 'reach', tags: [], stages: ['awareness'] },
];
const SPEC: AlertSpec = {
  version: 'kpiops/v1', id: 'email_opens_collapse', title: 'Email opens collapse',
  kpis: ['email_open_rate'], when: { below: 0.2 }, grain: 'month',
  audience: [
    { name: 'Neurexa brand team', email: 'neurexa@example.com', filter: { brand: 'neurexa' } },
    { name: 'Cardiora brand team', email: 'cardiora@example.com', filter: { brand: 'cardiora' } },
    { name: 'Second Neurexa reader', email: 'n2@example.com', filter: { brand: 'neurexa' } },
  ],
};

describe('the alert model', () => {
  it('fills every default: closed periods only, fire at once, never re-notify, tell recovery and errors, not missing data', () => {
    expect(alertModel(SPEC, KPIS)).toEqual({
      id: 'email_opens_collapse', title: 'Email opens collapse', kpis: ['email_open_rate'],
      // Without `by`, the audience's distinct filters are the slices judged.
      slices: { kind: 'audience', slices: [{ brand: 'neurexa' }, { brand: 'cardiora' }] },
      condition: { kind: 'below', threshold: 0.2 }, grain: 'month', closedPeriodsOnly: true,
      lifecycle: { pending: 1, recovery: true, onError: true, onNoData: false },
      audience: SPEC.audience.map((r) => ({ name: r.name, email: r.email, filter: { ...r.filter } })),
    } satisfies AlertModel);
  });

  it('resolves ids, tags and stages to KPI ids, in the order named, each once', () => {
    expect(alertModel({ ...SPEC, kpis: [{ stage: 'awareness' }, 'email_ctr', { tag: 'email' }] }, KPIS).kpis).toEqual(['email_open_rate', 'reach', 'email_ctr']);
  });

  it('an audience without filters watches the total; `by` watches every slice of its dimensions', () => {
    expect(alertModel({ ...SPEC, audience: [{ name: 'A', email: 'a@example.com' }] }, KPIS).slices).toEqual({ kind: 'audience', slices: [{}] });
    expect(alertModel({ ...SPEC, by: ['brand', 'country'] }, KPIS).slices).toEqual({ kind: 'by', by: ['brand', 'country'] });
  });

  it('keeps the written lifecycle and change condition in camelCase', () => {
    const model = alertModel({
      ...SPEC, when: { change: { vs: 'previous_period', spreads: 3 } }, closed_periods_only: false,
      lifecycle: { pending: 2, renotify: 'P7D', recovery: false, on_error: false, on_no_data: true },
    }, KPIS);
    expect(model.condition).toEqual({ kind: 'change', vs: 'previous_period', beyond: { spreads: 3 } });
    expect(model.lifecycle).toEqual({ pending: 2, renotify: 'P7D', recovery: false, onError: false, onNoData: true });
    expect(model.closedPeriodsOnly).toBe(false);
  });

  it('a change counts the KPI\'s bad direction unless one is written', () => {
    const change = { kind: 'change', vs: 'last_year', beyond: { amount: 0.05 } } as const;
    expect(breachDirection(change, { direction: 'higher' })).toBe('down');
    expect(breachDirection(change, { direction: 'lower' })).toBe('up');
    expect(breachDirection({ ...change, direction: 'either' }, { direction: 'higher' })).toBe('either');
  });

  it('a recipient is told about the slices inside their filter; one without a filter about all', () => {
    const neurexa = { name: 'N', email: 'n@example.com', filter: { brand: 'neurexa' } };
    expect(recipientWatches(neurexa, { brand: 'neurexa', country: 'DE' })).toBe(true);
    expect(recipientWatches(neurexa, { brand: 'cardiora' })).toBe(false);
    expect(recipientWatches(neurexa, {})).toBe(false);
    expect(recipientWatches({ ...neurexa, filter: {} }, { brand: 'cardiora' })).toBe(true);
  });
});

describe('alerts on the project model', () => {
  it('are modelled with the project, and their slices are evaluated for the KPIs they watch only', async () => {
    const [{ normalize }, { validateWith }] = await Promise.all([import('../../src/model/normalize.js'), import('../support/demo-project.js')]);
    const f = validateWith([]).files;
    const input = { project: f.project!.spec, channels: f.channels.map((c) => c.spec), kpis: f.kpis.map((k) => k.spec), scorecards: f.scorecards.map((s) => s.spec) };
    const without = normalize(input);
    const model = normalize({ ...input, alerts: [{ ...SPEC, by: ['country', 'segment'] }] });
    expect(model.alerts.map((a) => [a.id, a.kpis])).toEqual([['email_opens_collapse', ['email_open_rate']]]);
    // email_open_rate is sliced by brand, country and segment; no scorecard asks for country × segment, the alert does.
    expect(without.sliceSets.get('email_open_rate')).not.toContainEqual(['country', 'segment']);
    expect(model.sliceSets.get('email_open_rate')).toContainEqual(['country', 'segment']);
    expect(model.sliceSets.get('email_ctr')).toEqual(without.sliceSets.get('email_ctr'));
  });
});
