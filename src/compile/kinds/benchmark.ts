import type { MeasureOf } from '../../model/measure.js';
import type { KindContext, KindOutput } from '../context.js';
import { Parameters } from '../filter.js';
import { componentRef, dimColumn, type PlannedQuery } from '../plan.js';
import { Relation } from '../relation.js';

/**
 * Benchmark: our value of another KPI minus a competitor figure. The benchmarks table is
 * small, so its rows for the metric are read as they are; the evaluator picks, for each
 * period and slice, the latest benchmark period that starts no later than the period.
 */
export function benchmark(ctx: KindContext, m: MeasureOf<'benchmark'>): KindOutput<'benchmark'> {
  const query = benchmarkRows(ctx, m.source, m.metric, `${ctx.kpi.id}:benchmarks`);
  return { components: { rows: componentRef(ctx.kpi.id, 'rows', query.id, query.dims, 'value') }, settings: { kpi: m.kpi, against: m.against, direction: ctx.model.kpis.find((k) => k.id === m.kpi)?.direction ?? 'higher' } };
}

/** The benchmark rows of one metric (period, company, value and the slice dimensions the table has), as a query of the plan. */
export function benchmarkRows(ctx: KindContext, source: string, metric: string, id: string): PlannedQuery {
  const { ident } = ctx.dialect;
  const params = new Parameters(ctx.dialect);
  const rel = new Relation(ctx.model, ctx.dialect, source);
  const dims = [...new Set(ctx.sets.flat())].filter((d) => rel.spec.columns[d]);
  const sql = [
    `SELECT ${['period', 'company', 'value'].map((c) => `${rel.own(c)} AS ${ident(c)}`).join(', ')}${dims.map((d) => `, ${rel.own(d)} AS ${ident(dimColumn(d))}`).join('')}`,
    `FROM ${rel.from()}`,
    `WHERE ${rel.own('metric')} = ${params.bind(metric, 'string')}`,
    `ORDER BY ${['period', 'company', 'value', ...dims].map((_c, i) => i + 1).join(', ')}`,
  ].join('\n');
  const query: PlannedQuery = { id, description: `benchmark rows of metric ${JSON.stringify(metric)}`, sql, params: params.values, dims, feeds: [`${ctx.kpi.id}:rows`] };
  ctx.queries.push(query);
  return query;
}
