import { entityWords } from '../../model/entity-words.js';
import { measureRefs } from '../../model/measure-refs.js';
import { entitySourceName } from '../../model/catalog.js';
import type { Rule } from '../rule.js';

/**
 * Each count or sum is well-formed: exactly one of `count`/`sum`; counting touches needs a
 * `touch` column; `engaged` and `min_channels` need an event source; `used_in` needs a
 * catalog source with `validity` and a source that references it.
 */
export const kpiAggregates: Rule = {
  name: 'kpi-aggregates',
  check(ctx) {
    const sources = ctx.project.sources;
    for (const { file, spec } of ctx.files.kpis) {
      for (const { aggregate: a, path } of measureRefs(spec.measure, entitySourceName(ctx.project)).aggregates) {
        const source = sources[a.source];
        if (!source) continue;
        const shape = [a.count !== undefined && '`count`', a.sum !== undefined && '`sum`', a.sum_days !== undefined && '`sum_days`'].filter(Boolean);
        if (shape.length !== 1) ctx.report('kpi/aggregate-shape', { found: shape.length ? shape.join(' and ') : 'none' }, { file, path, target: path.length ? 'key' : 'value' });
        if (a.count === 'touches' && !source.touch) ctx.report('kpi/missing-role', { source: a.source, role: 'touch', why: 'counting touches' }, { file, path: [...path, 'count'] });
        if (a.count === 'entities' && !source.entity && !Object.values(source.columns).some((c) => c.references && sources[c.references]?.entity)) {
          ctx.report('kpi/missing-role', { source: a.source, role: `${entityWords(ctx.project).one} reference`, why: `counting ${entityWords(ctx.project).many}` }, { file, path: [...path, 'count'] });
        }
        if (a.engaged && !(source.channel && source.event)) ctx.report('kpi/missing-role', { source: a.source, role: 'channel and event', why: '`engaged`' }, { file, path: [...path, 'engaged'] });
        if (a.min_channels !== undefined && !source.channel) ctx.report('kpi/missing-role', { source: a.source, role: 'channel', why: '`min_channels`' }, { file, path: [...path, 'min_channels'], target: 'key' });
        if (a.min_channels !== undefined && a.count !== 'entities') ctx.report('kpi/aggregate-option', { option: 'min_channels', needs: 'with `count: entities`' }, { file, path: [...path, 'min_channels'], target: 'key' });
        const hcpRef = (s: typeof source) => Boolean(s.entity || Object.values(s.columns).some((c) => c.references && sources[c.references]?.entity));
        if (a.followed_by && !source.validity) {
          const at = [...path, 'followed_by'];
          if (!hcpRef(source)) ctx.report('kpi/missing-role', { source: a.source, role: 'HCP reference', why: '`followed_by`' }, { file, path: at, target: 'key' });
          const next = sources[a.followed_by.source];
          if (next && !hcpRef(next)) ctx.report('kpi/missing-role', { source: a.followed_by.source, role: 'HCP reference', why: '`followed_by`' }, { file, path: [...at, 'source'] });
          if (next && !next.time) ctx.report('kpi/missing-role', { source: a.followed_by.source, role: 'time', why: '`followed_by`' }, { file, path: [...at, 'source'] });
          if (next && a.followed_by.engaged && !(next.channel && next.event)) ctx.report('kpi/missing-role', { source: a.followed_by.source, role: 'channel and event', why: '`engaged`' }, { file, path: [...at, 'engaged'] });
        }
        // A catalog table (validity) is counted by what is valid in the period, with no time of its own to follow or span.
        for (const option of ['followed_by', 'sum_days'] as const) {
          if (a[option] !== undefined && source.validity) ctx.report('kpi/aggregate-option', { option, needs: 'to a source whose rows have a time (not a catalog with `validity`)' }, { file, path: [...path, option], target: 'key' });
        }
        a.across?.forEach((dim, i) => {
          if (!(spec.dimensions ?? []).includes(dim)) ctx.report('kpi/aggregate-option', { option: 'across', needs: `to the KPI's \`dimensions\` (\`${dim}\` is not one)` }, { file, path: [...path, 'across', i] });
        });
        if (a.used_in) {
          if (!source.validity) ctx.report('kpi/missing-role', { source: a.source, role: 'validity', why: '`used_in`' }, { file, path: [...path, 'used_in'], target: 'key' });
          const user = sources[a.used_in.source];
          if (user && !Object.values(user.columns).some((c) => c.references === a.source)) {
            ctx.report('kpi/missing-role', { source: a.used_in.source, role: `column referencing ${a.source}`, why: '`used_in`' }, { file, path: [...path, 'used_in', 'source'] });
          }
        }
      }
    }
  },
};
