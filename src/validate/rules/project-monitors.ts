import type { Rule } from '../rule.js';

/**
 * A feed is monitored for its owners: `monitor` settings on a source without `owners`
 * would look like a watched feed while nothing is ever judged or sent.
 */
export const projectMonitors: Rule = {
  name: 'project-monitors',
  check(ctx) {
    const file = ctx.files.project!.file;
    for (const [name, source] of Object.entries(ctx.project.sources)) {
      if (source.monitor && !source.owners) {
        ctx.report('project/monitor-without-owners', { source: name }, { file, path: ['sources', name, 'monitor'], target: 'key' });
      }
    }
  },
};
