import type { Preset } from './preset.js';

/** `TRX_01` … `TRX_24`: TRX_01 is the month of the file's period end, each next column the month before. */
const PERIODS = Array.from({ length: 24 }, (_, i) => `TRX_${String(i + 1).padStart(2, '0')}`);

/**
 * A syndicated prescription file in its wide form: one row per prescriber and product, the
 * file's period end, and 24 rolling monthly TRx columns. Every monthly delivery repeats (and
 * may restate) 23 months of the one before, so the `rx` source declares a vintage.
 */
export const RX_WIDE: Preset = {
  name: 'rx_wide/trx',
  table: 'rx',
  object: 'syndicated prescriber-level TRx file, 24 rolling months',
  description: 'One row per prescriber and product with the file\'s period end (YYYYMM) and 24 rolling monthly TRx columns, TRX_01 the period end\'s month.',
  unpivot: { columns: Object.fromEntries(PERIODS.map((p) => [p, {}])), value: 'trx_value', name: 'period' },
  columns: {
    hcp_id: { from: 'PRESCRIBER_ID' },
    brand: { from: 'PRODUCT' },
    month: { months_before: { from: 'PERIOD_END', format: '%Y%m', months: { from: 'period', map: Object.fromEntries(PERIODS.map((p, i) => [p, i])) } } },
    trx: { from: 'trx_value' },
    // The delivery is the file's period end: the next month's file is the next delivery.
    delivered: { months_before: { from: 'PERIOD_END', format: '%Y%m', months: 0 } },
  },
  references: [],
  notes: [
    'Syndicated prescription layouts are licensed; no public page describing one could be reached. The field names are kpiops\'s own generic layout (PRESCRIBER_ID, PRODUCT, PERIOD_END, TRX_01 … TRX_24): rename them in the export, or replace the columns.',
    'Only TRx: nrx and market_trx stay empty for these rows. The product names are the team\'s: map `brand` under `columns`.',
    'The rx source declares `vintage: {column: delivered, keep: latest}` and a `delivered` date column, so each month\'s file restating the months before is kept as its latest delivery and every restated value is reported.',
  ],
};
