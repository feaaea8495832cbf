import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { AlertMessage } from '../alerts/message.js';
import type { AlertEmail } from '../deliver/alert-outbox.js';
import { alertDeliveryKey, alertMessageId, composeAlertEmail, messageDomain, type Sender } from '../deliver/compose.js';
import { contentHash } from '../deliver/decide.js';
import { Ledger, type LedgerEntry } from '../deliver/ledger.js';
import type { ReportEntry } from '../deliver/outbox.js';
import type { Outgoing } from '../deliver/smtp.js';
import { renderAlert } from '../render/alert.js';
import type { CompiledTemplates } from '../render/render.js';
import { deliverAndReport, underLedgerLock, type SendOptions } from './send.js';

/** An alert email as `kpiops alert` hands it over for sending: rendered, composed, and the time it is dated. */
export interface AlertSendable extends AlertEmail {
  date: Date;
}

/**
 * Each notice rendered with the `alert` templates (`compileTemplateSource('alert', …)`, a
 * project's own `templates/alert.*` first) and composed, dated `date`: what the outbox holds
 * and `sendAlerts` sends.
 */
export async function alertEmails(templates: CompiledTemplates, messages: readonly AlertMessage[], sender: Sender, date: Date): Promise<AlertSendable[]> {
  return Promise.all(messages.map(async (message) => {
    const rendered = renderAlert(templates, message);
    return { message, rendered, eml: await composeAlertEmail(message, rendered, sender, date), date };
  }));
}

export type AlertSendOptions = Pick<SendOptions, 'dryRun' | 'ledger' | 'out' | 'smtp' | 'lockWaitMs' | 'lockProcess'>;

/**
 * Whether one alert email goes out, from the ledger's latest outcome for its delivery key
 * and recipient: sent → skipped, whatever the email would say now (a notice is told once);
 * unknown → sent again with the same Message-ID, so a mailbox that got it drops the copy;
 * failed or never tried → sent.
 */
export function decideAlert(latest: LedgerEntry | undefined, messageId: string): { action: 'send' | 'resend'; messageId: string } | { action: 'skip'; reason: string; messageId: string } {
  if (latest?.status === 'sent') return { action: 'skip', reason: `already sent on ${latest.at}`, messageId: latest.message_id };
  if (latest?.status === 'unknown') return { action: 'resend', messageId: latest.message_id };
  return { action: 'send', messageId };
}

// A notice has no values of its own to compare across periods: its delivery key is the whole story.
const noticeHash = (m: AlertMessage) => createHash('sha256').update(`${m.kind}\0${m.id}\0${m.episode}\0${m.transition}\0${m.sequence}`).digest('hex');

/**
 * Sends alert emails exactly once per (alert or feed, episode, recipient, transition,
 * sequence), through the same ledger, lock and SMTP path as scorecards: decides each from
 * the ledger, sends what is owed, reports every recipient (sent, skipped and why, failed and
 * why, unknown). Exit code 1 when any recipient failed or is unknown.
 */
export async function sendAlerts(items: readonly AlertSendable[], options: AlertSendOptions, sender: Sender, env: NodeJS.ProcessEnv, err: NodeJS.WritableStream): Promise<number> {
  if (!options.dryRun && !options.smtp) throw new Error('sendAlerts needs the SMTP settings unless it is a dry run');
  mkdirSync(options.out, { recursive: true }); // the delivery report is written there
  return underLedgerLock(options, err, async () => {
    const ledger = Ledger.open(options.ledger);
    const report: ReportEntry[] = [];
    const outgoing: Outgoing[] = [];
    const domain = messageDomain(sender.from);
    const seen = new Set<string>();
    for (const { message: m, rendered, eml } of items) {
      const base = { ...alertDeliveryKey(m), email: m.recipient.email };
      // The same recipient twice in an audience is told once.
      const key = `${base.scorecard}\0${base.period}\0${base.email.toLowerCase()}`;
      if (seen.has(key)) {
        report.push({ ...base, status: 'skipped', reason: 'the same notice is listed twice for this recipient in this run' });
        continue;
      }
      seen.add(key);
      const decision = decideAlert(ledger.get(base.scorecard, base.period, base.email), alertMessageId(m, domain));
      if (decision.action === 'skip') {
        report.push({ ...base, status: 'skipped', reason: decision.reason, message_id: decision.messageId });
        continue;
      }
      const resend = decision.action === 'resend';
      if (options.dryRun) {
        report.push({ ...base, status: 'would_send', message_id: decision.messageId, ...(resend ? { reason: 'resend: the earlier delivery is uncertain' } : {}) });
        continue;
      }
      const hash = noticeHash(m);
      outgoing.push({ ...base, eml, messageId: decision.messageId, contentHash: contentHash(rendered), valuesHash: hash, statusHash: hash, ...(resend ? { resend: true } : {}) });
    }
    return deliverAndReport(outgoing, report, ledger, options, env, err);
  });
}
