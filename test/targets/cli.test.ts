import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parsePeriod } from '../../src/model/period.js';
import { evaluateResults } from '../../src/pipeline/evaluate.js';
import { snapshotOf } from '../../src/pipeline/snapshot.js';
import type { SuggestionRow } from '../../src/targets/json.js';
import { kpiops } from '../support/cli.js';
import { REPO, validateWith } from '../support/demo-project.js';
import { demoSnapshot, load, readManifest, removeTempDirs } from '../support/snapshots.js';

interface Figures { percentile: number; value: number | null; brands: Record<string, number | null> }
const recipe = (await import(pathToFileURL(join(REPO, 'docs/recipes/targets-from-history.mjs')).href)) as { targetsFrom(results: unknown, id: string): Figures };

let snapshot: string;
beforeAll(async () => {
  snapshot = await demoSnapshot();
}, 120_000);
afterAll(removeTempDirs);

describe('kpiops targets suggest on the demo snapshot', () => {
  it('suggests for email_open_rate the figures the recipe script gives for the same month, which are the ones its file holds', async () => {
    const run = await kpiops(['targets', 'suggest', '-p', REPO, '--snapshot', snapshot, '--kpi', 'email_open_rate', '--format', 'json', '-q']);
    expect(run.code, run.stderr).toBe(0);
    const rows = JSON.parse(run.stdout) as SuggestionRow[];
    const validated = validateWith([]);
    const loaded = await load(validated, snapshot);
    let figures: Figures;
    try {
      const results = await evaluateResults({ validated, db: loaded.db, snapshot: snapshotOf(readManifest(snapshot), ''), period: parsePeriod('2026-10')!, blocked: [] });
      figures = recipe.targetsFrom(results, 'email_open_rate');
    } finally {
      loaded.db.close();
    }
    const brands = Object.fromEntries(rows.filter((r) => 'brand' in r.slice).map((r) => [r.slice.brand, r.suggested]));
    expect(rows.find((r) => Object.keys(r.slice).length === 0)!.suggested).toBe(figures.value);
    expect(brands).toEqual(figures.brands);
    expect(rows.every((r) => r.percentile === figures.percentile && r.periods.length === 12 && r.skipped.length === 0)).toBe(true);
    // The file's target (kpis/email/email_open_rate.yaml), set with the recipe.
    expect([figures.value, brands]).toEqual([0.22, { cardiora: 0.22, neurexa: 0.23, pulmivo: 0.21 }]);
  }, 120_000);

  it('prints the target block of each KPI file as YAML a reviewer can paste, and says why a share KPI gets none', async () => {
    const run = await kpiops(['targets', 'suggest', '-p', REPO, '--snapshot', snapshot, '--kpi', 'email_open_rate,channel_mix', '-q']);
    expect(run.code, run.stderr).toBe(0);
    const [mix, open] = run.stdout.split('\n\n');
    expect(mix).toBe('# kpis/reach/channel_mix.yaml (channel_mix, 2026-10): nothing suggested, its value is a mix of shares; a target mix is a choice of policy, not a level history can suggest');
    expect(open).toContain('  # 60th percentile of 12 months (2025-10…2026-09): 0.221 → 0.22\n  value: 0.22\n');
    expect(parse(open!)).toEqual({ target: { value: 0.22, overrides: [
      { where: { brand: 'cardiora' }, value: 0.22 }, { where: { brand: 'neurexa' }, value: 0.23 }, { where: { brand: 'pulmivo' }, value: 0.21 },
    ] } });
    expect(run.stderr).toBe('✔ 4 targets suggested for 1 KPI from up to 12 months of history before 2026-10; nothing for 1 KPI (the output says why)\n');
  }, 120_000);
});

describe('kpiops targets suggest on bad input', () => {
  it.each([
    [['--kpi', 'email_opn_rate'], 'kpiops: --kpi: unknown KPI "email_opn_rate". Did you mean "email_open_rate"?\n'],
    [['--percentile', '0'], 'kpiops: --percentile must be a whole number from 1 to 99 (got "0")\n'],
    [['--percentile', '100'], 'kpiops: --percentile must be a whole number from 1 to 99 (got "100")\n'],
    [['--percentile', 'sixty'], 'kpiops: --percentile must be a whole number from 1 to 99 (got "sixty")\n'],
    [['--periods', '0'], 'kpiops: --periods must be a whole number of periods, 1 or more (got "0")\n'],
    [['--periods', '12abc'], 'kpiops: --periods must be a whole number of periods, 1 or more (got "12abc")\n'],
    [['--period', '2026-13'], 'kpiops: --period must be a month (2026-10), an ISO week (2026-W43) or a quarter (2026-Q3); got "2026-13"\n'],
  ])('%j is refused with a clear message and exit 2', async (args, message) => {
    const run = await kpiops(['targets', 'suggest', '-p', REPO, '--snapshot', snapshot, '-q', ...args]);
    expect(run).toEqual({ code: 2, stdout: '', stderr: message });
  }, 120_000);
});
