import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertMail, alertMessageId, composeAlertEmail, type Sender } from '../../src/deliver/compose.js';
import { alertSubject, renderAlert } from '../../src/render/alert.js';
import { compileTemplateSource, validateMjml, type CompiledTemplates } from '../../src/render/render.js';
import { templateSource } from '../../src/source/templates.js';
import { removeTempDirs, tempDir } from '../support/snapshots.js';
import { firing, recovered, reminder } from './messages.js';

afterAll(removeTempDirs);

let templates: CompiledTemplates;
beforeAll(async () => {
  templates = await compileTemplateSource('alert', templateSource());
});

const sender: Sender = { from: 'Demo Pharma analytics <alerts@demo-pharma.example>', listUnsubscribe: 'mailto:analytics@demo-pharma.example?subject=unsubscribe' };
const date = new Date('2026-12-04T06:00:05.000Z');

// Everything a title or a slice value from YAML or data may try: HTML, a GitHub mention, a
// header break (a Bcc smuggled in), a terminal escape (red text).
const HOSTILE = 'Opens <img src=x onerror=alert(1)> @demo-pharma/everyone\r\nBcc: evil@attacker.example \u001b[31mred';
const hostile = () => firing({ title: HOSTILE, slice_label: `Brand ${HOSTILE}`, recipient: { name: 'Luca\r\nBcc: evil@attacker.example', email: 'luca.bianchi@demo-pharma.example' } });

describe('an alert email, rendered', () => {
  it('comes from valid MJML', async () => {
    expect(await validateMjml('alert', templateSource())).toEqual([]);
  });

  it('says what is told in the subject: the transition, the title, the slice and the KPI', () => {
    expect(alertSubject(firing())).toBe('Firing: Email opens collapse — Brand neurexa: Email open rate');
    expect(alertSubject(recovered())).toBe('Recovered: Email opens collapse — Brand neurexa: Email open rate');
    expect(alertSubject(reminder())).toBe('Still firing (reminder 1): Email opens collapse — Brand neurexa: Email open rate');
    // A feed's notice has no slice: the subject leaves it out rather than show an empty part.
    expect(alertSubject(firing({ kind: 'feed', id: 'interactions', title: 'Interactions feed', transition: 'no_data', transition_label: 'No data', slice_label: '', what_label: 'freshness' }))).toBe('No data: Interactions feed — freshness');
  });

  it('shows the detail, since when, the period judged, what to do, the scorecards to read and the audit footer in every part', () => {
    const r = renderAlert(templates, firing());
    expect(r.attachments).toEqual([]);
    expect(r.documents).toEqual([]);
    for (const part of [r.html, r.text, r.markdown]) {
      expect(part).toContain('Email open rate fell 9.0 pp from 21.0% in 2026-10 to 12.0% in 2026-11');
      expect(part).toContain('Firing since 4 Dec 2026 · period judged: 2026-11');
      expect(part).toContain('The scorecard showing Email open rate for Brand neurexa:');
      expect(part).toContain('Brand monthly scorecard (2026-11)');
      expect(part).toContain('configuration cccccccccccc');
      expect(part).toContain('evaluated 2026-12-04 06:00 UTC');
    }
    // The description's two YAML lines are one paragraph: a line break there is only where the file was wrapped.
    expect(r.text).toContain('WHAT TO DO\nA brand\'s email open rate fell further in a month than it has moved month to month before: check the sender reputation');
    expect(r.html).toContain('<h2 style="font-size:16px;line-height:22px;margin:0 0 4px">What to do</h2>');
    // The recovery says the episode is over, in green, and the description is what the alert is about.
    const back = renderAlert(templates, recovered());
    expect(back.text).toMatch(/^RECOVERED: Email opens collapse\n/);
    expect(back.text).toContain('Had been firing since 4 Dec 2026 · period judged: 2026-12');
    expect(back.text).toContain('ABOUT THIS ALERT');
    expect(back.html).toContain('<span class="k-green" style="color:#1e7b34">✓ Recovered</span>');
    expect(back.html).toContain('border-left:4px solid #1e7b34');
    expect(renderAlert(templates, firing()).html).toContain('border-left:4px solid #b42318');
  });

  it('escapes a hostile title and slice value: no HTML, mention, header break or terminal escape gets through', async () => {
    const r = renderAlert(templates, hostile());
    expect(r.subject).toBe('Firing: Opens <img src=x onerror=alert(1)> @demo-pharma/everyone␍␊Bcc: evil@attacker.example ␛[31mred — Brand Opens <img src=x onerror=alert(1)> @demo-pharma/everyone␍␊Bcc: evil@attacker.example ␛[31mred: Email open rate');
    for (const part of [r.subject, r.html, r.text, r.markdown]) {
      expect(part).not.toContain('\u001b');
      expect(part).not.toContain('\r');
    }
    // The subject and the text part are plain text: shown as typed. HTML and Markdown escape it.
    expect(r.html).not.toContain('<img src=x');
    expect(r.markdown).not.toMatch(/(^|[^\\])<img src=x/m);
    expect(r.html).toContain('Opens &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; @demo-pharma/everyone␍␊Bcc: evil@attacker.example ␛[31mred');
    expect(r.text).toContain('FIRING: Opens <img src=x onerror=alert(1)> @demo-pharma/everyone␍␊Bcc: evil@attacker.example ␛[31mred\n');
    // Markdown: HTML escaped, the mention broken by a word joiner (U+2060) so GitHub notifies nobody.
    expect(r.markdown).toContain('## ✗ Firing: Opens \\<img src=x onerror=alert(1)\\> @\u2060demo-pharma/everyone␍␊Bcc: evil@\u2060attacker.example ␛\\[31mred\n');
    expect(r.markdown).not.toMatch(/(^|[^\u2060\\])@demo-pharma/m);
    // In the message, the header break stays inside the subject and the To name: no Bcc header appears.
    const mail = await simpleParser(await composeAlertEmail(hostile(), r, sender, date));
    expect(mail.bcc).toBeUndefined();
    expect(mail.headers.has('bcc')).toBe(false);
    expect(mail.subject).toBe(r.subject);
    expect(mail.to && 'value' in mail.to ? mail.to.value.map((v) => v.address) : []).toEqual(['luca.bianchi@demo-pharma.example']);
  });

  it("a project's own templates/alert.* replace the built-in ones file by file", async () => {
    const dir = tempDir('kpiops-alert-templates-');
    mkdirSync(join(dir, 'templates'), { recursive: true });
    writeFileSync(join(dir, 'templates', 'alert.txt.hbs'), 'OURS {{line title}}: {{line detail}}\n');
    const own = await compileTemplateSource('alert', templateSource(join(dir, 'templates')));
    const r = renderAlert(own, firing());
    expect(r.text).toBe('OURS Email opens collapse: Email open rate fell 9.0 pp from 21.0% in 2026-10 to 12.0% in 2026-11, more than 3 spreads (3 × 2.5 pp = 7.5 pp).\n');
    expect(r.html).toContain('What to do'); // the built-in MJML still
  });
});

describe('an alert email, composed', () => {
  it('is the same bytes when composed twice', async () => {
    const r = renderAlert(templates, firing());
    const a = await composeAlertEmail(firing(), r, sender, date);
    const b = await composeAlertEmail(firing(), renderAlert(templates, firing()), sender, date);
    expect(a.equals(b)).toBe(true);
  });

  it('is written in one pass byte for byte as nodemailer streams it, for a firing and for a recovery that threads under it', async () => {
    for (const m of [firing(), recovered()]) {
      const r = renderAlert(templates, m);
      const streamed = await alertMail(m, r, sender, date).compile().build();
      expect((await composeAlertEmail(m, r, sender, date)).toString('latin1')).toBe(streamed.toString('latin1'));
    }
  });

  it('carries its Message-ID from the delivery key, the alert and transition headers, List-Unsubscribe, and threads a recovery under its firing', async () => {
    const first = await simpleParser(await composeAlertEmail(firing(), renderAlert(templates, firing()), sender, date));
    expect(first.messageId).toMatch(/^<alert\.email_opens_collapse\.firing\.[0-9a-f]{32}@demo-pharma\.example>$/);
    expect(first.messageId).toBe(alertMessageId(firing(), 'demo-pharma.example'));
    expect(first.headers.get('x-kpiops-alert')).toBe('email_opens_collapse');
    expect(first.headers.get('x-kpiops-transition')).toBe('firing');
    expect(first.inReplyTo).toBeUndefined();
    expect(first.text).toContain('FIRING: Email opens collapse');
    expect(String(first.html)).toContain('Email opens collapse</h1>');
    expect((await composeAlertEmail(firing(), renderAlert(templates, firing()), sender, date)).toString('latin1')).toMatch(/^List-Unsubscribe:\s+<mailto:analytics@demo-pharma.example\?subject=unsubscribe>\r$/m);

    const back = await simpleParser(await composeAlertEmail(recovered(), renderAlert(templates, recovered()), sender, date));
    expect(back.messageId).toMatch(/^<alert\.email_opens_collapse\.recovered\.[0-9a-f]{32}@demo-pharma\.example>$/);
    expect(back.inReplyTo).toBe(first.messageId);
    expect(back.headers.get('x-kpiops-transition')).toBe('recovered');

    const again = await simpleParser(await composeAlertEmail(reminder(), renderAlert(templates, reminder()), sender, date));
    expect(again.messageId).toMatch(/^<alert\.email_opens_collapse\.renotify\.1\.[0-9a-f]{32}@demo-pharma\.example>$/);
    expect(again.inReplyTo).toBe(first.messageId);
    // Every part of the key counts: another recipient, episode or reminder is another message.
    const ids = new Set([
      alertMessageId(firing()), alertMessageId(reminder()), alertMessageId(reminder({ sequence: 2 })), alertMessageId(recovered()),
      alertMessageId(firing({ episode: 'email_opens_collapse|brand=neurexa|2027-02-04T06:00:00.000Z' })),
      alertMessageId(firing({ recipient: { name: 'Clara Weiss', email: 'clara.weiss@demo-pharma.example' } })),
      alertMessageId(firing({ kind: 'feed' })),
    ]);
    expect(ids.size).toBe(7);
    // An address is compared in lower case, as the ledger compares it.
    expect(alertMessageId(firing({ recipient: { name: 'Luca', email: 'Luca.Bianchi@Demo-Pharma.example' } }))).toBe(alertMessageId(firing()));
  });

  it("a feed's notice says so in its own header", async () => {
    const feed = firing({ kind: 'feed', id: 'interactions', title: 'Interactions feed', transition: 'no_data', transition_label: 'No data', slice_label: '', what_label: 'freshness', scorecards: [] });
    const mail = await simpleParser(await composeAlertEmail(feed, renderAlert(templates, feed), sender, date));
    expect(mail.headers.get('x-kpiops-feed')).toBe('interactions');
    expect(mail.headers.has('x-kpiops-alert')).toBe(false);
    expect(mail.messageId).toMatch(/^<feed\.interactions\.no_data\.[0-9a-f]{32}@demo-pharma\.example>$/);
    expect(mail.text).not.toContain('READ MORE');
    // A source's monitor shows on no scorecard slice: "read more" names the scorecards without a slice.
    const shown = renderAlert(templates, { ...feed, scorecards: [{ id: 'ops', title: 'Data operations', period: '2026-12-04' }] });
    expect(shown.text).toContain('READ MORE\nThe scorecard showing freshness:\n- Data operations (2026-12-04)\n');
  });
});
