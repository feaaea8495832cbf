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
        const shape = [a.count !== undefined && '`count`', a.sum !== undefined && '`sum`'].filter(Boolean);
        if (shape.length !== 1) ctx.report('kpi/aggregate-shape', { found: shape.length ? 'both' : 'neither' }, { file, path, target: path.length ? 'key' : 'value' });
        if (a.count === 'touches' && !source.touch) ctx.report('kpi/missing-role', { source: a.source, role: 'touch', why: 'counting touches' }, { file, path: [...path, 'count'] });
        if (a.count === 'entities' && !source.entity && !Object.values(source.columns).some((c) => c.references && sources[c.references]?.entity)) {
          ctx.report('kpi/missing-role', { source: a.source, role: `${entityWords(ctx.project).one} reference`, why: `counting ${entityWords(ctx.project).many}` }, { file, path: [...path, 'count'] });
        }
        if (a.engaged && !(source.channel && source.event)) ctx.report('kpi/missing-role', { source: a.source, role: 'channel and event', why: '`engaged`' }, { file, path: [...path, 'engaged'] });
        if (a.min_channels !== undefined && !source.channel) ctx.report('kpi/missing-role', { source: a.source, role: 'channel', why: '`min_channels`' }, { file, path: [...path, 'min_channels'], target: 'key' });
        if (a.min_channels !== undefined && a.count !== 'entities') ctx.report('kpi/aggregate-option', { option: 'min_channels', needs: 'with `count: entities`' }, { file, path: [...path, 'min_channels'], target: 'key' });
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
