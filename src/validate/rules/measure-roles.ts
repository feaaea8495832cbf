import type { Rule } from '../rule.js';

/** Kinds that read engagement events need the event source's time, channel and event columns. */
const EVENT_KINDS = new Set(['reach', 'funnel', 'index', 'attainment', 'reengagement', 'cap', 'share', 'stage']);

/** A measure's source declares the columns its kind needs to place rows in periods and channels. */
export const measureRoles: Rule = {
  name: 'measure-roles',
  check(ctx) {
    for (const { file, spec } of ctx.files.kpis) {
      const m = spec.measure as { kind: string; source?: string };
      if (!m.source || !EVENT_KINDS.has(m.kind)) continue;
      const source = ctx.project.sources[m.source];
      if (!source) continue;
      const needs: Array<[keyof typeof source, string]> = [['time', 'time'], ...(m.kind === 'funnel' ? [] : [['channel', 'channel'], ['event', 'event']] as Array<[keyof typeof source, string]>)];
      for (const [role] of needs) {
        if (!source[role]) ctx.report('kpi/missing-role', { source: m.source, role: String(role), why: `a ${m.kind} KPI` }, { file, path: ['measure', 'source'] });
      }
    }
  },
};
