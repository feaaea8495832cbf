import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../src/cli/run.js';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { removeTempDirs, smallCsvSample, tempDir } from '../support/snapshots.js';
import { HOSTILE, TERMINAL_CONTROL } from '../text/hostile.js';

/** One name that tries everything: a terminal hyperlink, a screen clear, CR, a table row, a mention, a link. */
const EVIL = Object.values(HOSTILE).join(' ');
/** EVIL as a YAML double-quoted string, every control character written as an escape. */
const yamlString = (s: string) => `"${[...s].map((c) => (/[\x00-\x1f\x7f-\x9f\u202a-\u202e"\\]/.test(c) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join('')}"`;

/** What GitHub turns into a notification or a link, outside code spans (where it links nothing). */
const GITHUB_LINKS = /@[a-z0-9]|#\d|https?:\/\/|www\.|[a-z0-9]@[a-z0-9]/i;
const outsideCode = (markdown: string) => markdown.replace(/(`+)[^`]*?\1/g, '');
const rows = (markdown: string) => markdown.split(/\r\n|\r|\n/).filter((l) => l.startsWith('|'));
const cells = (row: string) => row.split(/(?<!\\)\|/).length - 2;

let sample: string;
beforeAll(async () => {
  sample = await smallCsvSample();
}, 60_000);
afterAll(removeTempDirs);

function project(): string {
  const dir = tempDir('kpiops-hostile-');
  for (const part of ['kpiops.yaml', 'channels', 'kpis', 'scorecards', 'templates']) cpSync(join(REPO, part), join(dir, part), { recursive: true });
  return dir;
}
function edit(dir: string, path: string, from: string, to: string) {
  const text = readFileSync(join(dir, path), 'utf8');
  if (!text.includes(from)) throw new Error(`${path} has no ${from}`);
  writeFileSync(join(dir, path), text.replace(from, to));
}

describe('names from a fork reach the outbox and the terminal as text', () => {
  it('kpiops run: a scorecard title and a recipient name break neither summary.md nor the terminal', async () => {
    const dir = project();
    edit(dir, 'scorecards/brand_monthly.yaml', 'title: Brand monthly omnichannel scorecard', `title: ${yamlString(EVIL)}`);
    edit(dir, 'scorecards/brand_monthly.yaml', 'name: Clara Weiss', `name: ${yamlString(EVIL)}`);
    const out = tempDir('kpiops-outbox-');
    const run = await kpiops(['run', '-p', dir, '--snapshot', sample, '--scorecard', 'brand_monthly', '--out', out, '-q']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(TERMINAL_CONTROL);
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).not.toMatch(TERMINAL_CONTROL);
    // The header, the separator and one row per brand lead: 3 + 2, each with the header's 6 cells.
    expect(rows(summary)).toHaveLength(5);
    for (const row of rows(summary)) expect(cells(row), row).toBe(6);
    expect(outsideCode(summary)).not.toMatch(/@[a-z0-9]|#\d|https?:\/\/|www\./i);
    // The recipient's own Markdown scorecard, as a GitHub job summary would show it.
    const clara = (JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { entries: OutboxEntry[] }).entries.find((e) => e.email.startsWith('clara'))!;
    const markdown = readFileSync(clara.files!.markdown, 'utf8');
    expect(markdown).not.toMatch(TERMINAL_CONTROL);
    expect(markdown).not.toContain('\r');
    expect(outsideCode(markdown)).not.toMatch(/@[a-z0-9]|#\d|https?:\/\/|www\./i);
  });

  it('kpiops diff --format md: a renamed KPI is shown in the pull-request comment without a mention, a link or a broken table', async () => {
    const dir = project();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@example.com', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@example.com' } });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    edit(dir, 'kpis/reach/reach.yaml', 'name: Reach', `name: ${yamlString(EVIL)}`);
    git('commit', '-q', '-am', 'head');
    const run = await kpiops(['diff', '-p', dir, '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'md', '-q']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('| `name` | `Reach` |');
    expect(run.stdout).not.toMatch(TERMINAL_CONTROL);
    for (const row of rows(run.stdout)) expect(cells(row), row).toBe(3);
    expect(outsideCode(run.stdout)).not.toMatch(GITHUB_LINKS);
  });

  it('kpiops validate: a value quoting a terminal hyperlink is printed as text', async () => {
    const dir = project();
    edit(dir, 'kpis/reach/reach.yaml', 'unit: percent', `unit: ${yamlString(EVIL)}`);
    const run = await kpiops(['validate', '-p', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('"␛]8;;http://evil␇click␛]8;;␇ ␛[2J�31m all good␍✖ forged name␊| x | y |');
    expect(run.stdout).not.toMatch(TERMINAL_CONTROL);
  });
});
