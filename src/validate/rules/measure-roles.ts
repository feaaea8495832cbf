import type { Rule } from '../rule.js';

/** Kinds that read engagement events need the event source's time, channel and event columns. */
const EVENT_KINDS = new Set(['reach', 'funnel', 'index', 'attainment', 'reengagement', 'cap', 'share', 'stage', 'score']);

/** A measure's source declares the columns its kind needs to place rows in periods and channels. */
export const measureRoles: Rule = {
  name: 'measure-roles',
  check(ctx) {
    for (const { file, spec } of ctx.files.kpis) {
      const m = spec.measure as { kind: string; source?: string };
      if (!m.source || !EVENT_KINDS.has(m.kind)) continue;
      const source = ctx.project.sources[m.source];
      if (!source) continue;
      const needs: Array<[keyof typeof source, string]> = [['time', 'time'], ...(m.kind === 'funnel' || m.kind === 'score' ? [] : [['channel', 'channel'], ['event', 'event']] as Array<[keyof typeof source, string]>)];
      const missing = needs.filter(([role]) => !source[role]).map(([role]) => String(role));
      if (missing.length > 0) ctx.report('kpi/missing-role', { source: m.source, role: missing.join('`, `'), why: `a ${m.kind} KPI` }, { file, path: ['measure', 'source'] });
    }
  },
};
