// `npm run bench` (seventh part): how well goal attainment's end-of-quarter projection holds
// up. Goal attainment is evaluated with its whole history (the trend as long as the snapshot)
// on the demo snapshot (24 months) and on a 36-month sample generated into bench/.work; then,
// leave-one-out, each complete past quarter is projected from the others at its first and
// second month, by the ratio rule (end ÷ value at this place) and the difference rule (end −
// value at this place). Printed per month of the quarter: how often the real end value fell
// in the 80% range (target ≈ 80%) and the mean absolute error of the estimate, beside the
// straight-line extrapolation (value ÷ share of the quarter gone). Then, as reports would
// have said it: every first and second month projected from the quarters before it only, in a
// trend of 12 months before it (other KPIs') and of 27 (goal attainment's), the chance each
// range was said with beside how often the real end fell in it.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePeriod } from '../dist/model/period.js';
import { evaluateResults } from '../dist/pipeline/evaluate.js';
import { loadProject } from '../dist/pipeline/project.js';
import { openSnapshot, snapshotDir } from '../dist/pipeline/snapshot.js';
import { ATTAINMENT_TREND_PERIODS, TREND_PERIODS } from '../dist/compile/compile.js';
import { backtest, backtestReports, summary } from '../dist/projection/backtest.js';
import { ruleFor } from '../dist/projection/project.js';
import { benchSnapshot } from './bench-snapshot.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const KPI = 'goal_attainment';
// The demo snapshot is `kpiops sample --months 24`; both are generated once (a few seconds each).
const snapshots = [['demo (24 months)', 24], ['sample (36 months)', 36]].map(([name, months]) => [name, join(repo, 'bench', '.work', `sample-${months}`), months]);
for (const [, dir, months] of snapshots) {
  benchSnapshot(dir, { hcps: 5000, months });
}

const pct = (x) => `${(100 * x).toFixed(1)}%`;
const pp = (x) => `${(100 * x).toFixed(2)} pp`;
const { project: validated } = await loadProject(repo);
if (!validated) throw new Error('the project does not validate');
let failed = false;
for (const [name, dir, months] of snapshots) {
  const checked = await openSnapshot(validated, snapshotDir(repo, dir));
  if (!checked.open) throw new Error(`${dir} did not load`);
  const { open } = checked;
  const calendar = validated.model.calendar;
  const period = parsePeriod(open.manifest.as_of.slice(0, 7), calendar);
  const reported = parsePeriod(new Date(Date.UTC(period.start.getUTCFullYear(), period.start.getUTCMonth() - 1)).toISOString().slice(0, 7), calendar);
  const results = await evaluateResults({ validated, db: open.loaded.db, snapshot: open.meta, period: reported, blocked: open.blocked, only: new Set([KPI]), trend: months - 1 });
  await open.loaded.db.close?.();
  const slices = results.kpis.find((k) => k.id === KPI).slices;
  console.log(`\n${KPI} on the ${name} snapshot: ${slices.length} slices, leave-one-out over complete quarters`);
  const histories = slices.map((s) => s.trend.map((t) => ({ start: parsePeriod(t.period, calendar).start, value: typeof t.value === 'number' ? t.value : null })));
  for (const rule of ['ratio', 'difference']) {
    const cases = histories.flatMap((h) => backtest(h, 3, calendar.fiscalYearStart, rule, 1));
    for (const row of summary(cases)) {
      const straight = cases.filter((c) => c.position === row.position).reduce((sum, c) => sum + Math.abs(Math.min(1, c.today * 3 / row.position) - c.final), 0) / row.cases;
      const chosen = ruleFor({ months: 3, position: row.position }) === rule ? '*' : ' ';
      console.log(`${chosen} ${rule.padEnd(10)} month ${row.position} of 3: ${String(row.covered).padStart(3)}/${row.ranged} ends in the 80% range (${pct(row.covered / row.ranged).padStart(6)}), mean abs. error ${pp(row.mae)} (straight line ${pp(straight)})`);
      if (row.ranged === 0) failed = true;
    }
  }
  for (const depth of [TREND_PERIODS, ATTAINMENT_TREND_PERIODS]) {
    const said = histories.flatMap((h) => backtestReports(h, 3, calendar.fiscalYearStart, depth, 1));
    const held = said.filter((c) => c.held).length;
    const mean = said.reduce((sum, c) => sum + c.coverage, 0) / said.length;
    console.log(`  as reported, trend of ${depth} months before: ${held}/${said.length} ends in the range (${pct(held / said.length)}), said at ${pct(mean)} on average`);
    for (const periods of [...new Set(said.map((c) => c.periods))].sort((a, b) => a - b)) {
      const at = said.filter((c) => c.periods === periods);
      const ok = at.filter((c) => c.held).length;
      console.log(`    from ${periods} past quarters: said ${pct(at[0].coverage)}, held ${ok}/${at.length} (${pct(ok / at.length)})`);
    }
  }
}
console.log('\n* the rule a report uses at that month (ruleFor); the range is the 10th–90th percentiles by rank p(n + 1)');
if (failed) process.exitCode = 1;
