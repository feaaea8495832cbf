import { targetBlocks } from '../../spec/target-blocks.js';
import type { Rule } from '../rule.js';

type Match = Record<string, string | number | boolean>;

/**
 * Two overrides tie when some slice matches both with the same number of dimensions and no
 * more specific override decides that slice. Returns such a slice, or undefined.
 */
export function tie(a: Match, b: Match, all: readonly Match[] = []): Match | undefined {
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return undefined;
  for (const key of keysA) if (key in b && b[key] !== a[key]) return undefined;
  const slice = { ...a, ...b };
  // An override whose every condition holds wherever both match, and that has more conditions, wins there.
  const decided = all.some((c) => Object.keys(c).length > keysA.length && Object.entries(c).every(([k, v]) => slice[k] === v));
  return decided ? undefined : slice;
}

const show = (m: Match) => Object.entries(m).map(([k, v]) => `${k}=${String(v)}`).join(', ');

/** Target overrides never tie: the most specific one must decide every slice. */
export const overrideTies: Rule = {
  name: 'override-ties',
  withoutProject: true,
  check(ctx) {
    for (const { file, spec } of ctx.files.kpis) {
      for (const { path, overrides } of targetBlocks(spec.target)) {
        overrides.forEach((o, j) => {
          for (let i = 0; i < j; i++) {
            const slice = tie(overrides[i]!.where, o.where, overrides.map((x) => x.where));
            if (slice) {
              ctx.report('kpi/override-tie', { other: i, example: show(slice) }, { file, path: [...path, 'overrides', j, 'where'] });
              break;
            }
          }
        });
      }
    }
  },
};
