import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../src/model/period.js';
import { evaluateResults } from '../../src/pipeline/evaluate.js';
import { modelOf } from '../../src/pipeline/project.js';
import { openSnapshot, snapshotDir } from '../../src/pipeline/snapshot.js';
import type { ValidatedProject } from '../../src/validate/project.js';
import { kpiops } from '../support/cli.js';
import { REPO, validateWith } from '../support/demo-project.js';
import { editedCopy, removeTempDirs, setCell, smallCsvSample, tempDir } from '../support/snapshots.js';

// Rows of queries kept between commands: reused only for the same query on the same data and
// code. Each test counts what the cache answered (hits) and what DuckDB ran (misses).
let sample: string;
beforeAll(async () => {
  sample = await smallCsvSample();
}, 60_000);
afterAll(removeTempDirs);

const demo = validateWith([]);

/** Opens the snapshot with a cache in `cache`, evaluates October 2026, and says how many queries the cache answered and DuckDB ran. */
async function evaluate(validated: ValidatedProject, snapshot: string, cache: string | undefined, code?: string) {
  const { open } = await openSnapshot(validated, snapshotDir(REPO, snapshot), { ...(cache ? { cache } : {}), ...(code ? { code } : {}) });
  if (!open) throw new Error('the snapshot did not load');
  try {
    const results = await evaluateResults({ validated, db: open.loaded.db, snapshot: open.meta, period: parsePeriod('2026-10')!, blocked: open.blocked });
    return { text: JSON.stringify(results), hits: open.cache?.hits ?? 0, misses: open.cache?.misses ?? 0, failed: open.loaded.failed.size };
  } finally {
    open.loaded.db.close();
  }
}

describe('the query cache', () => {
  it('answers every query of a second evaluation on the same data, and the results are byte-identical', async () => {
    const cache = tempDir('kpiops-cache-');
    const fresh = await evaluate(demo, sample, undefined);
    const cold = await evaluate(demo, sample, cache);
    const warm = await evaluate(demo, sample, cache);
    expect(cold.hits).toBe(0);
    expect(cold.misses).toBeGreaterThan(10);
    // Every query the first run ran, the second read back; DuckDB ran none.
    expect(warm).toMatchObject({ hits: cold.misses, misses: 0 });
    expect(cold.text).toBe(fresh.text);
    expect(warm.text).toBe(fresh.text);
    expect(readFileSync(join(cache, '.gitignore'), 'utf8')).toContain('*');
  }, 60_000);

  it('runs again only the queries a changed KPI is part of, and gives the numbers of the changed definition', async () => {
    const cache = tempDir('kpiops-cache-');
    const before = await evaluate(demo, sample, cache);
    // Opens counted among engaged email events: the query of the fused email scan changes, the others do not.
    const changed = validateWith([{ file: 'kpis/email/email_open_rate.yaml', from: 'where: {channel: email, event: opened, bot: {ne: true}}', to: 'where: {channel: email, event: clicked, bot: {ne: true}}' }]);
    const after = await evaluate(changed, sample, cache);
    expect(after.misses).toBeGreaterThan(0);
    expect(after.misses).toBeLessThan(before.misses);
    expect(after.hits).toBe(before.misses + before.hits - after.misses);
    expect(after.text).toBe((await evaluate(changed, sample, undefined)).text);
    expect(after.text).not.toBe(before.text);
  }, 60_000);

  it('a new target changes no query: every one is answered, and the statuses follow the new target', async () => {
    const cache = tempDir('kpiops-cache-');
    await evaluate(demo, sample, cache);
    const retargeted = validateWith([{ file: 'kpis/email/email_open_rate.yaml', from: '  value: 0.22\n', to: '  value: 0.95\n' }]);
    const after = await evaluate(retargeted, sample, cache);
    expect(after.misses).toBe(0);
    expect(after.text).toBe((await evaluate(retargeted, sample, undefined)).text);
  }, 60_000);

  it('changed data (one prescription count) misses every entry', async () => {
    const cache = tempDir('kpiops-cache-');
    const before = await evaluate(demo, sample, cache);
    const edited = editedCopy(sample, 'rx', (csv) => setCell(csv, 'trx', '999'));
    const after = await evaluate(demo, edited, cache);
    // The same tables load (none fails a check): only the data differs.
    expect([before.failed, after.failed]).toEqual([0, 0]);
    expect(after.hits).toBe(0);
    expect(after.text).toBe((await evaluate(demo, edited, undefined)).text);
    expect(after.text).not.toBe(before.text);
  }, 60_000);

  it('other code (an upgrade, or an edit to kpiops) misses every entry', async () => {
    const cache = tempDir('kpiops-cache-');
    await evaluate(demo, sample, cache, 'code A');
    expect((await evaluate(demo, sample, cache, 'code A')).misses).toBe(0);
    const other = await evaluate(demo, sample, cache, 'code B');
    expect(other.hits).toBe(0);
  }, 60_000);

  it('an entry that is not what was written is a miss, never an error or a wrong number', async () => {
    const cache = tempDir('kpiops-cache-');
    const cold = await evaluate(demo, sample, cache);
    const entries = readdirSync(join(cache, 'queries'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    entries.forEach((e, i) => writeFileSync(join(e.parentPath, e.name), i % 2 === 0 ? '{"key": "not this one", "rows": []}' : '{"rows": [tr'));
    const warm = await evaluate(demo, sample, cache);
    expect(warm).toMatchObject({ hits: 0, misses: cold.misses, text: cold.text });
  }, 60_000);

  it('a cache folder that cannot be written (a file in its place) only means nothing is kept: the results are the same', async () => {
    const file = join(tempDir('kpiops-cache-'), 'not-a-folder');
    writeFileSync(file, 'a file, not a folder\n');
    const fresh = await evaluate(demo, sample, undefined);
    const run = await evaluate(demo, sample, file);
    expect(run).toMatchObject({ hits: 0, text: fresh.text });
    expect(readFileSync(file, 'utf8')).toBe('a file, not a folder\n');
  }, 60_000);

  it('keeps the rep-facing tables apart: the same query on them is not answered with the full tables\' rows', async () => {
    const cache = tempDir('kpiops-cache-');
    const { open } = await openSnapshot(demo, snapshotDir(REPO, sample), { cache });
    try {
      const db = open!.loaded.db;
      const sql = 'SELECT count(*) AS n FROM rx';
      const all = await db.all(sql);
      expect(await db.prepareRepFacing(modelOf(demo), new Set())).toEqual([]);
      const repFacing = await db.withRepFacing(() => db.all(sql));
      expect(open!.cache).toMatchObject({ hits: 0, misses: 2 });
      // The demo has HCPs who opted out of PDRP: their prescriptions are not in the rep-facing rx.
      expect((repFacing[0] as { n: number }).n).toBeLessThan((all[0] as { n: number }).n);
      expect(await db.all(sql)).toEqual(all);
      expect(open!.cache!.hits).toBe(1);
    } finally {
      open?.loaded.db.close();
    }
  }, 60_000);

  it('kpiops eval keeps its cache in KPIOPS_CACHE_DIR, never in the project; --no-cache and KPIOPS_NO_CACHE keep none', async () => {
    const project = tempDir('kpiops-cache-project-');
    for (const part of ['kpiops.yaml', 'kpis', 'channels', 'scorecards', 'alerts', 'schemas']) cpSync(join(REPO, part), join(project, part), { recursive: true });
    const entries = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.json')).length : 0);
    const evalWith = (extra: string[], env: Record<string, string | undefined>) => kpiops(['eval', '-p', project, '--snapshot', sample, '--out', join(tempDir('kpiops-out-'), 'r.json'), '-q', ...extra], env);
    const kept = tempDir('kpiops-cache-');
    expect((await evalWith([], { KPIOPS_NO_CACHE: undefined, KPIOPS_CACHE_DIR: kept })).code).toBe(0);
    expect(entries(kept)).toBeGreaterThan(10);
    expect(readdirSync(project).sort()).toEqual(['alerts', 'channels', 'kpiops.yaml', 'kpis', 'schemas', 'scorecards']);
    const flag = tempDir('kpiops-cache-');
    expect((await evalWith(['--no-cache'], { KPIOPS_NO_CACHE: undefined, KPIOPS_CACHE_DIR: flag })).code).toBe(0);
    expect(entries(flag)).toBe(0);
    const variable = tempDir('kpiops-cache-');
    expect((await evalWith([], { KPIOPS_NO_CACHE: '1', KPIOPS_CACHE_DIR: variable })).code).toBe(0);
    expect(entries(variable)).toBe(0);
  }, 60_000);
});
