import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { duckdb } from '../../src/compile/dialects/index.js';
import { entityRead, kpiDependencies, kpisBySource } from '../../src/model/dependencies.js';
import { entityReaders, readersText, sourceReaders, unreadSources } from '../../src/model/source-readers.js';
import { normalize } from '../../src/model/normalize.js';
import { parsePeriod } from '../../src/model/period.js';
import type { KpiSpec } from '../../src/spec/kpi.js';
import type { ProjectSpec } from '../../src/spec/project.js';
import { validateProject } from '../../src/validate/project.js';
import { REPO, validateWith } from '../support/demo-project.js';

/** The KPI and every KPI it is computed from. */
function withInputs(kpi: KpiSpec, byId: ReadonlyMap<string, KpiSpec>): KpiSpec[] {
  const out = new Map<string, KpiSpec>();
  const visit = (k: KpiSpec) => {
    if (out.has(k.id)) return;
    out.set(k.id, k);
    for (const dep of kpiDependencies(k)) if (byId.has(dep)) visit(byId.get(dep)!);
  };
  visit(kpi);
  return [...out.values()];
}

/** Whether the SQL compiled for this KPI alone (with its inputs) reads the entity table. */
function compiledReads(project: ProjectSpec, kpi: KpiSpec, byId: ReadonlyMap<string, KpiSpec>, channels: Parameters<typeof normalize>[0]['channels'], entity: string): boolean {
  const model = normalize({ project, channels, kpis: withInputs(kpi, byId), scorecards: [] });
  const plan = compile(model, duckdb, { period: parsePeriod('2026-10')!, asOf: new Date('2026-11-01T00:00:00Z') });
  return plan.queries.some((q) => new RegExp(`(?:FROM|JOIN) "${entity}"`).test(q.sql));
}

describe('which KPIs read the entity table', () => {
  it('is what the compiled SQL of each demo KPI reads, KPI by KPI', () => {
    const { files } = validateWith([]);
    const project = files.project!.spec;
    const kpis = files.kpis.map((k) => k.spec);
    const byId = new Map(kpis.map((k) => [k.id, k]));
    const channels = files.channels.map((c) => c.spec);
    const disagree = kpis.filter((k) => (entityRead(k, project, byId) !== undefined) !== compiledReads(project, k, byId, channels, 'hcps'));
    expect(disagree.map((k) => k.id)).toEqual([]);
  });

  it('is what the compiled SQL reads when a KPI of the call campaign filters, slices or counts a population by a customer column', async () => {
    const { files } = await validateProject(join(REPO, 'test/fixtures/exports/no-entity-table'));
    const project = files.project!.spec;
    const channels = files.channels.map((c) => c.spec);
    const answer = files.kpis.find((k) => k.spec.id === 'answer_rate')!.spec;
    const variants: Array<[KpiSpec, string | undefined]> = [
      [answer, undefined],
      [{ ...answer, id: 'by_region', dimensions: ['product', 'region'] }, 'its dimension region'],
      [{ ...answer, id: 'north_only', measure: { ...answer.measure, denominator: { source: 'calls', count: 'touches', where: { region: 'north' } } } } as KpiSpec, 'its filter on region'],
      [{ ...answer, id: 'reach_all', unit: 'percent', measure: { kind: 'reach', source: 'calls' } } as KpiSpec, 'its population'],
      [{ ...answer, id: 'over', measure: { kind: 'derived', expression: 'reach_all * 2' } } as KpiSpec, 'computed from KPI reach_all'],
    ];
    const byId = new Map(variants.map(([k]) => [k.id, k]));
    for (const [kpi, why] of variants) {
      expect(entityRead(kpi, project, byId), kpi.id).toBe(why);
      expect(compiledReads(project, kpi, byId, channels, 'customers'), kpi.id).toBe(why !== undefined);
    }
    // Only the readers are held back by a missing customer table.
    expect(kpisBySource(variants.map(([k]) => k), project).get('customers')).toEqual(['by_region', 'north_only', 'reach_all', 'over']);
  });

  it('lists scorecards with a brief and the rep-facing privacy rule as readers too, so the demo needs its HCP file', () => {
    const { files } = validateWith([]);
    const readers = entityReaders(files.project!.spec, [], files.scorecards.map((s) => s.spec));
    expect(readers).toEqual([
      { kind: 'scorecard', id: 'rep_weekly', why: 'its brief' },
      { kind: 'project', id: 'privacy.rep_facing_rx', why: 'its opt-out column' },
    ]);
  });
});

describe('which sources are read, and by whom', () => {
  it('lists only the suggestion KPIs as readers of the demo\'s recommendations, the derived lift through its inputs', () => {
    const { files } = validateWith([]);
    const project = files.project!.spec;
    const readers = sourceReaders(project, files.kpis.map((k) => k.spec), files.scorecards.map((s) => s.spec));
    expect(readersText(readers.get('recommendations')!)).toBe([
      'KPI engagement_after_actioned (its source)', 'KPI engagement_after_dismissed (its source)',
      'KPI nba_engagement_lift (computed from KPI engagement_after_actioned)', 'KPI suggestion_action_rate (its source)',
      'KPI suggestion_dismiss_rate (its source)', 'KPI suggestion_time_to_action (its source)',
    ].join(', '));
    // The same KPIs that loading holds back when the table fails.
    const held = kpisBySource(files.kpis.map((k) => k.spec), project);
    for (const [source, list] of readers) expect(list.filter((r) => r.kind === 'kpi').map((r) => r.id), source).toEqual(held.get(source) ?? []);
    // The rep scorecard's brief lists touches from the interactions and people from the HCP table.
    expect([...readers].filter(([, list]) => list.some((r) => r.id === 'rep_weekly')).map(([source]) => source).sort()).toEqual(['hcps', 'interactions']);
  });

  it('leaves every source unread when nothing is declared to read it, and the HCP table read by the privacy rule alone', () => {
    const { files } = validateWith([]);
    const project = files.project!.spec;
    expect([...unreadSources(project, [], [])]).toEqual(Object.keys(project.sources).filter((s) => s !== 'hcps'));
    expect(readersText(entityReaders(project, [], []))).toBe('kpiops.yaml privacy.rep_facing_rx (its opt-out column)');
  });
});
