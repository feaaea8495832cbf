import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../src/cli/run.js';
import type { Results } from '../../src/spec/results.js';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { readManifest, removeTempDirs, smallCsvSample, tempDir, writeManifest } from '../support/snapshots.js';

// A bank's outbound call campaign: the customer table is declared (`entity: {label: customer}`)
// but the snapshot holds only the call log. Ten calls in October 2026 (calls.csv):
//   K01 C1 no_answer mortgage   K06 C4 answered  savings
//   K02 C1 answered  mortgage   K07 C4 converted savings
//   K03 C2 converted savings    K08 C5 answered  mortgage
//   K04 C3 no_answer savings    K09 C6 answered  mortgage
//   K05 C3 no_answer savings    K10 C6 converted mortgage
const FIXTURE = join(REPO, 'test/fixtures/exports/no-entity-table');
afterAll(removeTempDirs);

/** A copy of the worked example, to change one thing in. */
function copy(): string {
  const dir = tempDir('kpiops-bank-');
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

const evaluate = async (project: string) => {
  const out = join(tempDir('kpiops-results-'), 'results.json');
  const run = await kpiops(['eval', '-p', project, '--snapshot', join(project, 'snapshot'), '--period', '2026-10', '--out', out, '-q']);
  const results = run.code === 2 ? undefined : (JSON.parse(readFileSync(out, 'utf8')) as Results);
  const value = (id: string, dims: Record<string, string> = {}) =>
    results?.kpis.find((k) => k.id === id)?.slices.find((s) => JSON.stringify(s.dims) === JSON.stringify(dims))?.value;
  return { run, results, value };
};

describe('a project whose snapshot has no file for the entity table', () => {
  it('validates clean with its snapshot, and says once that the customer table is left out and its references are not checked', async () => {
    const run = await kpiops(['validate', '-p', FIXTURE, '--snapshot', join(FIXTURE, 'snapshot')]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toBe([
      '✔ 6 files valid (3 KPIs, 1 channel, 1 scorecard)',
      `✔ snapshot ${join(FIXTURE, 'snapshot')}: 1 table loaded, every load check passed`,
      'ℹ The snapshot has no file for customers and no KPI or scorecard reads it, so it is left out; calls.customer_id is not checked against it.',
      '',
    ].join('\n'));
  });

  it('evaluates every KPI from the call log alone, to the hand-computed values', async () => {
    const { run, value, results } = await evaluate(FIXTURE);
    expect(run.code, run.stderr).toBe(0);
    expect(results!.blocked).toEqual([]);
    // Answered (answered or converted): K02 K03 K06 K07 K08 K09 K10 = 7 of 10 calls.
    expect(value('answer_rate')).toBeCloseTo(7 / 10, 12);
    // Mortgage calls K01 K02 K08 K09 K10: 4 answered of 5; savings K03–K07: K03 K06 K07 = 3 of 5.
    expect(value('answer_rate', { product: 'mortgage' })).toBeCloseTo(4 / 5, 12);
    expect(value('answer_rate', { product: 'savings' })).toBeCloseTo(3 / 5, 12);
    // Converted K03 K07 K10 = 3 of the 7 answered calls.
    expect(value('conversion_rate')).toBeCloseTo(3 / 7, 12);
    // Customers called C1–C6 = 6, counted from calls.customer_id; all but C3 answered once = 5.
    expect(value('contact_rate')).toBeCloseTo(5 / 6, 12);
    expect(run.stderr.match(/ℹ The snapshot has no file for customers/g)).toHaveLength(1);
  });

  it('renders the scorecard about customers, never HCPs, in its HTML, text and Markdown', async () => {
    const out = tempDir('kpiops-outbox-');
    const run = await kpiops(['run', '-p', FIXTURE, '--snapshot', join(FIXTURE, 'snapshot'), '--period', '2026-10', '--out', out, '-q']);
    expect(run.code, run.stderr).toBe(0);
    const [entry] = (JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { entries: OutboxEntry[] }).entries;
    expect(entry!.status).toBe('rendered');
    const text = readFileSync(entry!.files!.text, 'utf8');
    const markdown = readFileSync(entry!.files!.markdown, 'utf8');
    // What a reader sees of the HTML: no style sheet, no markup.
    const html = readFileSync(entry!.files!.html, 'utf8').replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ');
    expect(text).toContain('⊘ hidden (fewer than 3 customers)');
    expect(html).toContain('fewer than 3 customers are behind it');
    expect(text).toContain('✓ Answer rate: 70.0% (target 60.0%) — On target');
    for (const shown of [text, markdown, html]) expect(shown).not.toMatch(/HCP/i);
  });

  it('seals the snapshot without asking for the customer file, and says it is left out', async () => {
    const dir = copy();
    rmSync(join(dir, 'snapshot/snapshot.yaml'));
    const run = await kpiops(['snapshot', 'seal', '-p', dir, join(dir, 'snapshot'), '--as-of', '2026-11-01T00:00:00Z']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('  calls  calls.csv: 10 rows, complete from 2026-10-01 to 2026-10-20\n');
    expect(run.stdout).toContain('ℹ customers: no file, and nothing reads it, so it is left out\n');
    expect(readdirSync(join(dir, 'snapshot')).sort()).toEqual(['calls.csv', 'snapshot.yaml']);
  });
});

describe('a project whose snapshot has no file for the entity table that a KPI reads', () => {
  /** The worked example with one more KPI whose population is customers of the north region. */
  function withNorthReach(): string {
    const dir = copy();
    writeFileSync(join(dir, 'kpis/north_reach.yaml'), [
      'version: kpiops/v1', 'id: north_reach', 'name: North reach', 'owner: "@bank/campaign-analytics"',
      'description: Of the northern customers, the share who answered a call.', 'stages: [awareness]', 'indicator: leading',
      'unit: percent', 'direction: higher', 'measure: {kind: reach, source: calls, population: {region: north}}', '',
    ].join('\n'));
    return dir;
  }

  it('names the KPI that reads it and the missing table, at the snapshot manifest', async () => {
    const dir = withNorthReach();
    const run = await kpiops(['validate', '-p', dir, '--snapshot', join(dir, 'snapshot')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('customers error  The snapshot has no table customers, which KPI north_reach (its population) reads. Add its file to the snapshot, or change what reads it; the KPIs that do not are computed.  snapshot/table-needed');
    expect(run.stdout).toContain('Because table customers failed its checks, this KPI is not computed: north_reach.');
    expect(run.stdout).toMatch(/^snapshot\/snapshot\.yaml$/m);
  });

  it('reviews a change that removes that KPI without reading the missing table for the base side', async () => {
    const dir = withNorthReach();
    const card = join(dir, 'scorecards/campaign_monthly.yaml');
    writeFileSync(card, readFileSync(card, 'utf8').replace('contact_rate]', 'contact_rate, north_reach]'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=ana@bank.example', '-c', 'user.name=Ana', ...args], { cwd: dir });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'base');
    rmSync(join(dir, 'kpis/north_reach.yaml'));
    writeFileSync(card, readFileSync(card, 'utf8').replace(', north_reach]', ']'));
    git('commit', '-qam', 'head');
    const run = await kpiops(['diff', '-p', dir, '--base', 'HEAD~1', '--head', 'HEAD', '-s', join(dir, 'snapshot'), '--period', '2026-10', '-q']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('| `campaign_monthly` | 2026-10 | 0 | 0 | 0 of 1 |');
  });

  it('computes the KPIs that do not read it and lists the one that does as not computed', async () => {
    const { run, value, results } = await evaluate(withNorthReach());
    expect(run.code).toBe(1);
    expect(results!.blocked).toEqual([{ kpi: 'north_reach', table: 'customers' }]);
    expect(results!.kpis.map((k) => k.id).sort()).toEqual(['answer_rate', 'contact_rate', 'conversion_rate']);
    expect(value('answer_rate')).toBeCloseTo(7 / 10, 12);
    expect(run.stderr).toContain('✖ not computed (data failed its checks): north_reach (customers)\n');
  });
});

describe('the demo with its HCP file left out of the snapshot', () => {
  it('names every reader, its brief and privacy rule included, and stops the rep scorecard with a sentence, not a stack trace', async () => {
    const dir = tempDir('kpiops-no-hcps-');
    cpSync(await smallCsvSample(), dir, { recursive: true });
    const manifest = readManifest(dir);
    rmSync(join(dir, manifest.tables.hcps!.file));
    delete manifest.tables.hcps;
    writeManifest(dir, manifest);
    const run = await kpiops(['run', '-p', REPO, '--snapshot', dir, '--scorecard', 'rep_weekly', '--out', tempDir('kpiops-outbox-'), '-q']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/The snapshot has no table hcps, which KPI email_ctor \(its dimension country\), .*KPI reach \(its population\), .*scorecard rep_weekly \(its brief\), kpiops\.yaml privacy\.rep_facing_rx \(its opt-out column\) read\./);
    // The one KPI of the demo that reads no HCP column is the only one computed.
    expect(run.stderr).not.toMatch(/not computed: [^\n]*content_utilization/);
    expect(run.stderr).toContain('✖ scorecard rep_weekly: its brief reads hcps, which did not load (see above)\n');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
