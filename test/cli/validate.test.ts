import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/demo-project.js';
import { kpiops } from '../support/cli.js';


const copies: string[] = [];
function projectCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kpiops-cli-'));
  for (const part of ['kpiops.yaml', 'channels', 'kpis', 'scorecards', 'templates', 'schemas']) cpSync(join(REPO, part), join(dir, part), { recursive: true });
  copies.push(dir);
  return dir;
}
afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function brokenProject(): string {
  const dir = projectCopy();
  const file = join(dir, 'kpis/email/email_ctr.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('unit: percent', 'unit: percnet'));
  return dir;
}

describe('kpiops validate', () => {
  it('exits 0 on the demo project and says what it checked', async () => {
    const run = await kpiops(['validate', '--project', REPO]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe('✔ 45 files valid (30 KPIs, 10 channels, 3 scorecards, 1 alert)\n');
  });

  it('exits 1 with file:line:col, a code frame and the code when a file is wrong', async () => {
    const run = await kpiops(['validate', '-p', brokenProject()]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('kpis/email/email_ctr.yaml\n  10:7    error  "percnet" is not allowed here; use one of: percent, ratio, count, score, currency. Did you mean "percent"?  schema/enum');
    expect(run.stdout).toContain('> 10 | unit: percnet\n         |       ^^^^^^^');
  });

  it('prints JSON with --format json', async () => {
    const run = await kpiops(['validate', '-p', brokenProject(), '--format', 'json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).diagnostics[0]).toMatchObject({ code: 'schema/enum', file: 'kpis/email/email_ctr.yaml', range: { start: { line: 9, character: 6 } } });
  });

  it('prints GitHub annotations by itself inside GitHub Actions', async () => {
    const run = await kpiops(['validate', '-p', brokenProject()], { GITHUB_ACTIONS: 'true' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error file=kpis\/email\/email_ctr\.yaml,line=10,col=7,/);
  });

  it.each([
    [['validate', '--format', 'xml'], /argument 'xml' is invalid/],
    [['validat'], /unknown command 'validat'/],
    [['validate', '--project', '/no/such/dir'], /\/no\/such\/dir is not a directory/],
  ])('exits 2 for a usage error: %j', async (args, message) => {
    const run = await kpiops(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('kpiops validate --snapshot and kpiops sample', () => {
  it('generates a sample and validates it clean (exit 0), then finds a broken copy (exit 1)', async () => {
    const dir = join(projectCopy(), 'snapshots', 'mini');
    const sample = await kpiops(['sample', '--out', dir, '--hcps', '100', '--months', '3', '--format', 'csv', '--quiet']);
    expect(sample).toMatchObject({ code: 0, stderr: '' });
    expect(sample.stdout).toMatch(/^✔ sample snapshot in .* hcps 100, interactions [\d,]+/);
    const clean = await kpiops(['validate', '--project', REPO, '--snapshot', dir]);
    expect(clean).toMatchObject({ code: 0, stderr: '' });
    expect(clean.stdout).toContain('8 tables loaded, every load check passed');
    writeFileSync(join(dir, 'content.csv'), readFileSync(join(dir, 'content.csv'), 'utf8').replace('email', 'webinar'));
    const broken = await kpiops(['validate', '--project', REPO, '--snapshot', dir, '--format', 'json']);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout).diagnostics.map((d: { code: string; table: string }) => [d.code, d.table])).toEqual([['snapshot/checksum', 'content'], ['snapshot/blocked-kpis', 'content']]);
  });

  it.each([
    [['sample', '--out', '/tmp/x', '--hcps', 'many'], /--hcps must be a whole number/],
    [['sample', '--out', '/tmp/x', '--end', '2026-13'], /--end must be a month/],
    [['sample'], /required option '-o, --out <dir>'/],
    [['validate', '--snapshot', '/no/such/snapshot'], /\/no\/such\/snapshot is not a directory/],
  ])('exits 2 for a usage error: %j', async (args, message) => {
    const run = await kpiops(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('a directory without snapshot.yaml is an error (exit 1)', async () => {
    const run = await kpiops(['validate', '--project', REPO, '--snapshot', join(REPO, 'docs')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('snapshot/missing-manifest');
  });
});

describe('unusual project layouts', () => {
  it('reads a KPI file that is a symbolic link', async () => {
    const dir = projectCopy();
    const file = join(dir, 'kpis/reach/reach.yaml');
    const target = join(dir, 'reach-shared.yaml');
    writeFileSync(target, readFileSync(file, 'utf8'));
    rmSync(file);
    symlinkSync(target, file);
    expect(await kpiops(['validate', '-p', dir])).toMatchObject({ code: 0 });
  });

  it('reports a kpis/ that is a file instead of a folder, without an internal error', async () => {
    const dir = projectCopy();
    rmSync(join(dir, 'kpis'), { recursive: true });
    writeFileSync(join(dir, 'kpis'), 'not a folder');
    const run = await kpiops(['validate', '-p', dir, '--format', 'json']);
    expect(run.code).toBe(1);
    const codes = JSON.parse(run.stdout).diagnostics.map((d: { code: string; message: string }) => [d.code, d.message]);
    expect(codes).toContainEqual(['file/unreadable', 'The file cannot be read: kpis is a file, but it must be a folder.']);
  });
});
