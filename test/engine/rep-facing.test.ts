import { describe, expect, it } from 'vitest';
import { demoKpis, demoProject, evaluateFixture, slice, type FixtureRow } from '../support/engine-fixture.js';

const kpi = (id: string) => demoKpis.find((k) => k.id === id)!;
const hcps: FixtureRow[] = [
  { hcp_id: 'H1', territory: 'T1', country: 'DE', target: true, pdrp_opt_out: true }, // opted out of sharing prescribing data with reps
  { hcp_id: 'H2', territory: 'T1', country: 'DE', target: true, pdrp_opt_out: false },
  { hcp_id: 'H3', territory: 'T1', country: 'DE', target: true, pdrp_opt_out: null }, // opt-out unknown: not an opt-out
];
const rx = [
  { hcp_id: 'H1', brand: 'cardiora', month: '2026-09-01', nrx: 12, trx: 30, market_trx: 100 },
  { hcp_id: 'H2', brand: 'cardiora', month: '2026-09-01', nrx: 3, trx: 10, market_trx: 100 },
  { hcp_id: 'H3', brand: 'cardiora', month: '2026-09-01', nrx: 1, trx: 5, market_trx: 50 },
  { hcp_id: 'H1', brand: 'cardiora', month: '2025-09-01', nrx: 6, trx: 20, market_trx: 90 },
  { hcp_id: 'H2', brand: 'cardiora', month: '2025-09-01', nrx: 2, trx: 10, market_trx: 100 },
];
const interactions = [
  { event_id: 'e1', message_id: 'M1', hcp_id: 'H1', occurred_at: '2026-09-03 10:00:00', channel: 'email', event: 'opened', brand: 'cardiora' },
];

describe('rep-facing figures', () => {
  it('leave out PDRP opt-outs from every prescribing figure, and nothing else', async () => {
    const options = { period: '2026-09', asOf: '2026-11-01T00:00:00Z', kpis: [kpi('trx_share'), kpi('nrx_growth'), kpi('reach')] };
    const all = await evaluateFixture({ hcps, rx, interactions }, options);
    const rep = await evaluateFixture({ hcps, rx, interactions }, { ...options, repFacing: true });
    // Everyone: TRx 30 + 10 + 5 = 45 of market 250 → 0.18. Without H1: 15 of 150 → 0.1.
    expect(slice(all, 'trx_share', { territory: 'T1' }).value).toBeCloseTo(45 / 250, 12);
    expect(slice(rep, 'trx_share', { territory: 'T1' }).value).toBeCloseTo(15 / 150, 12);
    // NRx growth: everyone 16 vs 8 → +100%; without H1: 4 vs 2 → +100% too, but from other numbers.
    expect(slice(all, 'nrx_growth').components).toMatchObject({ current: 16, comparison: 8 });
    expect(slice(rep, 'nrx_growth').components).toMatchObject({ current: 4, comparison: 2 });
    // Engagement is not prescribing data: H1 still counts as reached for the rep.
    expect(slice(rep, 'reach').value).toBeCloseTo(slice(all, 'reach').value as number, 12);
    expect(slice(rep, 'reach').components).toMatchObject({ reached: 1, population: 3 });
  });

  it('say exactly what is wrong with the opt-out setting instead of running without it', async () => {
    const { createRepFacingSchema } = await import('../../src/engine/duckdb/rep-facing.js');
    const { Database } = await import('../../src/engine/duckdb/database.js');
    const db = await Database.open({ threads: 1 });
    try {
      const project = { ...demoProject, privacy: { min_cell_size: 11, rep_facing_rx: { opt_out: 'country', sources: ['rx', 'interactions_typo'] } } };
      // Read as every command reads it: through the project's model.
      const { normalize } = await import('../../src/model/normalize.js');
      expect(await createRepFacingSchema(db, normalize({ project, channels: [], kpis: [] }))).toEqual([
        'kpiops.yaml: privacy.rep_facing_rx.opt_out: country is not a boolean column of hcps',
        'kpiops.yaml: privacy.rep_facing_rx.sources: interactions_typo is not a source with a column referencing hcps',
      ]);
    } finally {
      db.close();
    }
  });
});
