import { describe, expect, it } from 'vitest';
import { decide, type Candidate } from '../../src/deliver/decide.js';
import { messageId } from '../../src/deliver/compose.js';
import type { LedgerEntry } from '../../src/deliver/ledger.js';

const candidate: Candidate = { scorecard: 'rep_weekly', period: '2026-W44', email: 'Lea@demo-pharma.example', contentHash: 'c2', valuesHash: 'v2', statusHash: 's2', when: 'always' };
const entry = (over: Partial<LedgerEntry>): LedgerEntry => ({
  scorecard: 'rep_weekly', period: '2026-W44', email: 'lea@demo-pharma.example', content_hash: 'c1', values_hash: 'v1', status_hash: 's1',
  message_id: '<rep_weekly.2026-W44.abc@demo-pharma.example>', status: 'sent', at: '2026-11-02T05:00:00.000Z', ...over,
});
/** A ledger holding `latest` for this period and `last` as the last one sent to the recipient in any period. */
const ledger = (latest?: LedgerEntry, last?: LedgerEntry) => ({ get: () => latest, lastSentTo: () => last });
const options = { resendChanged: false, domain: 'demo-pharma.example' };

describe('deciding what goes out', () => {
  it('sends what was never sent, with the Message-ID made from scorecard, period and recipient', () => {
    expect(decide(ledger(), candidate, options)).toEqual({ action: 'send', messageId: messageId('rep_weekly', '2026-W44', 'lea@demo-pharma.example', 'demo-pharma.example') });
  });

  it('skips what was sent with the same content, naming when', () => {
    expect(decide(ledger(entry({ content_hash: 'c2' })), candidate, options)).toEqual({ action: 'skip', reason: 'already sent on 2026-11-02T05:00:00.000Z', messageId: '<rep_weekly.2026-W44.abc@demo-pharma.example>' });
  });

  it('skips a changed scorecard already sent, unless --resend-changed; then revision 2 of an r1 message, revision 4 of an r3', () => {
    expect(decide(ledger(entry({})), candidate, options)).toMatchObject({ action: 'skip', reason: expect.stringContaining('--resend-changed sends the new version') });
    expect(decide(ledger(entry({})), candidate, { ...options, resendChanged: true })).toEqual({ action: 'revise', revision: 2, messageId: messageId('rep_weekly', '2026-W44', 'lea@demo-pharma.example', 'demo-pharma.example', 2) });
    expect(decide(ledger(entry({ message_id: '<x.r3@demo-pharma.example>' })), candidate, { ...options, resendChanged: true })).toMatchObject({ action: 'revise', revision: 4 });
  });

  it('resends an uncertain delivery with the same Message-ID, and sends a failed one again', () => {
    expect(decide(ledger(entry({ status: 'unknown' })), candidate, options)).toEqual({ action: 'resend', messageId: '<rep_weekly.2026-W44.abc@demo-pharma.example>' });
    expect(decide(ledger(entry({ status: 'failed' })), candidate, options)).toMatchObject({ action: 'send' });
  });

  it('on_change and on_status_change skip when the last scorecard sent, for an earlier period, had the same values or statuses', () => {
    const last = entry({ period: '2026-W43', values_hash: 'v2', status_hash: 's2' });
    expect(decide(ledger(undefined, last), { ...candidate, when: 'on_change' }, options)).toEqual({ action: 'skip', reason: 'no value or status changed since 2026-W43' });
    expect(decide(ledger(undefined, last), { ...candidate, when: 'on_status_change' }, options)).toEqual({ action: 'skip', reason: 'no status changed since 2026-W43' });
    expect(decide(ledger(undefined, entry({ period: '2026-W43' })), { ...candidate, when: 'on_change' }, options)).toMatchObject({ action: 'send' });
  });
});
