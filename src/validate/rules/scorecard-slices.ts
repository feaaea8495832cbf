import { entityWords } from '../../model/entity-words.js';
import type { Rule } from '../rule.js';
import { dimensionValues, eventSource } from '../../model/catalog.js';
import { suggest } from '../../text/suggest.js';
import { selectedKpis } from './scorecard-kpis.js';

/**
 * A scorecard slices only by dimensions all its KPIs have (otherwise a recipient would see
 * totals outside their slice), and each recipient's filter sets every slice dimension, and
 * only those, to a value the data can have.
 */
export const scorecardSlices: Rule = {
  name: 'scorecard-slices',
  check(ctx) {
    for (const { file, spec } of ctx.files.scorecards) {
      const slice = spec.slice ?? [];
      const kpis = selectedKpis(spec, ctx.files.kpis);
      slice.forEach((dim, i) => {
        const lacking = kpis.filter((k) => !(k.dimensions ?? []).includes(dim)).map((k) => k.id);
        if (lacking.length > 0) ctx.report('scorecard/unknown-dimension', { name: dim, kpis: lacking }, { file, path: ['slice', i] });
      });
      // A misspelt explain dimension would split nothing, silently.
      const dims = [...new Set(kpis.flatMap((k) => k.dimensions ?? []))];
      spec.explain?.by.forEach((dim, i) => {
        if (!dims.includes(dim)) ctx.report('scorecard/unknown-explain-dimension', { name: dim, suggestion: suggest(dim, dims) }, { file, path: ['explain', 'by', i] });
      });
      // HCP-level rows go only to the rep who owns the territory.
      if (spec.brief) {
        if (!slice.includes('territory')) ctx.report('scorecard/brief-territory', { entities: entityWords(ctx.project).many }, { file, path: ['brief'], target: 'key' });
        spec.audience.forEach((recipient, i) => {
          if (typeof recipient.filter?.territory !== 'string') ctx.report('scorecard/brief-territory', { entities: entityWords(ctx.project).many }, { file, path: ['audience', i], target: 'value' });
        });
      }
      const channels = [...ctx.files.channels.map((c) => c.spec.id), ...ctx.files.unchecked.channel];
      // A misspelt event never opens an item, a misspelt channel never closes one: both silently.
      const events = eventSource(ctx.project);
      const allowedEvents = events?.[1].columns[events[1].event!]?.values?.map(String);
      spec.brief?.open_items?.forEach((item, i) => {
        if (allowedEvents && !allowedEvents.includes(item.event)) {
          ctx.report('scorecard/unknown-event', { name: item.event, column: `${events![0]}.${events![1].event}`, suggestion: suggest(item.event, allowedEvents) }, { file, path: ['brief', 'open_items', i, 'event'] });
        }
        item.closed_by?.forEach((channel, j) => {
          if (!channels.includes(channel)) ctx.report('scorecard/unknown-channel', { name: channel, suggestion: suggest(channel, channels) }, { file, path: ['brief', 'open_items', i, 'closed_by', j] });
        });
      });
      spec.audience.forEach((recipient, i) => {
        const filter = recipient.filter ?? {};
        const missing = slice.filter((dim) => !(dim in filter));
        if (missing.length > 0) ctx.report('scorecard/incomplete-filter', { missing }, { file, path: ['audience', i, ...(recipient.filter ? ['filter'] : [])], target: recipient.filter ? 'key' : 'value' });
        for (const [key, value] of Object.entries(filter)) {
          if (!slice.includes(key)) {
            ctx.report('scorecard/filter-outside-slice', { name: key, slice, suggestion: suggest(key, slice) }, { file, path: ['audience', i, 'filter', key], target: 'key' });
            continue;
          }
          const allowed = dimensionValues(ctx.project, key, channels);
          if (allowed && !allowed.includes(String(value))) {
            ctx.report('scorecard/unknown-value', { name: String(value), dimension: key, suggestion: suggest(String(value), allowed) }, { file, path: ['audience', i, 'filter', key] });
          }
        }
      });
    }
  },
};
