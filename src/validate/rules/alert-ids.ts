import type { Rule } from '../rule.js';

/** An alert's file is named after its id, and no two alerts share an id: its state and emails key on it. */
export const alertIds: Rule = {
  name: 'alert-ids',
  withoutProject: true,
  check(ctx) {
    const first = new Map<string, string>();
    for (const { file, spec } of ctx.files.alerts) {
      const name = file.path.split('/').at(-1)!.replace(/\.ya?ml$/i, '');
      if (name !== spec.id) ctx.report('alert/file-name', { id: spec.id, file: file.path }, { file, path: ['id'] });
      const seen = first.get(spec.id);
      if (seen) ctx.report('alert/duplicate-id', { id: spec.id, first: seen }, { file, path: ['id'] });
      else first.set(spec.id, file.path);
    }
  },
};
