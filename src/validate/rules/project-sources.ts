import { entityWords } from '../../model/entity-words.js';
import type { Rule } from '../rule.js';
import { suggest } from '../../text/suggest.js';

type Role = [role: string, column: string | undefined, path: Array<string | number>];

/** Roles whose column places a row in time, so it must hold dates or timestamps. */
const DAY_ROLES = new Set(['time column', 'validity start', 'validity end', 'span start', 'span end']);

/** Source roles name declared columns, references name declared sources, one source is the HCP table, stages are unique. */
export const projectSources: Rule = {
  name: 'project-sources',
  check(ctx) {
    const loaded = ctx.files.project;
    if (!loaded) return;
    const { file, spec } = loaded;
    const names = Object.keys(spec.sources);
    const entities = names.filter((n) => spec.sources[n]!.entity);
    if (entities.length !== 1) ctx.report('project/entity-table', { count: entities.length }, { file, path: ['sources', ...(entities[1] ? [entities[1], 'entity'] : [])] });
    // Rep-facing prescribing data: the opt-out is a yes/no column of the HCP table; the sources refer to HCPs.
    const rule = spec.privacy?.rep_facing_rx;
    const entity = entities.length === 1 ? entities[0]! : undefined;
    if (rule && entity) {
      if (spec.sources[entity]!.columns[rule.opt_out]?.type !== 'boolean') {
        ctx.report('project/rep-facing-rx-opt-out', { column: rule.opt_out, entity, one: entityWords(spec).one }, { file, path: ['privacy', 'rep_facing_rx', 'opt_out'] });
      }
      rule.sources.forEach((source, i) => {
        const columns = spec.sources[source]?.columns;
        if (!columns) ctx.report('project/rep-facing-rx-source', { name: source, suggestion: suggest(source, names) }, { file, path: ['privacy', 'rep_facing_rx', 'sources', i] });
        else if (!Object.values(columns).some((c) => c.references === entity)) ctx.report('project/rep-facing-rx-unlinked', { source, entity, many: entityWords(spec).many }, { file, path: ['privacy', 'rep_facing_rx', 'sources', i] });
      });
    }
    for (const source of Object.keys(spec.warehouse?.tables ?? {})) {
      if (!spec.sources[source]) ctx.report('project/warehouse-table', { name: source, suggestion: suggest(source, names) }, { file, path: ['warehouse', 'tables', source] });
    }
    for (const [name, source] of Object.entries(spec.sources)) {
      const columns = Object.keys(source.columns);
      const keys = Array.isArray(source.key) ? source.key.map((k, i): Role => ['key', k, ['key', i]]) : [['key', source.key, ['key']] as Role];
      const roles: Role[] = [
        ...keys,
        ['time column', source.time, ['time']],
        ['touch column', source.touch, ['touch']],
        ['channel column', source.channel, ['channel']],
        ['event column', source.event, ['event']],
        ['bot column', source.bot, ['bot']],
        ['validity start', source.validity?.from, ['validity', 'from']],
        ['validity end', source.validity?.to, ['validity', 'to']],
        ['span start', source.span?.start, ['span', 'start']],
        ['span end', source.span?.end, ['span', 'end']],
        ['vintage column', source.vintage?.column, ['vintage', 'column']],
      ];
      for (const [columnName, column] of Object.entries(source.columns)) {
        if (column.scale_by) roles.push([`scale column of ${columnName}`, column.scale_by.column, ['columns', columnName, 'scale_by', 'column']]);
      }
      for (const [role, column, path] of roles) {
        if (typeof column !== 'string') continue;
        const type = source.columns[column]?.type;
        if (!type) {
          ctx.report('project/unknown-column', { source: name, role, name: column, suggestion: suggest(column, columns) }, { file, path: ['sources', name, ...path] });
        } else if (DAY_ROLES.has(role) && type !== 'date' && type !== 'timestamp') {
          ctx.report('project/role-type', { source: name, column, role, type, expected: 'dates or timestamps' }, { file, path: ['sources', name, ...path] });
        } else if (role === 'bot column' && type !== 'boolean') {
          ctx.report('project/role-type', { source: name, column, role, type, expected: 'booleans' }, { file, path: ['sources', name, ...path] });
        }
      }
      if (source.vintage && keys.some(([, k]) => k === source.vintage!.column)) {
        ctx.report('project/vintage-key', { source: name, column: source.vintage.column }, { file, path: ['sources', name, 'vintage', 'column'] });
      }
      for (const [columnName, column] of Object.entries(source.columns)) {
        if ((column.scale || column.scale_by) && column.type !== 'integer' && column.type !== 'number') {
          ctx.report('project/role-type', { source: name, column: columnName, role: 'scale', type: column.type, expected: 'numbers' }, { file, path: ['sources', name, 'columns', columnName, column.scale ? 'scale' : 'scale_by'], target: 'key' });
        }
        if (column.references && !spec.sources[column.references]) {
          ctx.report('project/unknown-source', { name: column.references, suggestion: suggest(column.references, names) }, { file, path: ['sources', name, 'columns', columnName, 'references'] });
        }
      }
    }
    const seen = new Set<string>();
    spec.journey.stages.forEach((stage, i) => {
      if (seen.has(stage.id)) ctx.report('project/duplicate-stage', { id: stage.id }, { file, path: ['journey', 'stages', i, 'id'] });
      seen.add(stage.id);
    });
  },
};
