import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AlertMessage } from '../alerts/message.js';
import type { RenderedScorecard } from '../render/render.js';
import { markdownText } from '../text/markdown.js';
import { recipientSlug, writeAtomic } from './outbox.js';

/** One alert email, rendered and composed: what the outbox holds and what is sent. */
export interface AlertEmail {
  message: AlertMessage;
  rendered: RenderedScorecard;
  eml: Buffer;
}

/** One line of an alert outbox's `summary.json` (`alert-outbox/v1`). */
export interface AlertOutboxEntry {
  kind: AlertMessage['kind'];
  id: string;
  title: string;
  transition: AlertMessage['transition'];
  sequence: number;
  episode: string;
  recipient: string;
  email: string;
  subject: string;
  message_id: string;
  files: { eml: string; html: string; text: string; markdown: string };
}

/** The Message-ID the email was composed with (its header block ends at the first empty line). */
const messageIdOf = (eml: Buffer) => /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(eml.subarray(0, eml.indexOf('\r\n\r\n')).toString('latin1'))?.[1] ?? '';

/**
 * The folder of one notice: `<kind>-<id>/<transition>[-<sequence>]-<episode hash>`. An
 * episode's id holds a slice value and an instant, so it is hashed; the readable part says
 * what was told.
 */
function noticeFolder(out: string, m: AlertMessage): string {
  const episode = createHash('sha256').update(m.episode).digest('hex').slice(0, 12);
  const dir = join(out, `${m.kind}-${m.id}`, `${m.transition}${m.sequence > 0 ? `-${m.sequence}` : ''}-${episode}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Writes each alert email as `.eml`, `.html`, `.txt` and `.md` (what `kpiops alert` without
 * `--send` leaves to read), and `summary.json` and `summary.md`, the list a person opens first.
 * Returns the summary's entries.
 */
export function writeAlertOutbox(out: string, items: readonly AlertEmail[]): AlertOutboxEntry[] {
  const entries = items.map(({ message: m, rendered, eml }): AlertOutboxEntry => {
    const dir = noticeFolder(out, m);
    const slug = recipientSlug(m.recipient.email);
    const files = { eml: join(dir, `${slug}.eml`), html: join(dir, `${slug}.html`), text: join(dir, `${slug}.txt`), markdown: join(dir, `${slug}.md`) };
    writeAtomic(files.html, rendered.html);
    writeAtomic(files.text, rendered.text);
    writeAtomic(files.markdown, rendered.markdown);
    writeAtomic(files.eml, eml);
    return {
      kind: m.kind, id: m.id, title: m.title, transition: m.transition, sequence: m.sequence, episode: m.episode,
      recipient: m.recipient.name, email: m.recipient.email, subject: rendered.subject, message_id: messageIdOf(eml), files,
    };
  });
  mkdirSync(out, { recursive: true });
  writeAtomic(join(out, 'summary.json'), `${JSON.stringify({ version: 'alert-outbox/v1', entries }, null, 2)}\n`);
  const cell = markdownText;
  writeAtomic(join(out, 'summary.md'), [
    '# kpiops alerts', '',
    `${entries.length} ${entries.length === 1 ? 'email' : 'emails'}.`, '',
    '| alert | told | recipient | subject |', '|---|---|---|---|',
    ...entries.map((e) => `| ${e.kind} ${cell(e.id)} | ${cell(e.transition)}${e.sequence > 0 ? ` ${e.sequence}` : ''} | ${cell(e.recipient)} <${cell(e.email)}> | ${cell(e.subject)} |`),
    '',
  ].join('\n'));
  return entries;
}
