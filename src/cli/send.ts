import { createHash } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deliver, type Outcome, type Outgoing } from '../deliver/smtp.js';
import type { SmtpConfig } from '../deliver/smtp-settings.js';
import { Ledger } from '../deliver/ledger.js';
import { lockLedger, type LockHolder } from '../deliver/ledger-lock.js';
import { composeEmail, messageId, type Sender } from '../render/email.js';
import type { RenderedScorecard } from '../render/render.js';
import type { RecipientScorecard } from '../scorecard/model.js';
import type { ScorecardSpec } from '../spec/scorecard.js';
import { markdownText } from '../text/markdown.js';
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
}

export interface ReportEntry {
  scorecard: string;
  period: string;
  email: string;
  status: 'sent' | 'skipped' | 'failed' | 'unknown' | 'would_send';
  reason?: string;
  message_id?: string;
  attempts?: number;
}

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

/** The sender settings for composing: SMTP's From when sending, else the outbox default. */
export function senderOf(env: NodeJS.ProcessEnv, from?: string): Sender {
  const replyTo = env.KPIOPS_SMTP_REPLY_TO?.trim();
  const listUnsubscribe = env.KPIOPS_SMTP_LIST_UNSUBSCRIBE?.trim();
  return {
    from: from ?? (env.KPIOPS_SMTP_FROM?.trim() || env.KPIOPS_FROM?.trim() || 'kpiops <scorecards@kpiops.invalid>'),
    ...(replyTo ? { replyTo } : {}), ...(listUnsubscribe ? { listUnsubscribe } : {}),
  };
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
  if (options.dryRun) return decideAndSend(chosen, options, sender, env, err);
  // One run at a time reads the ledger, decides and sends: otherwise two runs started together both find everyone owed.
  const taken = await lockLedger(options.ledger, {
    waitMs: options.lockWaitMs ?? 600_000,
    onWait: (holder, file) => err.write(`kpiops: waiting for ${file}: ${holderText(holder)} is sending with this ledger\n`),
  });
  if ('busy' in taken) {
    err.write(`kpiops: ${taken.lockFile} is still held by ${holderText(taken.busy)} after ${Math.round((options.lockWaitMs ?? 600_000) / 1000)} s; nothing was sent. If no kpiops runs there any more, delete the lock file.\n`);
    return 1;
  }
  try {
    return await decideAndSend(chosen, options, sender, env, err);
  } finally {
    taken.lock.release();
  }
}

const holderText = (h: LockHolder | undefined) => (h ? `another run (pid ${h.pid} on ${h.host}, since ${h.since})` : 'another run');

async function decideAndSend(chosen: readonly Sendable[], options: SendOptions, sender: Sender, env: NodeJS.ProcessEnv, err: NodeJS.WritableStream): Promise<number> {
  const config = options.smtp;
  const ledger = Ledger.open(options.ledger);
  const report: ReportEntry[] = [];
  const outgoing: Outgoing[] = [];
  for (const item of chosen) {
    const { card } = item;
    const base = { scorecard: card.scorecard.id, period: card.period.label, email: card.recipient.email };
    const content = contentHash(item.rendered);
    const values = valuesHash(card);
    const statuses = statusHash(card);
    const latest = ledger.get(base.scorecard, base.period, base.email);
    let eml = item.eml;
    let id = messageId(base.scorecard, base.period, base.email, /@([^>\s]+)>?$/.exec(sender.from)?.[1] ?? 'kpiops.invalid');
    let resend = false;
    if (latest?.status === 'sent' && latest.content_hash === content) {
      report.push({ ...base, status: 'skipped', reason: `already sent on ${latest.at}`, message_id: latest.message_id });
      continue;
    }
    if (latest?.status === 'sent') {
      if (!options.resendChanged) {
        report.push({ ...base, status: 'skipped', reason: `changed since it was sent on ${latest.at}; --resend-changed sends the new version`, message_id: latest.message_id });
        continue;
      }
      // A corrected version for the same period: a new Message-ID, so no mailbox drops it as a duplicate.
      const revision = Number(/\.r(\d+)@/.exec(latest.message_id)?.[1] ?? 1) + 1;
      eml = await composeEmail(card, item.rendered, sender, item.date, revision);
      id = messageId(base.scorecard, base.period, base.email, /@([^>\s]+)>?$/.exec(sender.from)?.[1] ?? 'kpiops.invalid', revision);
    } else if (latest?.status === 'unknown') {
      // The earlier delivery may or may not have arrived: the same message again, same Message-ID.
      resend = true;
      id = latest.message_id;
    } else {
      const last = ledger.lastSentTo(base.scorecard, base.email);
      if (last && item.when === 'on_change' && last.values_hash === values) {
        report.push({ ...base, status: 'skipped', reason: `no value or status changed since ${last.period}` });
        continue;
      }
      if (last && item.when === 'on_status_change' && last.status_hash === statuses) {
        report.push({ ...base, status: 'skipped', reason: `no status changed since ${last.period}` });
        continue;
      }
    }
    if (options.dryRun) {
      report.push({ ...base, status: 'would_send', message_id: id, ...(resend ? { reason: 'resend: the earlier delivery is uncertain' } : {}) });
      continue;
    }
    outgoing.push({ ...base, eml, messageId: id, contentHash: content, valuesHash: values, statusHash: statuses, ...(resend ? { resend: true } : {}) });
  }
  let outcomes: Outcome[] = [];
  if (config && outgoing.length > 0) {
    const ids = new Map(outgoing.map((o) => [`${o.scorecard}\0${o.email}`, o.messageId]));
    outcomes = await deliver(outgoing, config, ledger, (o) => err.write(terminalText(`  ${o.status === 'sent' ? '✔' : o.status === 'unknown' ? '?' : '✖'} ${o.email} ${o.scorecard} ${o.period}: ${o.status}${o.resend ? ' (resent with the same Message-ID: the earlier delivery was uncertain)' : ''}${o.status !== 'sent' ? ` — ${o.response}` : ''}`) + '\n'));
    for (const o of outcomes) {
      report.push({
        scorecard: o.scorecard, period: o.period, email: o.email, status: o.status, attempts: o.attempts, message_id: ids.get(`${o.scorecard}\0${o.email}`)!,
        ...(o.status !== 'sent' ? { reason: o.response ?? '' } : o.resend ? { reason: 'resent with the same Message-ID: the earlier delivery was uncertain' } : {}),
      });
    }
  }
  const count = (s: ReportEntry['status']) => report.filter((r) => r.status === s).length;
  const summary = options.dryRun
    ? `dry run: ${count('would_send')} would be sent, ${count('skipped')} skipped`
    : `${count('sent')} sent, ${count('skipped')} skipped, ${count('failed')} failed${count('unknown') ? `, ${count('unknown')} unknown (re-run to resend them with the same Message-ID)` : ''}`;
  writeFileSync(join(options.out, 'delivery-report.json'), `${JSON.stringify({ version: 'delivery/v1', dry_run: options.dryRun, summary, entries: report }, null, 2)}\n`);
  const unreachable = outcomes.filter((o) => o.unreachable);
  if (unreachable.length > 0) {
    const why = unreachable.find((o) => / \(gave up after/.test(o.response ?? ''))?.response ?? unreachable[0]!.response ?? '';
    err.write(`kpiops: ${terminalText(why.replace(/^not sent: /, ''))}: ${unreachable.length} of ${outcomes.length} recipients not sent, recorded as failed in ${options.ledger}; the next run sends them\n`);
  }
  err.write(`${count('failed') + count('unknown') > 0 ? '✖' : '✔'} ${summary} → ${join(options.out, 'delivery-report.json')}\n`);
  for (const r of report.filter((x) => x.status === 'skipped')) err.write(terminalText(`  skipped ${r.email} ${r.scorecard} ${r.period}: ${r.reason}`) + '\n');
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, markdownReport(report, summary));
  return count('failed') + count('unknown') > 0 ? 1 : 0;
}

function markdownReport(report: readonly ReportEntry[], summary: string): string {
  const shown = report.slice(0, 200);
  return [
    '## kpiops delivery', '', summary, '',
    '| recipient | scorecard | period | status | why |', '|---|---|---|---|---|',
    ...shown.map((r) => `| ${markdownText(r.email)} | ${markdownText(r.scorecard)} | ${markdownText(r.period)} | ${r.status} | ${markdownText(r.reason ?? '')} |`),
    ...(report.length > shown.length ? [`| … and ${report.length - shown.length} more | | | | |`] : []),
    '', '',
  ].join('\n');
}
