import { htmlText, markdownCode, markdownText } from '../text/markdown.js';
import type { FieldChange, ItemDiff, KpiDiff, SemanticDiff } from './diff.js';
import type { Impact, SliceImpact } from './impact.js';
import { formatValue } from '../scorecard/format.js';
import { STATUS_WORDS } from '../scorecard/status-words.js';
import type { KpiModel } from '../model/kpi.js';

export interface Review {
  version: 'review/v1';
  base: { ref: string; commit?: string };
  head: { ref: string; commit?: string };
  diff: SemanticDiff;
  impact?: Impact;
  /** Why there is no impact section (no snapshot given, or the data failed its checks). */
  impact_note?: string;
  /** Every KPI whose definition hash changed, also through a channel or project change. */
  redefined?: string[];
}

/** The hidden marker the sticky pull-request comment is found by. */
export const MARKER = '<!-- kpiops-review -->';
const LIMIT = 60_000;

// Every id, name and value below comes from YAML or data: shown, never acted on.
const code = markdownCode;
const html = htmlText;
const md = markdownText;

function value(v: unknown, unit?: Unit): string {
  if (v === undefined) return '—';
  // A target reads in the KPI's unit, as the scorecard shows it (25%, not 0.25).
  const text = typeof v === 'number' && unit ? formatValue(v, unit) : typeof v === 'string' ? v : JSON.stringify(v);
  return code(text.length > 80 ? `${text.slice(0, 77)}…` : text);
}

type Unit = KpiModel['unit'];
const isList = (x: unknown): x is Array<string | number | boolean> => Array.isArray(x) && x.every((i) => ['string', 'number', 'boolean'].includes(typeof i));
const inUnit = (path: string) => /^target(\.|$)/.test(path);

/** Why a recipient's scorecard changes: a KPI id (`reach`, `reach added`) as code, words as text. */
const reason = (r: string) => {
  const m = /^([a-z][a-z0-9_]*)( added| removed)?$/.exec(r);
  return m ? `${code(m[1]!)}${m[2] ?? ''}` : md(r);
};

/** A slice by its dimensions and values: `brand cardiora · country DE`, or `total`. */
const sliceName = (s: Pick<SliceImpact, 'dims'>) => (Object.keys(s.dims).length === 0 ? 'total' : Object.entries(s.dims).map(([d, v]) => `${md(d)} ${md(v)}`).join(' · '));
const cell = (x: SliceImpact['before']) => {
  if (!x) return '—';
  const words = Object.hasOwn(STATUS_WORDS, x.status) ? STATUS_WORDS[x.status as keyof typeof STATUS_WORDS] : undefined;
  return `${md(x.display)} ${words?.emoji ?? ''} ${words?.word ?? md(x.status)}`;
};

function fields(list: readonly FieldChange[], unit?: Unit): string[] {
  return list.map((f) => {
    const path = f.path ? code(f.path) : '(whole file)';
    // A list edit reads as the items it adds and removes (stages: + retention − awareness), not two arrays cut at 80 characters.
    if (isList(f.before) && isList(f.after)) {
      const before: unknown[] = f.before;
      const after: unknown[] = f.after;
      const edit = [...after.filter((x) => !before.includes(x)).map((x) => `+ ${value(x)}`), ...before.filter((x) => !after.includes(x)).map((x) => `− ${value(x)}`)].join(' ');
      return `| ${path} | ${before.length} item${before.length === 1 ? '' : 's'} | ${edit || 'same items, new order'} |`;
    }
    const u = unit && inUnit(f.path) ? unit : undefined;
    return `| ${path} | ${value(f.before, u)} | ${value(f.after, u)} |`;
  });
}

/** A table cut at `max` rows with "… and N more". */
function capped(header: string[], rows: string[], max: number): string[] {
  const empty = ' |'.repeat(header[0]!.split('|').length - 3);
  return [...header, ...rows.slice(0, max), ...(rows.length > max ? [`| … and ${rows.length - max} more |${empty}`] : [])];
}

function line(d: ItemDiff | KpiDiff, kind: string): string {
  if (d.invalid) return `- ${kind} ${code(d.id)} changed — its file has validation errors (above), so it is not compared`;
  const what = d.change === 'renamed' ? `renamed from ${code(d.from)}` : d.change;
  const paths = d.fields.map((f) => f.path.split(/[.[]/)[0]).filter((p, i, a) => p && a.indexOf(p) === i);
  const redefined = 'definition_changed' in d && d.definition_changed ? ' — **definition changed: its trend is not comparable across this change**' : '';
  return `- ${kind} ${code(d.id)} ${what}${paths.length > 0 ? ` (${paths.map((p) => `${code(p)}`).join(', ')})` : ''}${redefined}`;
}

/**
 * The impact first, exact and per scorecard: each at its own grain and period, with the KPIs
 * whose line changes, the status flips and the recipients whose scorecard reads differently.
 */
function impactTable(impact: Impact): string[] {
  const total = impact.recipients.length;
  const audience = impact.scorecards.reduce((n, x) => n + x.audience, 0);
  const rows = impact.scorecards.map((x) => `| ${code(x.scorecard)}${x.change === 'added' ? ' (new)' : x.change === 'removed' ? ' (removed)' : ''} | ${md(x.period)} | ${x.kpis_changed} | ${x.status_flips} | ${x.recipients_affected > 0 ? `**${x.recipients_affected}**` : '0'} of ${x.audience} |`);
  return [
    `On the snapshot, rendered as \`kpiops run\` would send it: **${total} of ${audience} recipient${audience === 1 ? '' : 's'}** would read a different scorecard.`, '',
    '| scorecard | period | KPIs changed | status flips | recipients affected |', '|---|---|---:|---:|---:|', ...rows,
  ];
}

/** The review as Markdown: the summary first, then details folded, under 60,000 characters. */
export function reviewMarkdown(r: Review): string {
  const { diff, impact } = r;
  const count = (list: ItemDiff[], c: string) => list.filter((d) => d.change === c).length;
  const total = diff.kpis.length + diff.scorecards.length + diff.channels.length + (diff.project.length > 0 ? 1 : 0);
  const head = [MARKER, `### kpiops review: ${code(r.base.ref)} → ${code(r.head.ref)}`, ''];
  if (total === 0) return [...head, 'No KPI, scorecard, channel or project setting changed: the numbers and the scorecards stay exactly as they are.', ''].join('\n');
  const lines = [...head];
  const parts = (list: ItemDiff[], name: string) => {
    const bits = ['added', 'changed', 'renamed', 'removed'].map((c) => [count(list, c), c] as const).filter(([n]) => n > 0).map(([n, c]) => `${n} ${c}`);
    return bits.length > 0 ? `**${name}:** ${bits.join(', ')}` : '';
  };
  lines.push([parts(diff.kpis, 'KPIs'), parts(diff.scorecards, 'scorecards'), parts(diff.channels, 'channels'), diff.project.length > 0 ? '**project settings** changed' : ''].filter(Boolean).join(' · '));
  if (impact) lines.push('', ...impactTable(impact));
  else if (r.impact_note) lines.push('', `_${md(r.impact_note)}_`);
  if (diff.errors.length > 0) lines.push('', ...diff.errors.map((e) => `> ❌ **${md(e.message)}**${e.file ? ` (${code(e.file)})` : ''}`));
  const redefined = [...new Set([...diff.kpis.filter((k) => k.definition_changed).map((k) => k.id), ...(r.redefined ?? [])])].sort();
  if (redefined.length > 0) {
    const shown = redefined.slice(0, 12).map(code).join(', ') + (redefined.length > 12 ? ` and ${redefined.length - 12} more` : '');
    lines.push('', `> ⚠️ ${shown}: what ${redefined.length === 1 ? 'it computes' : 'they compute'} changed, so ${redefined.length === 1 ? 'its' : 'their'} trend before and after this change is not comparable.`);
  }
  // Status flips first: that is what a reviewer approves or not.
  const flipRows = (impact?.kpis ?? []).flatMap((k) => k.slices.filter((s) => s.before && s.after && s.before.status !== s.after.status).map((s) => `| ${code(k.id)} | ${md(k.period)} | ${sliceName(s)} | ${cell(s.before)} → ${cell(s.after)} |`));
  // By slice of the data (a country, a brand), whether or not a recipient's scorecard shows that slice.
  if (flipRows.length > 0) lines.push('', '#### Status flips by slice', '', ...capped(['| KPI | period | slice | before → after |', '|---|---|---|---|'], flipRows, 25));
  // Why a total's value moves between the two definitions, by slice, where the slices add up.
  const movedRows = (impact?.kpis ?? []).filter((k) => (k.moved ?? []).length > 0);
  if (movedRows.length > 0) {
    lines.push('', '#### What moved the totals', '');
    for (const k of movedRows.slice(0, 12)) {
      const total = k.slices.find((s) => Object.keys(s.dims).length === 0);
      lines.push(`- ${code(k.id)} ${md(k.period)}${total?.before && total.after ? `, ${md(total.before.display)} → ${md(total.after.display)}` : ''}:`, ...k.moved!.map((m) => `  - ${md(m.text)}`));
    }
    if (movedRows.length > 12) lines.push(`- … and ${movedRows.length - 12} more KPIs`);
  }
  // A new target read against the slice's own past: a reviewer sees at once whether it was ever met.
  const met = (x: { met: number; of: number } | null) => (x ? `${x.met} of ${x.of}` : '—');
  const targetMoves = (impact?.kpis ?? []).flatMap((k) => (k.targets ?? []).map((t) => ({ total: Object.keys(t.dims).length === 0, row: `| ${code(k.id)} | ${sliceName(t)} | ${t.before ? md(t.before.display) : '—'} → ${t.after ? md(t.after.display) : '—'} | ${met(t.before)} → ${met(t.after)} | ${md(t.from)}…${md(t.to)} |` })));
  const targetHeader = ['| KPI | slice | target | met | periods |', '|---|---|---|---|---|'];
  // The totals up front (or the first slices when only overrides change); every slice folded below.
  const leading = targetMoves.some((t) => t.total) ? targetMoves.filter((t) => t.total) : targetMoves.slice(0, 8);
  if (leading.length > 0) lines.push('', '#### New targets against their history', '', 'How many of the periods before the reported one met the old target and the new one.', '', ...capped(targetHeader, leading.map((t) => t.row), 12));
  if (targetMoves.length > leading.length) lines.push('', `<details><summary>Every slice whose target changes (${targetMoves.length})</summary>`, '', ...capped(targetHeader, targetMoves.map((t) => t.row), 40), '', '</details>');
  lines.push('', '#### What changed', '', ...diff.kpis.map((d) => line(d, 'KPI')), ...diff.scorecards.map((d) => line(d, 'scorecard')), ...diff.channels.map((d) => line(d, 'channel')), ...(diff.project.length > 0 ? [`- \`kpiops.yaml\` (${[...new Set(diff.project.map((f) => f.path.split('.')[0]))].map((p) => `${code(p)}`).join(', ')})`] : []));
  const details: string[] = [];
  for (const d of [...diff.kpis, ...diff.scorecards, ...diff.channels].filter((x) => x.fields.length > 0)) {
    const unit = 'unit' in d ? (d as KpiDiff).unit : undefined;
    details.push('', `<details><summary><code>${html(d.id)}</code>: ${d.fields.length} field${d.fields.length === 1 ? '' : 's'}</summary>`, '', ...capped(['| field | before | after |', '|---|---|---|'], fields(d.fields, unit), 40), '', '</details>');
  }
  if (diff.project.length > 0) details.push('', '<details><summary><code>kpiops.yaml</code></summary>', '', ...capped(['| field | before | after |', '|---|---|---|'], fields(diff.project), 40), '', '</details>');
  for (const k of impact?.kpis ?? []) {
    const rows = k.slices.map((s) => `| ${sliceName(s)} | ${cell(s.before)} | ${cell(s.after)} |`);
    details.push('', `<details><summary>Values of <code>${html(k.id)}</code>, ${html(k.period)}: ${k.slices.length} slice${k.slices.length === 1 ? '' : 's'} change${k.slices.length === 1 ? 's' : ''}, ${k.unchanged} stay${k.unchanged === 1 ? 's' : ''}</summary>`, '', ...capped(['| slice | before | after |', '|---|---|---|'], rows, 30), '', '</details>');
  }
  if (impact && impact.recipients.length > 0) {
    const rows = impact.recipients.map((x) => `| ${md(x.name)} | ${code(x.scorecard)} | ${x.reasons.map(reason).join(', ')} |`);
    // Exact: every recipient whose rendered scorecard reads differently, none predicted.
    details.push('', `<details><summary>${impact.recipients.length} recipient${impact.recipients.length === 1 ? '' : 's'} whose scorecard changes</summary>`, '', ...capped(['| recipient | scorecard | why |', '|---|---|---|'], rows, 50), '', '</details>');
  }
  let text = [...lines, ...details, ''].join('\n');
  if (text.length > LIMIT) {
    let cut = text.slice(0, LIMIT - 300).replace(/\n[^\n]*$/, '');
    if ((cut.match(/<details>/g) ?? []).length > (cut.match(/<\/details>/g) ?? []).length) cut += '\n\n</details>';
    text = `${cut}\n\n_… the rest is cut to keep this comment under ${LIMIT.toLocaleString('en-US')} characters; \`kpiops diff --format json\` has everything._\n`;
  }
  return text;
}
