import { compile } from '../compile/compile.js';
import { DIALECTS, withTables, type DialectName } from '../compile/dialect.js';
import type { Plan } from '../compile/plan.js';
import { CALENDAR_YEAR, lastCoveredPeriod, type Calendar } from '../model/period.js';
import { staleWords } from '../scorecard/stale-words.js';
import { periodOption, projectOrExit } from './output.js';
import { jsonText, terminalText } from '../text/terminal.js';

export interface PlanOptions {
  project: string;
  period?: string;
  asOf?: string;
  json?: boolean;
  dialect?: DialectName;
}

/** The plan for people: each query with what it computes, the KPIs it feeds and its SQL. */
export function planText(plan: Plan, calendar: Calendar = CALENDAR_YEAR): string {
  const lines = [`Plan for ${plan.period.label}${plan.asOf ? ` (data as of ${plan.asOf})` : ''}: ${plan.queries.length} queries for ${plan.kpis.length} KPIs`, ''];
  for (const q of plan.queries) {
    const kpis = [...new Set(q.feeds.map((f) => f.split(':')[0]))];
    lines.push(`── ${q.id}: ${q.description}`, `   feeds ${kpis.join(', ')}`, `   by ${q.dims.length > 0 ? q.dims.join(', ') : 'total only'}; ${q.params.length} bound parameters`, '');
    lines.push(...q.sql.split('\n').map((l) => `   ${l}`), '');
  }
  const stale = plan.kpis.filter((k) => k.stale);
  for (const k of stale) lines.push(`${k.id} reports ${k.period.label}: ${staleWords(k.stale!, plan.asOf!, calendar)}`);
  const derived = plan.kpis.filter((k) => Object.keys(k.components).length === 0);
  if (derived.length > 0) lines.push(`computed from other KPIs: ${derived.map((k) => k.id).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** `kpiops plan`: compiles the project and prints the plan (text or JSON) without reading any data. */
export async function planCommand(options: PlanOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const project = await projectOrExit(options.project, { err, env: {} }, { plain: true });
  if (typeof project === 'number') return project;
  // Checked on the command line (cli/options.ts): a date JavaScript reads.
  const asOf = options.asOf ? new Date(options.asOf) : undefined;
  const { model } = project;
  const period = periodOption(options.period, model.calendar, () => lastCoveredPeriod('month', asOf ?? new Date(), undefined, model.calendar));
  if (typeof period === 'string') {
    err.write(`kpiops: ${period}\n`);
    return 2;
  }
  const spec = project.files.project!.spec;
  const base = DIALECTS[options.dialect ?? 'duckdb'];
  // A warehouse reads its own tables (kpiops.yaml `warehouse:`); DuckDB reads the snapshot's.
  const dialect = base.name === 'duckdb' || !spec.warehouse ? base : withTables(base, { ...(spec.warehouse.schema ? { schema: spec.warehouse.schema } : {}), ...(spec.warehouse.tables ? { tables: spec.warehouse.tables } : {}) });
  const plan = compile(model, dialect, { period, ...(asOf ? { asOf } : {}) });
  // The plan quotes names from YAML (in SQL identifiers and literals): shown, never acted on.
  out.write(options.json ? `${jsonText(plan)}\n` : terminalText(planText(plan, model.calendar), { lines: true }));
  return 0;
}
