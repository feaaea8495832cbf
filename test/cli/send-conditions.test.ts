import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { contentHash, statusHash, valuesHash } from '../../src/deliver/decide.js';
import { sendOutbox, type Sendable } from '../../src/pipeline/send.js';
import { Ledger } from '../../src/deliver/ledger.js';
import { compileTemplateSource, renderScorecard } from '../../src/render/render.js';
import { templateSource } from '../../src/source/templates.js';
import { buildScorecards } from '../../src/scorecard/build.js';
import type { Results } from '../../src/spec/results.js';
import type { ScorecardSpec } from '../../src/spec/scorecard.js';
import { demoKpis } from '../support/engine-fixture.js';
import { contextOf } from '../support/results.js';
import { removeTempDirs, tempDir } from '../support/snapshots.js';

afterAll(removeTempDirs);

// One fixed target (bands 1.0 and 0.85 of it), so the statuses below do not follow the demo's brand targets.
const reach = { ...demoKpis.find((k) => k.id === 'reach')!, target: { value: 0.6 } };
const months = (last: number) => Array.from({ length: 13 }, (_, i) => {
  const d = new Date(Date.UTC(2026, last - 13 + i, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
});
/** Clara's reach for a month: a flat 0.55 trend ending in `value`. */
function results(month: number, value: number): Results {
  const label = months(month).at(-1)!;
  const start = `${label}-01T00:00:00.000Z`;
  const end = new Date(Date.UTC(2026, month, 1)).toISOString();
  return {
    version: 'results/v1', generated_by: 'test', config_hash: 'c'.repeat(64), snapshot: { id: 's', as_of: end, checksum: 'd'.repeat(64) },
    period: { label, grain: 'month', start, end },
    kpis: [{
      id: 'reach', name: 'Reach', kind: 'reach', unit: 'percent', direction: 'higher', indicator: 'leading', stages: ['awareness'], definition_hash: 'a'.repeat(64),
      period: { label, start, end },
      slices: [{ dims: { brand: 'cardiora' }, value, n: 400, components: {}, trend: months(month).map((period, i) => ({ period, value: i === 12 ? value : 0.55, n: 400 })) }],
    }],
    blocked: [],
  };
}
const spec = (when: NonNullable<ScorecardSpec['send']>['when']): ScorecardSpec => ({
  version: 'kpiops/v1', id: 'brand_monthly', title: 'Brand monthly', grain: 'month', kpis: ['reach'], slice: ['brand'], send: { when },
  audience: [{ name: 'Clara Weiss', email: 'clara.weiss@demo-pharma.example', filter: { brand: 'cardiora' } }],
});

async function sendable(month: number, value: number, when: NonNullable<ScorecardSpec['send']>['when']): Promise<Sendable> {
  const card = buildScorecards(contextOf([reach], results(month, value)), spec(when))[0]!;
  const rendered = renderScorecard(await compileTemplateSource('scorecard', templateSource()), card);
  return { card, rendered, eml: Buffer.from('not sent in a dry run'), when, date: new Date() };
}

/** A dry run of `items` against a ledger holding what was sent for September. */
async function decide(september: Sendable, items: Sendable[]) {
  const dir = tempDir('kpiops-conditions-');
  const ledger = Ledger.open(join(dir, 'ledger.jsonl'));
  ledger.record({
    scorecard: 'brand_monthly', period: september.card.period.label, email: 'clara.weiss@demo-pharma.example', content_hash: contentHash(september.rendered),
    values_hash: valuesHash(september.card), status_hash: statusHash(september.card), message_id: '<m@x>', status: 'sent', at: '2026-10-04T05:17:00.000Z',
  });
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const code = await sendOutbox(items, { dryRun: true, resendChanged: false, ledger: join(dir, 'ledger.jsonl'), out: dir }, { from: 'kpiops <s@demo-pharma.example>' }, {}, sink);
  const report = JSON.parse(readFileSync(join(dir, 'delivery-report.json'), 'utf8')) as { entries: Array<{ period: string; status: string; reason?: string }> };
  return { code, entries: report.entries };
}

describe('send conditions', () => {
  it('on_change: October goes out only when a value or status differs from September\'s email', async () => {
    const september = await sendable(9, 0.62, 'on_change');
    expect((await decide(september, [await sendable(10, 0.62, 'on_change')])).entries).toEqual([
      expect.objectContaining({ period: '2026-10', status: 'skipped', reason: 'no value or status changed since 2026-09' }),
    ]);
    expect((await decide(september, [await sendable(10, 0.63, 'on_change')])).entries).toEqual([expect.objectContaining({ period: '2026-10', status: 'would_send' })]);
  });

  it('on_status_change: a new value with the same status is not news; a flip is', async () => {
    const september = await sendable(9, 0.62, 'on_status_change'); // 0.62 ≥ target 0.60: on target
    expect((await decide(september, [await sendable(10, 0.65, 'on_status_change')])).entries).toEqual([
      expect.objectContaining({ status: 'skipped', reason: 'no status changed since 2026-09' }),
    ]);
    // 0.50 ÷ 0.60 = 0.83 < 0.85: off target.
    expect((await decide(september, [await sendable(10, 0.5, 'on_status_change')])).entries).toEqual([expect.objectContaining({ status: 'would_send' })]);
  });

  it('always: sent once per period; the same period again is skipped, a changed one needs --resend-changed', async () => {
    const september = await sendable(9, 0.62, 'always');
    expect((await decide(september, [await sendable(10, 0.62, 'always')])).entries).toEqual([expect.objectContaining({ status: 'would_send' })]);
    expect((await decide(september, [september])).entries).toEqual([expect.objectContaining({ status: 'skipped', reason: 'already sent on 2026-10-04T05:17:00.000Z' })]);
    const corrected = await sendable(9, 0.64, 'always');
    expect((await decide(september, [corrected])).entries).toEqual([
      expect.objectContaining({ status: 'skipped', reason: 'changed since it was sent on 2026-10-04T05:17:00.000Z; --resend-changed sends the new version' }),
    ]);
  });
});
