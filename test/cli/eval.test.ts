import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/spec/results.js';
import { newAjv } from '../../src/validate/validators.js';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { editedCopy, removeTempDirs, setCell, smallCsvSample, tempDir } from '../support/snapshots.js';


let sample: string;
beforeAll(async () => {
  sample = await smallCsvSample();
});
afterAll(removeTempDirs);

describe('kpiops eval', () => {
  it('makes the folder --out names, as run makes its outbox, and says so when it cannot', async () => {
    const dir = tempDir('kpiops-results-');
    const out = join(dir, 'out/2026-10/results.json');
    const run = await kpiops(['eval', '-p', REPO, '--snapshot', sample, '--out', out, '-q']);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(readFileSync(out, 'utf8')) as Results).period.label).toBe('2026-10');
    writeFileSync(join(dir, 'a-file'), '');
    expect(await kpiops(['eval', '-p', REPO, '--snapshot', sample, '--out', join(dir, 'a-file/results.json'), '-q'])).toMatchObject({
      code: 2, stderr: `kpiops: --out ${join(dir, 'a-file/results.json')}: its folder cannot be made (a file is where a folder should be)\n`,
    });
    mkdirSync(join(dir, 'a-folder'));
    const onFolder = await kpiops(['eval', '-p', REPO, '--snapshot', sample, '--out', join(dir, 'a-folder'), '-q']);
    expect(onFolder).toMatchObject({ code: 2, stderr: expect.stringContaining(`kpiops: --out ${join(dir, 'a-folder')} cannot be written (EISDIR); the results were not saved\n`) as unknown });
  });

  it('writes results/v1 that its published schema accepts, for the last month the snapshot covers', async () => {
    const out = join(tempDir('kpiops-results-'), 'results.json');
    const run = await kpiops(['eval', '-p', REPO, '--snapshot', sample, '--out', out, '-q']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^✔ 30 KPIs evaluated for 2026-10 in [\d.]+ s → /);
    expect(run.stderr).toContain('  reported for an earlier period (rx data arrives 1 month late): nrx_growth (2026-09), trx_share (2026-09)\n');
    const results = JSON.parse(readFileSync(out, 'utf8')) as Results;
    const ajv = newAjv({ allErrors: true });
    const valid = ajv.validate(JSON.parse(readFileSync(join(REPO, 'schemas/results.schema.json'), 'utf8')), results);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(results.period.label).toBe('2026-10');
    expect(results.kpis.map((k) => k.id)).toHaveLength(30);
    const reach = results.kpis.find((k) => k.id === 'reach')!;
    expect(reach.definition_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(reach.slices[0]!.trend).toHaveLength(13);
    // The sample holds July–October 2026: earlier periods are not numbers, and the index's
    // 6-month window is never fully covered.
    const reasons = reach.slices[0]!.trend.map((t) => [t.period, t.value === null ? t.reason : 'value']);
    expect(reasons.slice(0, 9)).toEqual(['2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'].map((p) => [p, 'the interactions data starts on 2026-07-01 (coverage_start), after this period ends']));
    expect(reasons.slice(9).map((r) => r[1])).toEqual(['value', 'value', 'value', 'value']);
    const cei = results.kpis.find((k) => k.id === 'cei')!.slices[0]!;
    expect(cei).toMatchObject({ value: null, reason: "the interactions data starts on 2026-07-01 (coverage_start), inside this period's 6-month window" });
  });

  it.each([
    ['a period that is not one', ['--period', '2026-13'], /--period must be a month \(2026-10\), an ISO week \(2026-W43\) or a quarter \(2026-Q3\); got "2026-13"/],
    ['a week the year does not have', ['--period', '2025-W53'], /got "2025-W53"/],
    ['a memory limit that is not a size', ['--memory-limit', 'lots'], /--memory-limit must be a size such as 3GB/],
  ])('%s is a usage error (exit 2)', async (_name, args, message) => {
    const run = await kpiops(['eval', '-p', REPO, '--snapshot', sample, '-q', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('an empty interactions table blocks the KPIs reading it, with the reason; KPIs on other tables are computed; exit 1', async () => {
    const empty = editedCopy(sample, 'interactions', (csv) => `${csv.split('\n')[0]}\n`);
    const out = join(tempDir('kpiops-results-'), 'results.json');
    const run = await kpiops(['eval', '-p', REPO, '--snapshot', empty, '--out', out, '-q']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Table interactions has no rows, so it covers no period');
    expect(run.stderr).toMatch(/not computed \(data failed its checks\): .*reach \(interactions\)/);
    const results = JSON.parse(readFileSync(out, 'utf8')) as Results;
    for (const kpi of ['reach', 'cei', 'stage_distribution']) {
      expect(results.kpis.find((k) => k.id === kpi)).toBeUndefined();
      expect(results.blocked).toContainEqual({ kpi, table: 'interactions' });
    }
    expect(results.kpis.find((k) => k.id === 'nps')!.slices[0]!.value).toEqual(expect.any(Number));
  });

  it('KPIs on a table that failed its checks are listed as blocked, the rest are computed, exit 1', async () => {
    const broken = editedCopy(sample, 'responses', (csv) => setCell(csv, 'score', '42'));
    const out = join(tempDir('kpiops-results-'), 'results.json');
    const run = await kpiops(['eval', '-p', REPO, '--snapshot', broken, '--out', out, '-q']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('data/');
    expect(run.stderr).toMatch(/not computed \(data failed its checks\): ces \(responses\), csat \(responses\)/);
    const results = JSON.parse(readFileSync(out, 'utf8')) as Results;
    expect(results.blocked.map((b) => b.kpi)).toEqual(['ces', 'csat', 'intent_to_prescribe', 'nps', 'nps_gap_to_leader']);
    expect(results.kpis.map((k) => k.id)).not.toContain('nps');
    expect(results.kpis.map((k) => k.id)).toContain('reach');
  });
});

describe('kpiops plan', () => {
  it('prints each query with the KPIs it feeds and its SQL, with no data', async () => {
    const run = await kpiops(['plan', '-p', REPO, '--period', '2026-10', '--as-of', '2026-11-01']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Plan for 2026-10 \(data as of 2026-11-01T00:00:00.000Z\): \d+ queries for 30 KPIs/);
    expect(run.stdout).toContain('── scan:interactions:month:2025-10: per month, one pass over interactions for 8 KPIs (per touch, then per HCP)');
    expect(run.stdout).toContain('trx_share reports 2026-09: rx data arrives 1 month late');
  });
});
