import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../src/cli/run.js';
import { BUILT_IN_TEMPLATES } from '../../src/source/templates.js';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { removeTempDirs, smallCsvSample, tempDir } from '../support/snapshots.js';

let sample: string;
beforeAll(async () => {
  sample = await smallCsvSample();
}, 60_000);
afterAll(removeTempDirs);

/** The demo project's YAML as a team would have it: no `templates/` folder. */
function projectWithoutTemplates(): string {
  const project = tempDir('kpiops-no-templates-');
  for (const part of ['kpiops.yaml', 'kpis', 'channels', 'scorecards']) cpSync(join(REPO, part), join(project, part), { recursive: true });
  return project;
}

const rendered = (out: string) => (JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { entries: OutboxEntry[] }).entries.filter((e) => e.status === 'rendered');

describe('built-in templates', () => {
  it('let a project without a templates folder validate, evaluate and send its scorecards', async () => {
    const project = projectWithoutTemplates();
    expect(existsSync(join(project, 'templates'))).toBe(false);
    const validate = await kpiops(['validate', '-p', project]);
    expect(validate.stdout + validate.stderr).not.toContain('unknown-template');
    expect(validate.code, validate.stdout).toBe(0);
    const evaluated = await kpiops(['eval', '-p', project, '--snapshot', sample, '--out', join(tempDir('kpiops-results-'), 'results.json'), '-q']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const out = tempDir('kpiops-outbox-');
    const run = await kpiops(['run', '-p', project, '--snapshot', sample, '--scorecard', 'brand_monthly', '--out', out, '-q']);
    expect(run.code, run.stderr).toBe(0);
    const entries = rendered(out);
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      expect(readFileSync(e.files!.html, 'utf8')).toMatch(/^<!doctype html>/i);
      expect(readFileSync(e.files!.text, 'utf8')).toContain('Brand monthly omnichannel scorecard');
    }
  });

  it('render both revisions in kpiops diff of a project without a templates folder', async () => {
    const project = projectWithoutTemplates();
    const env = { ...process.env, GIT_AUTHOR_NAME: 'Analyst', GIT_AUTHOR_EMAIL: 'analyst@example.com', GIT_COMMITTER_NAME: 'Analyst', GIT_COMMITTER_EMAIL: 'analyst@example.com' };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: project, env });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    const file = join(project, 'kpis/email/email_open_rate.yaml');
    // Every brand's open-rate target up 10 points (0.22 → 0.32 and so on).
    writeFileSync(file, readFileSync(file, 'utf8').replace(/value: 0\.2(\d)/g, 'value: 0.3$1'));
    git('commit', '-q', '-am', 'head');
    const diff = await kpiops(['diff', '-p', project, '--base', 'HEAD~1', '--snapshot', sample, '--format', 'json', '-q']);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).not.toContain('unknown-template');
    // The three brand leads get brand_monthly, which shows the email open rate against its new target.
    const recipients = (JSON.parse(diff.stdout) as { impact: { recipients: Array<{ scorecard: string }> } }).impact.recipients;
    expect(recipients.filter((r) => r.scorecard === 'brand_monthly')).toHaveLength(3);
  });

  it('are overridden file by file by a project template of the same name', async () => {
    const project = projectWithoutTemplates();
    // Only the HTML template is the project's: the text part still comes from the built-in one.
    mkdirSync(join(project, 'templates'));
    const builtIn = readFileSync(join(BUILT_IN_TEMPLATES, 'scorecard.mjml'), 'utf8');
    writeFileSync(join(project, 'templates/scorecard.mjml'), builtIn.replace(/<mj-body[^>]*>/, (body) => `${body}<mj-section><mj-column><mj-text>Made by the brand team</mj-text></mj-column></mj-section>`));
    expect(readFileSync(join(project, 'templates/scorecard.mjml'), 'utf8')).toContain('Made by the brand team');
    const out = tempDir('kpiops-outbox-');
    const run = await kpiops(['run', '-p', project, '--snapshot', sample, '--scorecard', 'brand_monthly', '--out', out, '-q']);
    expect(run.code, run.stderr).toBe(0);
    const entries = rendered(out);
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      expect(readFileSync(e.files!.html, 'utf8')).toContain('Made by the brand team');
      expect(readFileSync(e.files!.text, 'utf8')).not.toContain('Made by the brand team');
    }
  });

  it('are named when a scorecard asks for a template that is neither the project\'s nor built in', async () => {
    const project = projectWithoutTemplates();
    const file = join(project, 'scorecards/brand_monthly.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('template: scorecard', 'template: scorcard'));
    const validate = await kpiops(['validate', '-p', project]);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain('error  No template "scorcard": the project has no templates/scorcard.mjml and none is built in (built in: scorecard). Did you mean "scorecard"?  scorecard/unknown-template');
  });
});
