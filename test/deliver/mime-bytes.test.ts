import { PassThrough } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { describe, expect, it } from 'vitest';
import { messageBytes } from '../../src/deliver/mime-bytes.js';

// Charts are PNG buffers a run shares between recipients: the same buffer in several messages.
const chart = Buffer.from(Array.from({ length: 700 }, (_, i) => (i * 37) % 256));
const other = Buffer.from(Array.from({ length: 58 }, (_, i) => (i * 11) % 256));
const base = {
  from: 'Demo Pharma analytics <scorecards@demo-pharma.example>',
  to: { name: 'Zoë O\'Brien <Smith & Co>', address: 'zoe@demo-pharma.example' },
  subject: 'Brand monthly — Brand cardiora, 2026-10: 6 on target, 7 near, 2 off, and a subject long enough to fold',
  messageId: '<brand_monthly.2026-10.0123456789abcdef@demo-pharma.example>',
  date: new Date('2026-11-02T05:00:00Z'),
  baseBoundary: '0123456789abcdef',
  text: 'Reach 43.8 % · target 44.0 %\n'.repeat(40),
  html: `<p>${'Réach <b>43.8 %</b> '.repeat(300)}<img src="cid:reach@kpiops"></p>`,
  textEncoding: 'base64' as const,
};
const streamed = async (options: ConstructorParameters<typeof MailComposer>[0]) => new MailComposer(options).compile().build();
const written = (options: ConstructorParameters<typeof MailComposer>[0]) => messageBytes(new MailComposer(options).compile());

describe('a message written in one pass', () => {
  it.each([
    ['HTML and text only', {}],
    ['inline charts, one of them twice under two Content-IDs, and a CSV list', {
      attachments: [
        { filename: 'reach.png', content: chart, contentType: 'image/png', cid: 'reach@kpiops', contentDisposition: 'inline' as const },
        { filename: 'reach-by-brand.png', content: chart, contentType: 'image/png', cid: 'reach-brand@kpiops', contentDisposition: 'inline' as const },
        { filename: 'nps.png', content: other, contentType: 'image/png', cid: 'nps@kpiops', contentDisposition: 'inline' as const },
        { filename: 'hcps-DE-T01-2026-10.csv', content: Buffer.from('hcp,name\r\nH1,"Müller, Jonas"\r\n'), contentType: 'text/csv; charset=utf-8', contentDisposition: 'attachment' as const },
      ],
    }],
    ['a file name to encode, reply-to and extra headers', {
      replyTo: 'analytics@demo-pharma.example',
      headers: { 'X-Kpiops-Scorecard': 'brand_monthly', 'List-Unsubscribe': '<mailto:unsubscribe@demo-pharma.example>' },
      attachments: [{ filename: 'Kontakte Zoë (März).csv', content: Buffer.from('a,b\r\n'), contentType: 'text/csv; charset=utf-8', contentDisposition: 'attachment' as const }],
    }],
    ['text only, no HTML', { html: undefined }],
  ])('%s: the bytes nodemailer streams', async (_, extra) => {
    const options = { ...base, ...extra };
    const bytes = written(options);
    expect(bytes?.toString('latin1')).toBe((await streamed(options)).toString('latin1'));
  });

  it('a chart kept from one message is written with the Content-ID and the file name of the next', async () => {
    const message = (filename: string, cid: string) => ({ ...base, attachments: [{ filename, content: chart, contentType: 'image/png', cid, contentDisposition: 'inline' as const }] });
    written(message('reach.png', 'first@kpiops'));
    // The same chart under another Content-ID, then under another file name.
    for (const [next, want, not] of [[message('reach.png', 'second@kpiops'), 'Content-ID: <second@kpiops>', 'first@kpiops'], [message('trend.png', 'first@kpiops'), 'filename=trend.png', 'reach.png']] as const) {
      const bytes = written(next)?.toString('latin1') ?? '';
      expect(bytes).toContain(want);
      expect(bytes).not.toContain(not);
      expect(bytes).toBe((await streamed(next)).toString('latin1'));
    }
  });

  it('leaves to nodemailer what it does not write itself: a stream, or text sent as it is', async () => {
    expect(written({ ...base, attachments: [{ filename: 'a.bin', content: new PassThrough() }] })).toBeUndefined();
    // Plain short ASCII text with no encoding asked for goes out 7bit: not written here.
    expect(written({ ...base, html: undefined, text: 'plain', textEncoding: undefined })).toBeUndefined();
  });
});
