import { deliver, type Outcome, type Outgoing } from '../deliver/smtp.js';
import type { SmtpConfig } from '../deliver/smtp-settings.js';
import { composeEmail, messageDomain, type Sender } from '../deliver/compose.js';
import { contentHash, decide, statusHash, valuesHash } from '../deliver/decide.js';
import { Ledger } from '../deliver/ledger.js';
import { lockLedger, type LockHolder, type LockProcess } from '../deliver/ledger-lock.js';
import { appendJobSummary, writeDeliveryReport, type ReportEntry } from '../deliver/outbox.js';
import type { RenderedScorecard } from '../render/render.js';
import type { RecipientScorecard } from '../scorecard/view.js';
import type { ScorecardSpec } from '../spec/scorecard.js';
import { terminalText } from '../text/terminal.js';

/** A rendered recipient, as `kpiops run` hands it over for sending. */
export interface Sendable {
  card: RecipientScorecard;
  rendered: RenderedScorecard;
  eml: Buffer;
  when: NonNullable<ScorecardSpec['send']>['when'];
  date: Date;
}

export interface SendOptions {
  dryRun: boolean;
  only?: string;
  resendChanged: boolean;
  ledger: string;
  out: string;
  /** Where to send (checked before anything was rendered); absent in a dry run. */
  smtp?: SmtpConfig;
  /** How long to wait for another run that holds the ledger, in ms (10 minutes). */
  lockWaitMs?: number;
  /** This process, for the ledger's lock (its pid, and whether another holder is alive); needed unless it is a dry run. */
  lockProcess?: LockProcess;
}

/**
 * Decides, for each rendered recipient, whether it goes out (exactly once per scorecard,
 * period and recipient, and as the scorecard's `send.when` says), sends what must go, and
 * reports every recipient: sent, skipped (why), failed (why), unknown. Exit code 1 when any
 * recipient failed or is unknown, 2 on bad settings.
 */
export async function sendOutbox(items: readonly Sendable[], options: SendOptions, sender: Sender, env: NodeJS.ProcessEnv, err: NodeJS.WritableStream): Promise<number> {
  if (!options.dryRun && !options.smtp) throw new Error('sendOutbox needs the SMTP settings unless it is a dry run');
  let chosen = items;
  if (options.only !== undefined) {
    chosen = items.filter((i) => i.card.recipient.email.toLowerCase() === options.only!.toLowerCase());
    if (chosen.length === 0) {
      err.write(`kpiops: --only ${options.only}: no rendered scorecard goes to that address\n`);
      return 2;
    }
  }
  return underLedgerLock(options, err, () => decideAndSend(chosen, options, sender, env, err));
}

/**
 * Runs `send` holding the ledger's lock, so one run at a time reads the ledger, decides and
 * sends: otherwise two runs started together both find everyone owed. A dry run sends
 * nothing and takes no lock. Exit code 1 when another run held the lock for too long.
 */
export async function underLedgerLock(options: Pick<SendOptions, 'dryRun' | 'ledger' | 'lockWaitMs' | 'lockProcess'>, err: NodeJS.WritableStream, send: () => Promise<number>): Promise<number> {
  if (options.dryRun) return send();
  if (!options.lockProcess) throw new Error('sending needs the process for the ledger lock unless it is a dry run');
  const taken = await lockLedger(options.ledger, {
    self: options.lockProcess,
    waitMs: options.lockWaitMs ?? 600_000,
    onWait: (holder, file) => err.write(`kpiops: waiting for ${file}: ${holderText(holder)} is sending with this ledger\n`),
  });
  if ('busy' in taken) {
    err.write(`kpiops: ${taken.lockFile} is still held by ${holderText(taken.busy)} after ${Math.round((options.lockWaitMs ?? 600_000) / 1000)} s; nothing was sent. If no kpiops runs there any more, delete the lock file.\n`);
    return 1;
  }
  try {
    return await send();
  } finally {
    taken.lock.release();
  }
}

const holderText = (h: LockHolder | undefined) => (h ? `another run (pid ${h.pid} on ${h.host}, since ${h.since})` : 'another run');

async function decideAndSend(chosen: readonly Sendable[], options: SendOptions, sender: Sender, env: NodeJS.ProcessEnv, err: NodeJS.WritableStream): Promise<number> {
  const ledger = Ledger.open(options.ledger);
  const report: ReportEntry[] = [];
  const outgoing: Outgoing[] = [];
  const domain = messageDomain(sender.from);
  for (const item of chosen) {
    const { card } = item;
    const base = { scorecard: card.scorecard.id, period: card.period.label, email: card.recipient.email };
    const hashes = { contentHash: contentHash(item.rendered), valuesHash: valuesHash(card), statusHash: statusHash(card) };
    const decision = decide(ledger, { ...base, ...hashes, when: item.when ?? 'always' }, { resendChanged: options.resendChanged, domain });
    if (decision.action === 'skip') {
      report.push({ ...base, status: 'skipped', reason: decision.reason, ...(decision.messageId ? { message_id: decision.messageId } : {}) });
      continue;
    }
    const resend = decision.action === 'resend';
    if (options.dryRun) {
      report.push({ ...base, status: 'would_send', message_id: decision.messageId, ...(resend ? { reason: 'resend: the earlier delivery is uncertain' } : {}) });
      continue;
    }
    // A corrected version for the same period is composed again, with its own Message-ID.
    const eml = decision.action === 'revise' ? await composeEmail(card, item.rendered, sender, item.date, decision.revision) : item.eml;
    outgoing.push({ ...base, eml, messageId: decision.messageId, ...hashes, ...(resend ? { resend: true } : {}) });
  }
  return deliverAndReport(outgoing, report, ledger, options, env, err);
}

/**
 * Sends what was decided (nothing in a dry run), records each outcome in the ledger as it
 * comes, prints one line per recipient sent, failed or unknown, and writes the delivery
 * report next to the outbox. `report` holds what was skipped (or would be sent) already.
 * Exit code 1 when any recipient failed or is unknown.
 */
export async function deliverAndReport(outgoing: readonly Outgoing[], report: ReportEntry[], ledger: Ledger, options: Pick<SendOptions, 'dryRun' | 'ledger' | 'out' | 'smtp'>, env: NodeJS.ProcessEnv, err: NodeJS.WritableStream): Promise<number> {
  const config = options.smtp;
  let outcomes: Outcome[] = [];
  if (config && outgoing.length > 0) {
    const idOf = (o: { scorecard: string; period: string; email: string }) => `${o.scorecard}\0${o.period}\0${o.email}`;
    const ids = new Map(outgoing.map((o) => [idOf(o), o.messageId]));
    outcomes = await deliver(outgoing, config, ledger, (o) => err.write(terminalText(`  ${o.status === 'sent' ? '✔' : o.status === 'unknown' ? '?' : '✖'} ${o.email} ${o.scorecard} ${o.period}: ${o.status}${o.resend ? ' (resent with the same Message-ID: the earlier delivery was uncertain)' : ''}${o.status !== 'sent' ? ` — ${o.response}` : ''}`) + '\n'));
    for (const o of outcomes) {
      report.push({
        scorecard: o.scorecard, period: o.period, email: o.email, status: o.status, attempts: o.attempts, message_id: ids.get(idOf(o))!,
        ...(o.status !== 'sent' ? { reason: o.response ?? '' } : o.resend ? { reason: 'resent with the same Message-ID: the earlier delivery was uncertain' } : {}),
      });
    }
  }
  const count = (s: ReportEntry['status']) => report.filter((r) => r.status === s).length;
  const summary = options.dryRun
    ? `dry run: ${count('would_send')} would be sent, ${count('skipped')} skipped`
    : `${count('sent')} sent, ${count('skipped')} skipped, ${count('failed')} failed${count('unknown') ? `, ${count('unknown')} unknown (re-run to resend them with the same Message-ID)` : ''}`;
  const written = writeDeliveryReport(options.out, options.dryRun, summary, report);
  const unreachable = outcomes.filter((o) => o.unreachable);
  if (unreachable.length > 0) {
    const why = unreachable.find((o) => / \(gave up after/.test(o.response ?? ''))?.response ?? unreachable[0]!.response ?? '';
    err.write(`kpiops: ${terminalText(why.replace(/^not sent: /, ''))}: ${unreachable.length} of ${outcomes.length} recipients not sent, recorded as failed in ${options.ledger}; the next run sends them\n`);
  }
  err.write(`${count('failed') + count('unknown') > 0 ? '✖' : '✔'} ${summary} → ${written}\n`);
  for (const r of report.filter((x) => x.status === 'skipped')) err.write(terminalText(`  skipped ${r.email} ${r.scorecard} ${r.period}: ${r.reason}`) + '\n');
  if (env.GITHUB_STEP_SUMMARY) appendJobSummary(env.GITHUB_STEP_SUMMARY, report, summary);
  return count('failed') + count('unknown') > 0 ? 1 : 0;
}
