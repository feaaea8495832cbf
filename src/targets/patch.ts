import { Document, isMap, isNode, isScalar, isSeq, visit, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import type { KpiModel } from '../model/kpi.js';
import type { Grain } from '../spec/common.js';
import type { OverrideSpec, TargetSpec, TargetValue } from '../spec/target.js';
import { leftOutWords, type KpiSuggestion, type SliceSuggestion } from './suggest.js';

const PLURAL: Record<Grain, string> = { week: 'weeks', month: 'months', quarter: 'quarters' };

/** Enough digits to see what was rounded (0.2143 → "0.214", 68.26 → "68.3"). */
const shown = (v: number) => String(Number(v.toPrecision(3)));

const sliceWords = (s: SliceSuggestion) => (Object.keys(s.slice).length === 0 ? 'the total' : Object.entries(s.slice).map(([k, v]) => `${k} ${String(v)}`).join(', '));

/** The comment above one figure: where it came from, or why the current one is kept. */
export function figureComment(s: SliceSuggestion, grain: Grain): string {
  if (s.suggested === null) return ` ${sliceWords(s)}: nothing suggested, ${s.reason}${s.current !== null ? '; the current figure is kept' : ''}`;
  const first = s.periods[0]!.period;
  const last = s.periods.at(-1)!.period;
  const count = s.skipped.length > 0 ? `${s.periods.length} of ${s.periods.length + s.skipped.length} ${PLURAL[grain]}` : `${s.periods.length} ${PLURAL[grain]}`;
  const left = s.skipped.length > 0 ? `; left out: ${leftOutWords(s.skipped)}` : '';
  return ` ${ordinal(s.percentile)} percentile of ${count} (${first}…${last}${left}): ${shown(s.unrounded!)} → ${s.suggested}`;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

const same = (a: Record<string, unknown>, b: Record<string, unknown>) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** The value and overrides the block will hold, with the comment of each figure. */
function figures(s: KpiSuggestion, block: { value?: TargetValue; overrides?: OverrideSpec[] }) {
  const total = s.slices.find((x) => Object.keys(x.slice).length === 0);
  const rest = s.slices.filter((x) => x !== total);
  const value = total ? (total.suggested ?? block.value) : block.value;
  const suggested = rest.filter((x) => x.suggested !== null || x.current !== null);
  const kept = (block.overrides ?? []).filter((o) => !rest.some((x) => same(x.slice, o.where)));
  const overrides: { override: OverrideSpec; from?: SliceSuggestion }[] = [...kept.map((o) => ({ override: o })), ...suggested.map((x) => ({ override: { where: x.slice, value: x.suggested ?? x.current! } as OverrideSpec, from: x }))];
  return { value, total, overrides, dropped: rest.filter((x) => x.suggested === null && x.current === null) };
}

/**
 * The `target:` block to paste over the KPI file's own, as YAML with a comment above each
 * figure. Everything else the target holds (a schedule, other grains) is kept as written;
 * a figure without enough history keeps its current value and says why.
 */
export function targetPatch(kpi: KpiModel, file: string, s: KpiSuggestion): string {
  const header = [` ${file} (${kpi.id}, ${s.reported}${s.grain === 'month' ? '' : `, target.grains.${s.grain}`})`];
  if (s.refused) return `#${header[0]}: nothing suggested, ${s.refused}\n`;
  if (s.slices.every((x) => x.suggested === null)) return `#${[...header, ...s.notes.map((n) => ` note: ${n}`), ...s.slices.map((x) => figureComment(x, s.grain))].join('\n#')}\n`;
  const target: TargetSpec = structuredClone(kpi.target ?? {});
  const path = s.grain === 'month' ? ['target'] : ['target', 'grains', s.grain];
  const block = (s.grain === 'month' ? target : (target.grains ??= {})[s.grain] ??= {}) as { value?: TargetValue; overrides?: OverrideSpec[] };
  const f = figures(s, { ...block });
  if (f.value === undefined) delete block.value;
  else block.value = f.value;
  if (f.overrides.length > 0) block.overrides = f.overrides.map((o) => o.override);
  else delete block.overrides;
  header.push(...s.notes.map((n) => ` note: ${n}`));
  if (f.total && f.value === undefined) header.push(figureComment(f.total, s.grain));
  header.push(...f.dropped.map((x) => figureComment(x, s.grain)));
  const doc = new Document({ target });
  commentOn(keyOf(doc.contents as YAMLMap, 'target'), header.join('\n'));
  const at = doc.getIn(path, true) as YAMLMap;
  if (f.total && f.value !== undefined) commentOn(keyOf(at, 'value'), figureComment(f.total, s.grain));
  // Overrides one a line, as the KPI files write them; at every grain, so the block reads alike.
  visit(doc, { Pair: (_, pair) => {
    if (isScalar(pair.key) && pair.key.value === 'overrides' && isSeq(pair.value)) for (const item of pair.value.items) if (isMap(item)) item.flow = true;
  } });
  const seq = at.get('overrides', true) as YAMLSeq | undefined;
  f.overrides.forEach((o, i) => {
    if (o.from) commentOn(seq?.items[i], figureComment(o.from, s.grain));
  });
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** The key node of a map's entry: a comment on it stands above the `key:` line. */
const keyOf = (map: YAMLMap, key: string) => map.items.find((p) => isScalar(p.key) && p.key.value === key)?.key;

function commentOn(node: unknown, comment: string) {
  if (isNode(node)) (node as Node).commentBefore = comment;
}
