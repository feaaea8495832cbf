import type { MeasureSpec } from '../../spec/measure.js';
import type { KindContext, KindOutput } from '../context.js';
import { Parameters } from '../filter.js';
import { dimColumn } from '../plan.js';
import { Relation } from '../relation.js';

/**
 * Benchmark: our value of another KPI minus a competitor figure. The benchmarks table is
 * small, so its rows for the metric are read as they are; the evaluator picks, for each
 * period and slice, the latest benchmark period that starts no later than the period.
 */
export function benchmark(ctx: KindContext, m: Extract<MeasureSpec, { kind: 'benchmark' }>): KindOutput {
  const { ident } = ctx.dialect;
  const params = new Parameters(ctx.dialect);
  const rel = new Relation(ctx.model, ctx.dialect, m.source);
  const dims = [...new Set(ctx.sets.flat())].filter((d) => rel.spec.columns[d]);
  const sql = [
    `SELECT ${['period', 'company', 'value'].map((c) => `${rel.own(c)} AS ${ident(c)}`).join(', ')}${dims.map((d) => `, ${rel.own(d)} AS ${ident(dimColumn(d))}`).join('')}`,
    `FROM ${rel.from()}`,
    `WHERE ${rel.own('metric')} = ${params.bind(m.metric, 'string')}`,
    'ORDER BY ALL',
  ].join('\n');
  const id = `${ctx.kpi.id}:benchmarks`;
  ctx.queries.push({ id, description: `benchmark rows of metric ${JSON.stringify(m.metric)}`, sql, params: params.values, dims, feeds: [`${ctx.kpi.id}:rows`] });
  return { components: { rows: { query: id, column: 'value', dims } }, settings: { kpi: m.kpi, against: m.against } };
}
