import { CODES } from '../diagnostics/codes.js';
import { projectDefinitionHashes } from '../model/normalize.js';
import type { ChannelSpec } from '../spec/channel.js';
import type { KpiModel } from '../model/kpi.js';
import type { KpiSpec } from '../spec/kpi.js';
import type { ScorecardSpec } from '../spec/scorecard.js';
import type { ValidatedProject } from '../validate/project.js';

/** One field that differs, by its path in the file (`target.value`, `measure.numerator.where.event`). */
export interface FieldChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

export type Change = 'added' | 'removed' | 'changed' | 'renamed';

export interface ItemDiff {
  id: string;
  change: Change;
  /** For a renamed KPI: its id before. */
  from?: string;
  /** The file it is in (head, or base when removed). */
  file: string;
  fields: FieldChange[];
  /** Still there, but its file fails validation on head: not compared (its errors are reported). */
  invalid?: true;
}

export interface KpiDiff extends ItemDiff {
  /** The numbers it computes changed (measure, dimensions, sources, channels it reads): its trend is not comparable across the change. */
  definition_changed: boolean;
  /** The unit its values and targets are in (the head's; the base's when removed). */
  unit?: KpiModel['unit'];
}

export interface SemanticDiff {
  kpis: KpiDiff[];
  scorecards: ItemDiff[];
  channels: ItemDiff[];
  project: FieldChange[];
  /** Problems a reviewer must see: a removed KPI that a scorecard still uses. */
  errors: Array<{ code: string; message: string; file?: string }>;
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Field-level differences between two specs: objects are compared key by key, so a changed
 * filter value reads as `measure.where.event: opened → [opened, clicked]`; arrays and values
 * are compared whole.
 */
export function fieldChanges(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (same(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => fieldChanges(before[k], after[k], path ? `${path}.${k}` : k));
  }
  const keyed = Array.isArray(before) && Array.isArray(after) ? byItemKey(before, after) : undefined;
  if (keyed) {
    const keys = [...new Set([...keyed.before.keys(), ...keyed.after.keys()])];
    return keys.flatMap((k) => fieldChanges(keyed.before.get(k), keyed.after.get(k), `${path}[${k}]`));
  }
  return [{ path, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) }];
}

/**
 * A list of objects that name themselves (a target override by its `where`, a recipient by
 * `email`, an entry by `id`, `kpi` or `event`), as a map from that name to the item, so that
 * an edit reads item by item: `target.overrides[brand neurexa].value: 10% → 12%`, not two
 * JSON arrays cut at 80 characters. Undefined when the items do not all name themselves
 * uniquely on both sides.
 */
function byItemKey(before: unknown[], after: unknown[]): { before: Map<string, unknown>; after: Map<string, unknown> } | undefined {
  const items = [...before, ...after];
  if (items.length === 0 || !items.every(isObject)) return undefined;
  const namers: Array<(x: Record<string, unknown>) => unknown> = [
    (x) => (isObject(x.where) ? Object.entries(x.where).map(([d, v]) => `${d} ${String(v)}`).join(', ') : undefined),
    (x) => x.email, (x) => x.id, (x) => x.kpi, (x) => x.event,
  ];
  for (const name of namers) {
    const map = (list: unknown[]) => {
      const m = new Map<string, unknown>();
      for (const x of list) {
        const n = name(x as Record<string, unknown>);
        if (typeof n !== 'string' || n === '' || m.has(n)) return undefined;
        m.set(n, x);
      }
      return m;
    };
    const [b, a] = [map(before), map(after)];
    if (b && a) return { before: b, after: a };
  }
  return undefined;
}

/**
 * What a KPI computes and how its values read: its definition hash (the measure, dimensions,
 * sources, channels and inputs its numbers depend on, however the YAML is laid out), its unit
 * and its direction. A KPI with the same ones under a new id is a rename. Undefined when its
 * revision cannot be modelled.
 */
const computes = (hash: string | undefined, k: KpiSpec) => (hash === undefined ? undefined : JSON.stringify([hash, k.unit, k.direction]));

/** Each KPI's definition hash in a project (none when it cannot be modelled). */
export const hashes = (p: ValidatedProject): Map<string, string> => projectDefinitionHashes(p.files);

function byId<T extends { id: string }>(files: ReadonlyArray<{ file: { path: string }; spec: T }>): Map<string, { spec: T; path: string }> {
  return new Map(files.map((f) => [f.spec.id, { spec: f.spec, path: f.file.path }]));
}

function items<T extends { id: string }>(base: Map<string, { spec: T; path: string }>, head: Map<string, { spec: T; path: string }>, invalid: ReadonlySet<string>): ItemDiff[] {
  const out: ItemDiff[] = [];
  for (const [id, h] of head) {
    const b = base.get(id);
    if (!b) out.push({ id, change: 'added', file: h.path, fields: [] });
    else {
      const fields = fieldChanges(b.spec, h.spec);
      if (fields.length > 0) out.push({ id, change: 'changed', file: h.path, fields });
    }
  }
  // A file that fails validation on head still declares its id: the item is there, not removed.
  for (const [id, b] of base) if (!head.has(id)) out.push(invalid.has(id) ? { id, change: 'changed', file: b.path, fields: [], invalid: true } : { id, change: 'removed', file: b.path, fields: [] });
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** What changed between two revisions of a project, KPI by KPI, scorecard by scorecard, channel by channel. */
export function semanticDiff(base: ValidatedProject, head: ValidatedProject): SemanticDiff {
  const baseKpis = byId<KpiSpec>(base.files.kpis);
  const headKpis = byId<KpiSpec>(head.files.kpis);
  const baseHashes = hashes(base);
  const headHashes = hashes(head);
  const kpis: KpiDiff[] = items(baseKpis, headKpis, head.files.unchecked.kpi).map((d) => ({
    ...d, definition_changed: d.change === 'changed' && !d.invalid && baseHashes.get(d.id) !== undefined && headHashes.get(d.id) !== undefined && baseHashes.get(d.id) !== headHashes.get(d.id),
    unit: (headKpis.get(d.id) ?? baseKpis.get(d.id))!.spec.unit,
  }));
  // A removed KPI and an added one that compute the same thing: a rename.
  for (const added of kpis.filter((k) => k.change === 'added')) {
    const now = computes(headHashes.get(added.id), headKpis.get(added.id)!.spec);
    const removed = now === undefined ? undefined : kpis.find((k) => k.change === 'removed' && computes(baseHashes.get(k.id), baseKpis.get(k.id)!.spec) === now);
    if (!removed) continue;
    added.change = 'renamed';
    added.from = removed.id;
    added.fields = fieldChanges({ ...baseKpis.get(removed.id)!.spec, id: undefined }, { ...headKpis.get(added.id)!.spec, id: undefined });
    kpis.splice(kpis.indexOf(removed), 1);
  }
  const scorecards = items(byId<ScorecardSpec>(base.files.scorecards), byId<ScorecardSpec>(head.files.scorecards), head.files.unchecked.scorecard);
  const channels = items(byId<ChannelSpec>(base.files.channels), byId<ChannelSpec>(head.files.channels), head.files.unchecked.channel);
  const project = fieldChanges(base.files.project?.spec, head.files.project?.spec);
  const errors: SemanticDiff['errors'] = [];
  for (const k of kpis.filter((x) => x.change === 'removed' || x.change === 'renamed')) {
    const gone = k.change === 'removed' ? k.id : k.from!;
    for (const sc of head.files.scorecards) {
      if (sc.spec.kpis.some((sel) => (typeof sel === 'string' ? sel === gone : 'kpi' in sel && sel.kpi === gone))) {
        errors.push({ code: 'review/removed-kpi-in-use', file: sc.file.path, message: CODES['review/removed-kpi-in-use'].message({ kpi: gone, renamedTo: k.change === 'renamed' ? k.id : undefined, scorecard: sc.spec.id }) });
      }
    }
  }
  return { kpis, scorecards, channels, project, errors };
}
