import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/demo-project.js';
import { removeTempDirs, tempDir } from '../support/snapshots.js';

/**
 * The package as a team gets it: `npm pack` of this repository, installed into an empty
 * folder, and used with nothing but what a team writes itself (its package.json and YAML).
 */

/** What a team on Node 20 adds to its package.json, as the README says (Node 22+ needs none of it). */
const TEAM_OVERRIDES = { 'content-type': '2.1.0', nopt: '9.0.0' };

// npm run sets npm_config_* (the repository as local prefix among them): the team's npm must not see them.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'GITHUB_ACTIONS'));
const sh = (command: string, args: string[], cwd: string) => {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, all: `${r.stdout}${r.stderr}` };
};
const kpiops = (args: string[]) => sh('npx', ['--no', 'kpiops', ...args], team);

let team: string;
let tarball: string;
let install: ReturnType<typeof sh>;

beforeAll(() => {
  const work = tempDir('kpiops-packed-');
  // The tests build dist first (npm test's pretest); pack takes it as it is.
  const pack = sh('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--json'], REPO);
  expect(pack.code, pack.stderr).toBe(0);
  tarball = join(work, (JSON.parse(pack.stdout) as Array<{ filename: string }>)[0]!.filename);
  team = join(work, 'team');
  mkdirSync(team);
  writeFileSync(join(team, 'package.json'), JSON.stringify({ name: 'our-kpis', private: true, overrides: TEAM_OVERRIDES }, null, 2));
  // Packages come from the local cache when it has them, else from the registry.
  install = sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], team);
  expect(install.code, install.all).toBe(0);
}, 240_000);
// Removing the installed node_modules folders takes a while on a busy runner.
afterAll(removeTempDirs, 120_000);

/** A team's catalog: the channels its data has, two KPIs and one scorecard, without modelines and without templates. */
function writeTeamProject() {
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(team, path)), { recursive: true });
    writeFileSync(join(team, path), text);
  };
  write('kpiops.yaml', `version: kpiops/v1
name: Our brand team
journey:
  stages:
    - {id: awareness, name: Awareness}
    - {id: retention, name: Retention}
sources:
  hcps:
    entity: true
    key: hcp_id
    columns: {hcp_id: {type: string}, country: {type: string}, target: {type: boolean}}
  interactions:
    key: event_id
    time: occurred_at
    touch: message_id
    channel: channel
    event: event
    columns:
      event_id: {type: string}
      message_id: {type: string}
      hcp_id: {type: string, references: hcps}
      occurred_at: {type: timestamp}
      channel: {type: string}
      event: {type: string}
      brand: {type: string}
  responses:
    key: response_id
    time: responded_at
    columns:
      response_id: {type: string}
      hcp_id: {type: string, references: hcps}
      brand: {type: string}
      survey: {type: string}
      score: {type: number}
      responded_at: {type: timestamp}
`);
  const channels: Array<[string, string, string, string]> = [
    ['email', 'digital_self_service', 'push', 'opened, clicked'], ['banner', 'digital_self_service', 'push', 'clicked'],
    ['website', 'digital_self_service', 'pull', 'viewed, downloaded'], ['sample_portal', 'digital_self_service', 'pull', 'sample_requested'],
    ['rep_visit', 'in_person', 'push', 'visited, detailed'], ['congress', 'in_person', 'pull', 'visited, attended'],
    ['remote_detail', 'virtual', 'push', 'detailed'], ['webinar', 'virtual', 'pull', 'registered, attended'],
    ['whatsapp', 'virtual', 'push', 'replied'], ['call_center', 'virtual', 'pull', 'called'],
  ];
  for (const [id, modality, direction, events] of channels) {
    write(`channels/${id}.yaml`, `version: kpiops/v1
id: ${id}
name: ${id.replace('_', ' ')}
description: HCP interactions through ${id.replace('_', ' ')}.
owner: "@our-org/analytics"
modality: ${modality}
direction: ${direction}
weight: 1
engagement_events: [${events}]
stage_map: {${events.split(', ')[0]}: awareness}
`);
  }
  write('kpis/email/email_open_rate.yaml', `version: kpiops/v1
id: email_open_rate
name: Email open rate
description: Of the emails delivered, the share an HCP opened.
owner: "@our-org/analytics"
stages: [awareness]
indicator: leading
unit: percent
direction: higher
measure:
  kind: ratio
  numerator: {source: interactions, count: touches, where: {channel: email, event: opened}}
  denominator: {source: interactions, count: touches, where: {channel: email, event: delivered}}
dimensions: [brand]
target: {value: 0.25}
`);
  write('kpis/nps.yaml', `version: kpiops/v1
id: nps
name: Net Promoter Score
description: The share of HCPs who would recommend the brand (9–10) minus the share who would not (0–6).
owner: "@our-org/analytics"
stages: [retention]
indicator: lagging
unit: score
direction: higher
measure: {kind: score, source: responses, where: {survey: nps}, column: score, method: nps}
dimensions: [brand]
target: {value: 30}
thresholds: {mode: absolute, green: 30, amber: 20}
`);
  write('scorecards/brand_monthly.yaml', `version: kpiops/v1
id: brand_monthly
title: Brand monthly scorecard
description: Email opens and NPS per brand, for its brand lead.
owner: "@our-org/analytics"
grain: month
kpis: [email_open_rate, nps]
stages: [awareness, retention]
slice: [brand]
audience:
  - {name: Clara Weiss, email: clara.weiss@example.com, filter: {brand: cardiora}}
`);
}

interface JsonFinding { code: string; message: string; file: string }

describe('the packed kpiops package, installed into an empty folder', () => {
  it('installs without a warning on this Node: no EBADENGINE, no install script to approve', () => {
    expect(install.all).not.toMatch(/EBADENGINE|npm warn/);
    // The overrides a team adds are the ones the README gives and this package is tested with.
    expect(TEAM_OVERRIDES).toEqual((JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { overrides: unknown }).overrides);
    expect(JSON.parse(/"overrides": (\{[^}]*\})/.exec(readFileSync(join(REPO, 'README.md'), 'utf8'))?.[1] ?? '{}')).toEqual(TEAM_OVERRIDES);
  });

  it('ships the docs, schemas and templates its README links to', () => {
    const installed = join(team, 'node_modules/kpiops');
    expect(existsSync(join(installed, 'docs/README.md'))).toBe(true);
    expect(existsSync(join(installed, 'CHANGELOG.md'))).toBe(true);
    const readme = readFileSync(join(installed, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(((?:docs|schemas|templates)\/[^)#]*)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(3);
    for (const link of links) expect(existsSync(join(installed, link)), link).toBe(true);
    expect(readdirSync(join(installed, 'templates'))).toContain('scorecard.mjml');
  });

  it('ships the command once: the bundle and the precompiled schema validators, not the modules it was built from', () => {
    const dist = join(team, 'node_modules/kpiops/dist');
    expect(readdirSync(dist).sort()).toEqual(['bin', 'validate']);
    expect(readdirSync(join(dist, 'validate'))).toEqual(['validators.cjs']);
    expect(readdirSync(join(dist, 'bin'))).toContain('kpiops.js');
  });

  it('validates a team\'s project with no findings once each file starts with the modeline validate suggests', () => {
    writeTeamProject();
    const first = kpiops(['validate', '--format', 'json']);
    expect(first.code, first.all).toBe(0);
    const findings = (JSON.parse(first.stdout) as { diagnostics: JsonFinding[] }).diagnostics;
    // 1 kpiops.yaml + 10 channels + 2 KPIs + 1 scorecard, each missing only its modeline; no template is missing.
    expect(findings.map((f) => f.code)).toEqual(Array(14).fill('file/missing-modeline'));
    for (const f of findings) {
      const line = /Add as the first line: (# yaml-language-server: \$schema=(\S+))$/.exec(f.message)!;
      const depth = f.file.split('/').length - 1;
      expect(line[2]).toMatch(new RegExp(`^${'\\.\\./'.repeat(depth)}node_modules/kpiops/schemas/[a-z]+\\.schema\\.json$`));
      expect(existsSync(join(team, dirname(f.file), line[2]!)), `${f.file}: ${line[2]}`).toBe(true);
      writeFileSync(join(team, f.file), `${line[1]}\n${readFileSync(join(team, f.file), 'utf8')}`);
    }
    const second = kpiops(['validate']);
    expect(second).toMatchObject({ code: 0, stdout: '✔ 14 files valid (2 KPIs, 10 channels, 1 scorecard)\n' });
  }, 60_000);

  it('evaluates and renders the scorecard from the built-in template on a sample the package generates', () => {
    expect(existsSync(join(team, 'templates'))).toBe(false);
    const sample = kpiops(['sample', '--out', 'snapshots/sample', '--hcps', '300', '--months', '3', '-q']);
    expect(sample.code, sample.all).toBe(0);
    const modeline = /^# yaml-language-server: \$schema=(\S+)\n/.exec(readFileSync(join(team, 'snapshots/sample/snapshot.yaml'), 'utf8'));
    expect(modeline?.[1]).toBe('../../node_modules/kpiops/schemas/snapshot.schema.json');
    const evaluated = kpiops(['eval', '--snapshot', 'snapshots/sample', '--out', 'results.json', '-q']);
    expect(evaluated.code, evaluated.all).toBe(0);
    const results = JSON.parse(readFileSync(join(team, 'results.json'), 'utf8')) as { kpis: Array<{ id: string }> };
    expect(results.kpis.map((k) => k.id).sort()).toEqual(['email_open_rate', 'nps']);
    const run = kpiops(['run', '--snapshot', 'snapshots/sample', '--out', 'outbox', '-q']);
    expect(run.code, run.all).toBe(0);
    const summary = JSON.parse(readFileSync(join(team, 'outbox/summary.json'), 'utf8')) as { entries: Array<{ status: string; files?: { html: string } }> };
    expect(summary.entries.map((e) => e.status)).toEqual(['rendered']);
    const html = readFileSync(summary.entries[0]!.files!.html, 'utf8');
    // MJML compiled: the built-in template's layout, filled in with this team's scorecard.
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('Brand monthly scorecard');
    expect(html).toContain('Email open rate');
  }, 90_000);
});

describe('a team adopting kpiops from nothing: the packed package installed into an empty folder, then kpiops init', () => {
  it('scaffolds a repository that validates clean, samples, evaluates, renders, reviews a target change from git and keeps CODEOWNERS current', () => {
    const started = Date.now();
    const adopt = join(dirname(team), 'adopt');
    mkdirSync(adopt);
    const at = (args: string[]) => sh('npx', ['--no', 'kpiops', ...args], adopt);
    const installed = sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], adopt);
    expect(installed.code, installed.all).toBe(0);
    const init = at(['init', '--action-repo', 'acme/kpiops', '--owner', '@acme/omnichannel', '--name', 'Brand team']);
    expect(init.code, init.all).toBe(0);
    // npm install wrote package.json with kpiops as a dependency: init adds only the overrides.
    expect(init.stdout).toContain('  added to package.json: overrides.content-type 2.1.0, overrides.nopt 9.0.0\n');
    expect(JSON.parse(readFileSync(join(adopt, 'package.json'), 'utf8'))).toMatchObject({ dependencies: { kpiops: expect.stringMatching(/\.tgz$/) }, overrides: TEAM_OVERRIDES });
    const validate = at(['validate', '--format', 'json']);
    expect(validate.code, validate.all).toBe(0);
    expect((JSON.parse(validate.stdout) as { diagnostics: JsonFinding[] }).diagnostics).toEqual([]);
    for (const step of [['sample', '--out', 'snapshots/sample', '--hcps', '300', '--months', '13', '-q'], ['eval', '--snapshot', 'snapshots/sample', '--out', 'results.json', '-q'], ['run', '--snapshot', 'snapshots/sample', '-q']]) {
      const r = at(step);
      expect(r.code, `${step[0]}: ${r.all}`).toBe(0);
    }
    const summary = JSON.parse(readFileSync(join(adopt, 'out/outbox/summary.json'), 'utf8')) as { entries: Array<{ status: string }> };
    expect(summary.entries.map((e) => e.status)).toEqual(['rendered', 'rendered', 'rendered']);
    const git = (...args: string[]) => {
      const r = sh('git', ['-c', 'user.name=Analyst', '-c', 'user.email=analyst@example.com', '-c', 'commit.gpgsign=false', ...args], adopt);
      expect(r.code, r.all).toBe(0);
      return r;
    };
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'Start our KPIs with kpiops init');
    // .gitignore keeps installed packages, data and rendered emails out of the commit.
    expect(git('ls-files').stdout).not.toMatch(/node_modules|snapshots\/sample|out\/outbox|results\.json/);
    const reach = join(adopt, 'kpis/reach/reach.yaml');
    writeFileSync(reach, readFileSync(reach, 'utf8').replace(/^target:\n {2}value: 0\.88$/m, 'target:\n  value: 0.9'));
    git('commit', '-qam', 'Raise the reach target');
    const diff = at(['diff', '--base', 'HEAD~1']);
    expect(diff.code, diff.all).toBe(0);
    expect(diff.stdout).toContain('| `target.value` | `88.0%` | `90.0%` |');
    expect(at(['codeowners', '--check'])).toMatchObject({ code: 0, stderr: expect.stringContaining('is current') });
    const seconds = (Date.now() - started) / 1000;
    console.log(`adoption path: ${seconds.toFixed(1)} s`);
    expect(seconds).toBeLessThan(60);
  }, 120_000);
});
