import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/demo-project.js';
import { startSmtp } from '../support/smtp.js';
import { removeTempDirs, smallCsvSample, tempDir } from '../support/snapshots.js';

/** Runs the CLI without blocking the event loop, so the SMTP server in this process can answer. */
function kpiops(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  const { GITHUB_ACTIONS: _, ...base } = process.env;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, 'dist/cli/main.js'), ...args], { env: { ...base, NO_COLOR: '1', ...env } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

let sample: string;
let server: Awaited<ReturnType<typeof startSmtp>>;
beforeAll(async () => {
  sample = await smallCsvSample();
  server = await startSmtp();
}, 60_000);
afterAll(async () => {
  await server?.close();
  removeTempDirs();
});

describe('kpiops run --send', () => {
  it('sends each brand lead their own scorecard once, with its HTML, text, inline charts and headers; a re-run sends nothing', async () => {
    const out = join(tempDir('kpiops-send-'), 'outbox');
    const summary = join(tempDir('kpiops-summary-'), 'summary.md');
    const env = {
      KPIOPS_SMTP_HOST: '127.0.0.1', KPIOPS_SMTP_PORT: String(server.port), KPIOPS_SMTP_FROM: 'Demo Pharma analytics <scorecards@demo-pharma.example>',
      KPIOPS_SMTP_REPLY_TO: 'analytics@demo-pharma.example', KPIOPS_SMTP_LIST_UNSUBSCRIBE: 'mailto:analytics@demo-pharma.example?subject=unsubscribe',
      KPIOPS_SMTP_BACKOFF_MS: '10', GITHUB_STEP_SUMMARY: summary,
    };
    const first = await kpiops(['run', '-p', REPO, '--snapshot', sample, '--scorecard', 'brand_monthly', '--out', out, '--send', '-q'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('✔ 3 sent, 0 skipped, 0 failed');
    const leads = ['clara.weiss@demo-pharma.example', 'luca.bianchi@demo-pharma.example', 'ines.navarro@demo-pharma.example'];
    expect(server.received.map((r) => r.email).sort()).toEqual([...leads].sort());
    for (const r of server.received) {
      const mail = await simpleParser(r.raw, { keepCidLinks: true });
      // The right recipient only, in the envelope and in the header.
      expect(mail.to && 'value' in mail.to ? mail.to.value.map((v) => v.address) : []).toEqual([r.email]);
      expect(mail.from?.value[0]?.address).toBe('scorecards@demo-pharma.example');
      expect(mail.replyTo?.value[0]?.address).toBe('analytics@demo-pharma.example');
      expect(r.raw.toString('latin1')).toMatch(/^List-Unsubscribe:\s+<mailto:analytics@demo-pharma.example\?subject=unsubscribe>\r$/m); // folded when long
      expect(mail.messageId).toMatch(/^<brand_monthly\.2026-10\.[0-9a-f]{32}@demo-pharma\.example>$/);
      expect(String(mail.html)).toContain('Brand monthly omnichannel scorecard');
      expect(mail.text).toContain('AT A GLANCE');
      const cids = [...String(mail.html).matchAll(/src="cid:([^"]+)"/g)].map((m) => m[1]);
      expect(cids.length).toBeGreaterThan(3);
      expect(new Set(mail.attachments.map((a) => a.cid))).toEqual(new Set(cids));
      expect(mail.attachments.every((a) => a.contentType === 'image/png' && a.content.subarray(1, 4).toString() === 'PNG')).toBe(true);
    }
    // Each lead sees their own brand.
    const brands = await Promise.all(server.received.map(async (r) => [r.email, /^Brand (\w+) · 2026-10 · for /m.exec(String((await simpleParser(r.raw)).text))?.[1]]));
    expect(Object.fromEntries(brands)).toEqual({ 'clara.weiss@demo-pharma.example': 'cardiora', 'luca.bianchi@demo-pharma.example': 'neurexa', 'ines.navarro@demo-pharma.example': 'pulmivo' });
    expect(readFileSync(summary, 'utf8')).toContain('## kpiops delivery');

    const again = await kpiops(['run', '-p', REPO, '--snapshot', sample, '--scorecard', 'brand_monthly', '--out', out, '--send', '-q'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('✔ 0 sent, 3 skipped, 0 failed');
    expect(again.stderr).toMatch(/skipped clara\.weiss@demo-pharma\.example brand_monthly 2026-10: already sent on 20\d\d-/);
    expect(server.received).toHaveLength(3);
    const report = JSON.parse(readFileSync(join(out, 'delivery-report.json'), 'utf8')) as { entries: Array<{ status: string }> };
    expect(report.entries.map((e) => e.status)).toEqual(['skipped', 'skipped', 'skipped']);
  });

  it('--dry-run decides without sending; --only picks one recipient; bad settings name the variable', async () => {
    const out = join(tempDir('kpiops-send-'), 'outbox');
    const dry = await kpiops(['run', '-p', REPO, '--snapshot', sample, '--scorecard', 'brand_monthly', '--out', out, '--dry-run', '--only', 'Luca.Bianchi@demo-pharma.example', '-q'], {});
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toContain('dry run: 1 would be sent, 0 skipped');
    const bad = await kpiops(['run', '-p', REPO, '--snapshot', sample, '--scorecard', 'brand_monthly', '--out', out, '--send', '-q'], { KPIOPS_SMTP_HOST: '127.0.0.1' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('kpiops: KPIOPS_SMTP_FROM is not set');
    const nobody = await kpiops(['run', '-p', REPO, '--snapshot', sample, '--scorecard', 'brand_monthly', '--out', out, '--dry-run', '--only', 'nobody@example.com', '-q'], {});
    expect(nobody).toMatchObject({ code: 2, stderr: expect.stringContaining('--only nobody@example.com: no rendered scorecard goes to that address') });
  });
});
