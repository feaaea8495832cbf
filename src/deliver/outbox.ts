import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RenderedScorecard } from '../render/render.js';
import type { RecipientScorecard } from '../scorecard/view.js';
import { markdownText } from '../text/markdown.js';

/** One line of the outbox's `summary.json`: a recipient's scorecard, rendered (its files) or skipped (why). */
export interface OutboxEntry {
  scorecard: string;
  period: string;
  recipient: string;
  email: string;
  status: 'rendered' | 'skipped';
  /** The email carries an n=1 HCP brief (a rep scorecard): it must not leave the rep's mailbox. */
  brief?: true;
  reason?: string;
  /** `csv`: a rep's full HCP list, attached to the email. */
  files?: { eml: string; html: string; text: string; markdown: string; csv?: string };
  subject?: string;
  html_bytes?: number;
  statuses?: Record<string, number>;
  suppressed?: number;
}

/** One recipient in the delivery report (`delivery-report.json`). */
export interface ReportEntry {
  scorecard: string;
  period: string;
  email: string;
  status: 'sent' | 'skipped' | 'failed' | 'unknown' | 'would_send';
  reason?: string;
  message_id?: string;
  attempts?: number;
}

/**
 * A recipient's file name: readable, plus a short hash of the address itself, so that
 * addresses the readable part cannot tell apart (`jonas-keller@x`, `jonas+keller@x`) never
 * share files. Lower case, as addresses are compared everywhere else (ledger, Message-ID).
 */
export const recipientSlug = (email: string) => {
  const address = email.toLowerCase();
  return `${address.replace(/@/, '_at_').replace(/[^a-z0-9._-]+/g, '-')}-${createHash('sha256').update(address).digest('hex').slice(0, 8)}`;
};

/** The folder of one scorecard's emails for one period. */
export function periodFolder(out: string, scorecard: string, period: string): string {
  const dir = join(out, scorecard, period);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes a file via a temporary name (unique to this write) and a rename, so a crash never leaves half a file. */
export function writeAtomic(path: string, data: string | Buffer) {
  const tmp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** The HTML page next to the .eml: the same email, with the charts as files beside it instead of CID parts. */
function pageHtml(html: string, files: string, attachments: RenderedScorecard['attachments']): string {
  let page = html;
  for (const a of attachments) page = page.replaceAll(`cid:${a.cid}`, `${files}/${a.filename}`);
  return page;
}

/** Writes a recipient's .eml, HTML page (with its charts), text, Markdown and HCP list, and returns their summary line. */
export function writeRecipient(dir: string, card: RecipientScorecard, rendered: RenderedScorecard, eml: Buffer, base: Omit<OutboxEntry, 'status'>): OutboxEntry {
  const slug = recipientSlug(card.recipient.email);
  const files = `${slug}.files`;
  mkdirSync(join(dir, files), { recursive: true });
  for (const a of rendered.attachments) writeAtomic(join(dir, files, a.filename), a.content);
  writeAtomic(join(dir, `${slug}.html`), pageHtml(rendered.html, files, rendered.attachments));
  writeAtomic(join(dir, `${slug}.txt`), rendered.text);
  writeAtomic(join(dir, `${slug}.md`), rendered.markdown);
  writeAtomic(join(dir, `${slug}.eml`), eml);
  // A rep's full HCP list, as attached to the email; one per recipient, like the other files.
  const csv = rendered.documents[0];
  if (csv) writeAtomic(join(dir, `${slug}.csv`), csv.content);
  const statuses: Record<string, number> = {};
  for (const row of card.groups.flatMap((g) => g.rows)) statuses[row.status.status] = (statuses[row.status.status] ?? 0) + 1;
  return {
    ...base, status: 'rendered', subject: rendered.subject, html_bytes: Buffer.byteLength(rendered.html), statuses, suppressed: card.suppressed,
    files: { eml: join(dir, `${slug}.eml`), html: join(dir, `${slug}.html`), text: join(dir, `${slug}.txt`), markdown: join(dir, `${slug}.md`), ...(csv ? { csv: join(dir, `${slug}.csv`) } : {}) },
  };
}

/** Names and values from YAML or data, in a cell of a Markdown table. */
const cell = markdownText;

/** Writes `summary.json` (outbox/v1) and `summary.md`, the list a person opens first. */
export function writeSummary(out: string, entries: readonly OutboxEntry[]) {
  mkdirSync(out, { recursive: true });
  writeAtomic(join(out, 'summary.json'), `${JSON.stringify({ version: 'outbox/v1', entries }, null, 2)}\n`);
  const lines = [
    '# kpiops outbox', '',
    `${entries.filter((e) => e.status === 'rendered').length} rendered, ${entries.filter((e) => e.status === 'skipped').length} skipped.`, '',
    '| scorecard | period | recipient | status | subject | HTML |', '|---|---|---|---|---|---:|',
    ...entries.map((e) => `| ${cell(e.scorecard)} | ${cell(e.period)} | ${cell(e.recipient)} <${cell(e.email)}> | ${e.status}${e.reason ? `: ${cell(e.reason)}` : ''} | ${cell(e.subject ?? '')} | ${e.html_bytes ? `${Math.round(e.html_bytes / 1024)} KB` : ''} |`),
    '',
  ];
  writeAtomic(join(out, 'summary.md'), lines.join('\n'));
}

/** Writes `delivery-report.json` beside the outbox and returns its path. */
export function writeDeliveryReport(out: string, dryRun: boolean, summary: string, entries: readonly ReportEntry[]): string {
  const path = join(out, 'delivery-report.json');
  writeFileSync(path, `${JSON.stringify({ version: 'delivery/v1', dry_run: dryRun, summary, entries }, null, 2)}\n`);
  return path;
}

/** Appends the delivery report to the Actions job summary (the first 200 recipients). */
export function appendJobSummary(file: string, report: readonly ReportEntry[], summary: string) {
  const shown = report.slice(0, 200);
  appendFileSync(file, [
    '## kpiops delivery', '', summary, '',
    '| recipient | scorecard | period | status | why |', '|---|---|---|---|---|',
    ...shown.map((r) => `| ${cell(r.email)} | ${cell(r.scorecard)} | ${cell(r.period)} | ${r.status} | ${cell(r.reason ?? '')} |`),
    ...(report.length > shown.length ? [`| … and ${report.length - shown.length} more | | | | |`] : []),
    '', '',
  ].join('\n'));
}
