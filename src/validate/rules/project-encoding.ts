import type { Rule } from '../rule.js';

/**
 * A source built from exports is read from their files, each with its own `encoding`: one
 * on the source itself would apply to no file, and silently so.
 */
export const projectEncoding: Rule = {
  name: 'project-encoding',
  check(ctx) {
    const file = ctx.files.project!.file;
    for (const [name, source] of Object.entries(ctx.project.sources)) {
      if (source.exports && source.encoding !== undefined) {
        ctx.report('project/encoding-with-exports', { source: name, encoding: source.encoding, exports: Object.keys(source.exports) }, { file, path: ['sources', name, 'encoding'], target: 'key' });
      }
    }
  },
};
