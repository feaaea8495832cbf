import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { RecipientScorecard } from '../scorecard/view.js';
import type { AlertMessage } from '../alerts/message.js';
import type { RenderedScorecard } from '../render/render.js';
import { messageBytes } from './mime-bytes.js';

export interface Sender {
  from: string;
  replyTo?: string;
  /** A `List-Unsubscribe` target (mailto: or https: URL). */
  listUnsubscribe?: string;
}

/** The domain of a Message-ID: the sender's, so mailboxes see it as the sender's own message; `kpiops.invalid` when From has none. */
export const messageDomain = (from: string) => /@([^>\s]+)>?$/.exec(from)?.[1] ?? 'kpiops.invalid';

/**
 * The Message-ID of a recipient's scorecard for a period: the same on every run, so a
 * resend after an uncertain delivery can be recognised as the same message by mailboxes.
 */
export function messageId(scorecard: string, period: string, email: string, domain = 'kpiops.invalid', revision = 1): string {
  const key = createHash('sha256').update(`${scorecard}\0${period}\0${email.toLowerCase()}`).digest('hex').slice(0, 32);
  // A corrected scorecard for the same period (sent again on purpose) is a new message: its own ID.
  return `<${scorecard}.${period}.${key}${revision > 1 ? `.r${revision}` : ''}@${domain}>`;
}

/**
 * Each chart's own digest, taken once: a run's chart cache hands every recipient of a slice
 * the same PNG buffer, so 10,000 messages hash a few dozen charts rather than 90,000.
 */
const digests = new WeakMap<Buffer, Buffer>();
const digestOf = (content: Buffer) => {
  let d = digests.get(content);
  if (!d) digests.set(content, (d = createHash('sha256').update(content).digest()));
  return d;
};

const boundaryOf = (id: string, r: RenderedScorecard) => {
  const h = createHash('sha256').update(id);
  for (const part of [r.subject, r.html, r.text]) h.update(part).update('\0');
  // A binary part enters by its digest (the boundary changes whenever any byte of it does).
  for (const part of [...r.attachments.map((a) => a.content), ...r.documents.map((d) => d.content)]) h.update(typeof part === 'string' ? part : digestOf(part)).update('\0');
  return h.digest('hex').slice(0, 16);
};

/** The composed message's bytes: written in one pass, or streamed by nodemailer should the tree hold anything the one pass does not write. */
const bytesOf = (mail: MailComposer): Promise<Buffer> => {
  const root = mail.compile();
  const bytes = messageBytes(root);
  return bytes ? Promise.resolve(bytes) : root.build();
};

/** Builds the RFC 5322 message (.eml): HTML and text alternatives, the charts as inline CID images, documents (a rep's HCP list) as ordinary attachments. */
export const composeEmail = (card: RecipientScorecard, rendered: RenderedScorecard, sender: Sender, date: Date, revision = 1): Promise<Buffer> =>
  bytesOf(scorecardMail(card, rendered, sender, date, revision));

/** A scorecard's message as nodemailer composes it, before it becomes bytes. */
export function scorecardMail(card: RecipientScorecard, rendered: RenderedScorecard, sender: Sender, date: Date, revision = 1): MailComposer {
  const id = messageId(card.scorecard.id, card.period.label, card.recipient.email, messageDomain(sender.from), revision);
  return new MailComposer({
    from: sender.from,
    to: { name: card.recipient.name, address: card.recipient.email },
    ...(sender.replyTo ? { replyTo: sender.replyTo } : {}),
    subject: rendered.subject,
    messageId: id,
    date,
    // The MIME boundaries are made from the message itself, not at random: the same scorecard
    // composes to the same bytes, so outboxes of two runs can be compared with cmp. Bodies are
    // base64 (no `-` or `_`), so a boundary of hex between them can never occur inside a part.
    baseBoundary: boundaryOf(id, rendered),
    text: rendered.text,
    html: rendered.html,
    // Base64 instead of quoted-printable: about a third of the time to encode the HTML, the same in every mail client.
    textEncoding: 'base64',
    attachments: [
      ...rendered.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType, cid: a.cid, contentDisposition: 'inline' as const })),
      ...rendered.documents.map((d) => ({ filename: d.filename, content: d.content, contentType: d.contentType, contentDisposition: 'attachment' as const })),
    ],
    headers: {
      'X-Kpiops-Scorecard': card.scorecard.id,
      'X-Kpiops-Period': card.period.label,
      'X-Kpiops-Config': card.audit.config_hash,
      'X-Kpiops-Snapshot': `${card.audit.snapshot_id} ${card.audit.snapshot_checksum}`,
      ...(sender.listUnsubscribe ? { 'List-Unsubscribe': `<${sender.listUnsubscribe}>` } : {}),
    },
  });
}

/**
 * An alert email's delivery key, as the ledger keys it: `alert:<id>` or `feed:<source>` in
 * place of a scorecard, `<episode>#<transition>#<sequence>` in place of a period. Each key
 * goes to each recipient once, however often the evaluation runs.
 */
export const alertDeliveryKey = (m: Pick<AlertMessage, 'kind' | 'id' | 'episode' | 'transition' | 'sequence'>) => ({
  scorecard: `${m.kind}:${m.id}`,
  period: `${m.episode}#${m.transition}#${m.sequence}`,
});

/**
 * The Message-ID of one alert email: from its delivery key and recipient, so a resend after
 * an uncertain delivery is the same message to a mailbox. The episode (with a slice value and
 * an instant in it) is hashed; the readable part is the id and the transition.
 */
export function alertMessageId(m: Pick<AlertMessage, 'kind' | 'id' | 'episode' | 'transition' | 'sequence' | 'recipient'>, domain = 'kpiops.invalid'): string {
  const { scorecard, period } = alertDeliveryKey(m);
  const key = createHash('sha256').update(`${scorecard}\0${period}\0${m.recipient.email.toLowerCase()}`).digest('hex').slice(0, 32);
  return `<${m.kind}.${m.id}.${m.transition}${m.sequence > 0 ? `.${m.sequence}` : ''}.${key}@${domain}>`;
}

/**
 * Builds an alert email (.eml): HTML and text alternatives, no attachments, the same bytes for
 * the same message and date. A reminder or a recovery answers the episode's first email
 * (In-Reply-To, References), so a mail client shows an episode as one thread.
 */
export const composeAlertEmail = (m: AlertMessage, rendered: RenderedScorecard, sender: Sender, date: Date): Promise<Buffer> => bytesOf(alertMail(m, rendered, sender, date));

/** An alert email as nodemailer composes it, before it becomes bytes. */
export function alertMail(m: AlertMessage, rendered: RenderedScorecard, sender: Sender, date: Date): MailComposer {
  const domain = messageDomain(sender.from);
  const id = alertMessageId(m, domain);
  const first = m.transition === 'renotify' || m.transition === 'recovered' ? alertMessageId({ ...m, transition: 'firing', sequence: 0 }, domain) : undefined;
  return new MailComposer({
    from: sender.from,
    to: { name: m.recipient.name, address: m.recipient.email },
    ...(sender.replyTo ? { replyTo: sender.replyTo } : {}),
    subject: rendered.subject,
    messageId: id,
    ...(first ? { inReplyTo: first, references: [first] } : {}),
    date,
    baseBoundary: boundaryOf(id, rendered),
    text: rendered.text,
    html: rendered.html,
    textEncoding: 'base64',
    headers: {
      // A mail rule can file alerts and feed notices apart.
      [m.kind === 'feed' ? 'X-Kpiops-Feed' : 'X-Kpiops-Alert']: m.id,
      'X-Kpiops-Transition': m.transition,
      'X-Kpiops-Config': m.audit.config_hash,
      'X-Kpiops-Snapshot': `${m.audit.snapshot_id} ${m.audit.snapshot_checksum}`,
      ...(sender.listUnsubscribe ? { 'List-Unsubscribe': `<${sender.listUnsubscribe}>` } : {}),
    },
  });
}
