import { createHash } from 'node:crypto';
import type { RenderedScorecard } from '../render/render.js';
import type { RecipientScorecard } from '../scorecard/view.js';
import { messageId } from './compose.js';
import type { Ledger } from './ledger.js';

const sha = (...parts: Array<string | Buffer>) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
};

/** What the recipient reads: subject, HTML, text and images (not the date or Message-ID). */
export const contentHash = (r: RenderedScorecard) => sha(r.subject, r.html, r.text, ...r.attachments.map((a) => a.content), ...r.documents.map((d) => d.content));
const rows = (card: RecipientScorecard) => card.groups.flatMap((g) => g.rows);
/** The values and statuses alone: the same numbers next month hash the same. */
export const valuesHash = (card: RecipientScorecard) => sha(JSON.stringify(rows(card).map((r) => [r.id, r.value, r.status.status])), JSON.stringify(card.brief ?? null));
export const statusHash = (card: RecipientScorecard) => sha(JSON.stringify(rows(card).map((r) => [r.id, r.status.status])));

/** What the ledger is asked: the latest outcome for a message, and the last one that went to a recipient. */
export type LedgerState = Pick<Ledger, 'get' | 'lastSentTo'>;

/** One rendered recipient, as far as deciding is concerned: who, which period, and the hashes of what they would read. */
export interface Candidate {
  scorecard: string;
  period: string;
  email: string;
  contentHash: string;
  valuesHash: string;
  statusHash: string;
  /** The scorecard's `send.when`. */
  when: 'always' | 'on_change' | 'on_status_change';
}

export interface DecideOptions {
  /** `--resend-changed`: a scorecard that changed since it was sent for the period goes out again, as a revision. */
  resendChanged: boolean;
  /** The Message-ID domain (`messageDomain` of the sender). */
  domain: string;
}

/**
 * `send`: first delivery. `resend`: the earlier delivery is uncertain, the same message goes
 * again with the same Message-ID (so a mailbox that got it drops the copy). `revise`: a
 * corrected version for the same period, with its own Message-ID (`.rN`) so no mailbox drops it.
 */
export type Decision =
  | { action: 'send'; messageId: string }
  | { action: 'resend'; messageId: string }
  | { action: 'revise'; messageId: string; revision: number }
  | { action: 'skip'; reason: string; messageId?: string };

/**
 * Whether one recipient's scorecard goes out: exactly once per scorecard, period and
 * recipient, and as the scorecard's `send.when` says. Pure: the ledger is only read, nothing
 * is composed or sent here. A failed delivery is owed again, whatever the server said.
 */
export function decide(ledger: LedgerState, c: Candidate, options: DecideOptions): Decision {
  const latest = ledger.get(c.scorecard, c.period, c.email);
  if (latest?.status === 'sent' && latest.content_hash === c.contentHash) {
    return { action: 'skip', reason: `already sent on ${latest.at}`, messageId: latest.message_id };
  }
  if (latest?.status === 'sent') {
    if (!options.resendChanged) return { action: 'skip', reason: `changed since it was sent on ${latest.at}; --resend-changed sends the new version`, messageId: latest.message_id };
    const revision = Number(/\.r(\d+)@/.exec(latest.message_id)?.[1] ?? 1) + 1;
    return { action: 'revise', revision, messageId: messageId(c.scorecard, c.period, c.email, options.domain, revision) };
  }
  if (latest?.status === 'unknown') return { action: 'resend', messageId: latest.message_id };
  // Never sent for this period, or failed: what was last sent for an earlier period decides `send.when`.
  const last = ledger.lastSentTo(c.scorecard, c.email);
  if (last && c.when === 'on_change' && last.values_hash === c.valuesHash) return { action: 'skip', reason: `no value or status changed since ${last.period}` };
  if (last && c.when === 'on_status_change' && last.status_hash === c.statusHash) return { action: 'skip', reason: `no status changed since ${last.period}` };
  return { action: 'send', messageId: messageId(c.scorecard, c.period, c.email, options.domain) };
}
