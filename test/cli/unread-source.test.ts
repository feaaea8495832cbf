import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { initCommand } from '../../src/cli/init.js';
import type { Results } from '../../src/spec/results.js';
import { kpiops, type CliRun } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { readManifest, removeTempDirs, smallCsvSample, tempDir } from '../support/snapshots.js';

afterAll(removeTempDirs);

/** The demo project without its next-best-action KPIs, plus the suggestion KPIs named. */
function demoWithout(nba: readonly string[] = []): string {
  const dir = tempDir('kpiops-no-nba-');
  for (const part of ['kpiops.yaml', 'channels', 'kpis', 'scorecards', 'templates']) cpSync(join(REPO, part), join(dir, part), { recursive: true });
  for (const file of readdirSync(join(dir, 'kpis/nba'))) if (!nba.includes(file.replace(/\.yaml$/, ''))) rmSync(join(dir, 'kpis/nba', file));
  return dir;
}

/** A copy of a sample snapshot, with the suggestions file removed when asked, sealed again by the CLI. */
async function resealed(sample: string, project: string, withoutSuggestions: boolean): Promise<{ dir: string; seal: CliRun }> {
  const dir = tempDir('kpiops-snapshot-');
  cpSync(sample, dir, { recursive: true });
  if (withoutSuggestions) rmSync(join(dir, readManifest(dir).tables.recommendations!.file));
  rmSync(join(dir, 'snapshot.yaml'));
  const seal = await kpiops(['snapshot', 'seal', '-p', project, dir, '--as-of', readManifest(sample).as_of]);
  return { dir, seal };
}

const evaluate = async (project: string, snapshot: string) => {
  const out = join(tempDir('kpiops-results-'), 'results.json');
  const run = await kpiops(['eval', '-p', project, '--snapshot', snapshot, '--period', '2026-10', '--out', out, '-q']);
  return { run, results: run.code === 2 ? undefined : (JSON.parse(readFileSync(out, 'utf8')) as Results) };
};

const NOTE = 'ℹ The snapshot has no file for recommendations and no KPI or scorecard reads it, so it is left out.';

describe('a source declared in kpiops.yaml that no KPI reads, with no file in the snapshot', () => {
  it('is left out by seal, validate and eval, once each, and every other KPI keeps the value it has with the file', async () => {
    const project = demoWithout();
    const sample = await smallCsvSample();
    const full = await resealed(sample, project, false);
    const left = await resealed(sample, project, true);
    expect(full.seal.code, full.seal.stdout).toBe(0);
    expect(left.seal.code, left.seal.stdout).toBe(0);
    expect(left.seal.stdout.match(/^ℹ .*$/gm)).toEqual(['ℹ recommendations: no file, and nothing reads it, so it is left out']);
    expect(Object.keys(readManifest(left.dir).tables)).not.toContain('recommendations');
    expect((await kpiops(['snapshot', 'seal', '--check', '-p', project, left.dir])).code).toBe(0);

    const validate = await kpiops(['validate', '-p', project, '--snapshot', left.dir]);
    expect(validate.code, validate.stdout).toBe(0);
    expect(validate.stdout.match(/^ℹ .*$/gm)).toEqual([NOTE]);

    const withFile = await evaluate(project, full.dir);
    const without = await evaluate(project, left.dir);
    expect(without.run.code, without.run.stderr).toBe(0);
    expect(without.run.stderr.match(/^ℹ .*$/gm)).toEqual([NOTE]);
    expect(without.results!.blocked).toEqual([]);
    // Every KPI of the demo but the suggestion ones, computed to the same slices and values.
    expect(without.results!.kpis.length).toBeGreaterThan(20);
    expect(without.results!.kpis).toEqual(withFile.results!.kpis);

    // The rep scorecard's brief reads interactions and HCPs, not suggestions: it renders.
    const run = await kpiops(['run', '-p', project, '--snapshot', left.dir, '--scorecard', 'rep_weekly', '--period', '2026-W43', '--out', tempDir('kpiops-outbox-'), '-q']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.match(/^ℹ .*$/gm)).toEqual([NOTE]);

    // A file the manifest names is still needed by --check, read or not.
    const gone = tempDir('kpiops-snapshot-');
    cpSync(full.dir, gone, { recursive: true });
    rmSync(join(gone, readManifest(gone).tables.recommendations!.file));
    const check = await kpiops(['snapshot', 'seal', '--check', '-p', project, gone]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('recommendations error  Table recommendations: its file recommendations.csv is not in the snapshot.  snapshot/missing-file');
  }, 120_000);

  it('is named with the suggestion KPI that reads it once that KPI is added, and the other KPIs are still computed', async () => {
    const project = demoWithout(['suggestion_action_rate']);
    const sample = await smallCsvSample();
    const left = await resealed(sample, demoWithout(), true);
    const validate = await kpiops(['validate', '-p', project, '--snapshot', left.dir]);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain('recommendations error  The snapshot has no table recommendations, which KPI suggestion_action_rate (its source) reads. Add its file to the snapshot, or change what reads it; the KPIs that do not are computed.  snapshot/table-needed');
    expect(validate.stdout).not.toContain('ℹ');
    const { run, results } = await evaluate(project, left.dir);
    expect(run.code).toBe(1);
    expect(results!.blocked).toEqual([{ kpi: 'suggestion_action_rate', table: 'recommendations' }]);
    expect(results!.kpis.map((k) => k.id)).not.toContain('suggestion_action_rate');
    expect(results!.kpis.map((k) => k.id)).toContain('reach');
    // Seal refuses too: the file is needed.
    const dir = tempDir('kpiops-snapshot-');
    cpSync(left.dir, dir, { recursive: true });
    rmSync(join(dir, 'snapshot.yaml'));
    const seal = await kpiops(['snapshot', 'seal', '-p', project, dir, '--as-of', '2026-11-01T00:00:00Z']);
    expect(seal.code).toBe(1);
    expect(seal.stdout).toContain('snapshot/no-file');
  }, 120_000);
});

describe('a project made by kpiops init', () => {
  it('seals and validates a snapshot without the suggestions file its starter catalog never reads', async () => {
    const dir = tempDir('kpiops-init-');
    const quiet = { write: () => true } as unknown as NodeJS.WritableStream;
    expect(await initCommand(dir, { actionRepo: 'acme/kpiops', owner: '@acme/omnichannel' }, { out: quiet, err: quiet })).toBe(0);
    expect(readFileSync(join(dir, 'kpiops.yaml'), 'utf8')).toContain('  recommendations:');
    const snapshot = join(dir, 'snapshots/sample');
    expect((await kpiops(['sample', '-p', dir, '--out', snapshot, '--hcps', '200', '--months', '4', '-q'])).code).toBe(0);
    rmSync(join(snapshot, readManifest(snapshot).tables.recommendations!.file));
    rmSync(join(snapshot, 'snapshot.yaml'));
    const seal = await kpiops(['snapshot', 'seal', '-p', dir, snapshot]);
    expect(seal.code, seal.stdout).toBe(0);
    const validate = await kpiops(['validate', '-p', dir, '--snapshot', snapshot]);
    expect(validate.code, validate.stdout).toBe(0);
    expect(validate.stdout.match(/^ℹ .*$/gm)).toEqual([NOTE]);
  }, 120_000);
});

describe('a source nothing reads, built from two exports of which only one has a file', () => {
  /** The call-log example with no KPI, and its interactions built from this year's log and last year's. */
  function twoExports(): string {
    const dir = tempDir('kpiops-two-logs-');
    cpSync(join(REPO, 'test/fixtures/exports/calls'), dir, { recursive: true });
    rmSync(join(dir, 'kpis'), { recursive: true });
    const file = join(dir, 'kpiops.yaml');
    const project = parse(readFileSync(file, 'utf8')) as { sources: { interactions: { exports: Record<string, unknown> } } };
    const { exports } = project.sources.interactions;
    exports.call_log_2025 = exports.call_log;
    writeFileSync(file, stringify(project));
    return dir;
  }

  it('is a partial delivery, not a source left out: loading names the missing export', async () => {
    const dir = twoExports();
    const run = await kpiops(['validate', '-p', dir, '--snapshot', join(dir, 'snapshot')]);
    expect(run.code, run.stdout).toBe(1);
    expect(run.stdout).toContain('call_log_2025 error  The snapshot has no table call_log_2025, which source interactions needs.  snapshot/missing-table');
    expect(run.stdout).not.toContain('left out');
  });

  it('is a partial delivery when sealing too: the missing export has no file, and no manifest is written', async () => {
    const dir = twoExports();
    rmSync(join(dir, 'snapshot/snapshot.yaml'));
    const run = await kpiops(['snapshot', 'seal', '-p', dir, join(dir, 'snapshot'), '--as-of', '2026-04-01T00:00:00Z']);
    expect(run.code, run.stdout).toBe(1);
    expect(run.stdout).toMatch(/call_log_2025 error {2}Table call_log_2025: no file for it in .*snapshot\/no-file/);
    expect(run.stdout).not.toContain('left out');
  });

  it('is left out whole when neither export has a file, with another unread source, in one line per command', async () => {
    const dir = twoExports();
    const file = join(dir, 'kpiops.yaml');
    const project = parse(readFileSync(file, 'utf8')) as { sources: Record<string, unknown> };
    project.sources.call_plans = { key: 'plan_id', columns: { plan_id: { type: 'string' }, hcp_id: { type: 'string', references: 'hcps' } } };
    writeFileSync(file, stringify(project));
    for (const f of ['call_log.csv', 'snapshot.yaml']) rmSync(join(dir, 'snapshot', f));
    const seal = await kpiops(['snapshot', 'seal', '-p', dir, join(dir, 'snapshot'), '--as-of', '2026-04-01T00:00:00Z']);
    expect(seal.code, seal.stdout).toBe(0);
    expect(seal.stdout.match(/^ℹ .*$/gm)).toEqual(['ℹ interactions, call_plans: no files, and nothing reads them, so they are left out']);
    const validate = await kpiops(['validate', '-p', dir, '--snapshot', join(dir, 'snapshot')]);
    expect(validate.code, validate.stdout).toBe(0);
    expect(validate.stdout.match(/^ℹ .*$/gm)).toEqual(['ℹ The snapshot has no files for interactions, call_plans and no KPI or scorecard reads them, so they are left out.']);
  });
});
