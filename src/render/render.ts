import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import mjml2html from 'mjml';
import { formatDate, formatValue, label } from '../scorecard/format.js';
import type { KpiRow, RecipientScorecard } from '../scorecard/view.js';
import { HCP_WORDS, type EntityWords } from '../model/entity-words.js';
import { hcpName } from '../scorecard/brief.js';
import { touchWords, type TouchWords } from '../scorecard/touch-words.js';
import { markdownText } from '../text/markdown.js';
import { terminalText } from '../text/terminal.js';
import { briefCsv, briefCsvName } from './brief-csv.js';
import { npsBar, sparkline, type Chart } from './charts.js';
import type { TemplateSource } from './template-source.js';

export type { TemplateSource };

/** A template problem, with the file (and line when known) it is in. */
export class TemplateError extends Error {
  constructor(readonly file: string, message: string, readonly line?: number) {
    super(`${file}${line ? `:${line}` : ''}: ${message}`);
  }
}

export interface CompiledTemplates {
  name: string;
  html: Handlebars.TemplateDelegate;
  text: Handlebars.TemplateDelegate;
  markdown: Handlebars.TemplateDelegate;
  /** Files read, for messages. */
  files: string[];
}

export interface Attachment {
  cid: string;
  filename: string;
  content: Buffer;
  contentType: 'image/png';
}

/** A file the email carries for the reader to open (not shown inline): a rep's full HCP list. */
export interface Document {
  filename: string;
  content: Buffer;
  contentType: 'text/csv; charset=utf-8';
}

export interface RenderedScorecard {
  subject: string;
  html: string;
  text: string;
  markdown: string;
  attachments: Attachment[];
  documents: Document[];
}

/** Replaces `{{> name}}` with the partial's MJML (recursively), so MJML sees one document. */
function expandPartials(text: string, file: string, source: TemplateSource, files: string[], depth = 0): string {
  if (depth > 10) throw new TemplateError(file, 'partials include each other in a loop');
  return text.replace(/\{\{>\s*([a-z0-9_-]+)\s*\}\}/gi, (_, name: string) => {
    const partial = source.read(`partials/${name}.mjml`);
    if (!partial) throw new TemplateError(file, `the partial "${name}" is not in ${source.searched('partials')}`, lineOf(text, `{{> ${name}}}`));
    files.push(partial.path);
    return expandPartials(partial.text, partial.path, source, files, depth + 1);
  });
}

function lineOf(text: string, needle: string): number | undefined {
  const i = text.indexOf(needle);
  return i < 0 ? undefined : text.slice(0, i).split('\n').length;
}

function handlebars() {
  const hb = Handlebars.create();
  // Markdown: data values are escaped so a KPI name cannot become a link, a mention, a table cell break or HTML.
  hb.registerHelper('md', (value: unknown) => markdownText(value));
  hb.registerHelper('upper', (value: unknown) => String(value ?? '').toUpperCase());
  // Plain text: a value from data stays on its line (a line break shows as ␊) and sends no control character to a terminal.
  hb.registerHelper('line', (value: unknown) => terminalText(String(value ?? '')));
  return hb;
}

function compileWith(hb: typeof Handlebars, text: string, file: string, options: CompileOptions = {}): Handlebars.TemplateDelegate {
  try {
    const template = hb.compile(text, { ...options, strict: false });
    template({}); // Handlebars parses lazily: parse errors surface on the first call.
    return template;
  } catch (e) {
    const message = (e as Error).message;
    const line = /line (\d+)/.exec(message)?.[1];
    throw new TemplateError(file, message.split('\n')[0]!, line ? Number(line) : undefined);
  }
}

type CompileOptions = Parameters<typeof Handlebars.compile>[1];

/**
 * Compiles a scorecard template once: the MJML (with its partials) to responsive HTML,
 * then that HTML, the text and the Markdown templates with Handlebars. Rendering a
 * recipient is then only filling in values. The files come from `source`, which decides
 * where each is read from (a project's `templates/` overrides the built-in files one by one).
 */
export async function compileTemplateSource(name: string, source: TemplateSource): Promise<CompiledTemplates> {
  const files: string[] = [];
  const need = (file: string) => {
    const found = source.read(file);
    if (!found) throw new TemplateError(file, `no template ${file} in ${source.searched('')}`);
    files.push(found.path);
    return found;
  };
  const mjml = need(`${name}.mjml`);
  const expanded = expandPartials(mjml.text, mjml.path, source, files);
  const result = await mjml2html(expanded, { validationLevel: 'soft', keepComments: false });
  const errors = result.errors ?? [];
  if (errors.length > 0) {
    const e = errors[0]!;
    throw new TemplateError(mjml.path, `${e.message}${errors.length > 1 ? ` (and ${errors.length - 1} more MJML errors)` : ''}`, e.line);
  }
  const hb = handlebars();
  const text = need(`${name}.txt.hbs`);
  const md = need(`${name}.md.hbs`);
  return {
    name,
    html: compileWith(hb, compact(result.html), mjml.path),
    text: compileWith(hb, text.text, text.path, { noEscape: true }),
    markdown: compileWith(hb, md.text, md.path, { noEscape: true }),
    files,
  };
}

/** MJML's validation of a template, for tests and `kpiops validate`: every error, with its line. */
export async function validateMjml(name: string, source: TemplateSource): Promise<Array<{ line: number; message: string }>> {
  const mjml = source.read(`${name}.mjml`)!;
  const result = await mjml2html(expandPartials(mjml.text, mjml.path, source, []), { validationLevel: 'soft' });
  return (result.errors ?? []).map((e) => ({ line: e.line, message: e.message }));
}

/** Compiled MJML is indented for people; whitespace between tags is only weight in an email. */
const compact = (html: string) => html.replace(/>\s+</g, '><').replace(/[ \t]*\n[ \t]*/g, '\n').replace(/\n{2,}/g, '\n');

// A chart's Content-ID names what it draws; charts shared through the cache are hashed once.
const digests = new WeakMap<Buffer, string>();
const cidOf = (kind: string, id: string, content: Buffer) => {
  let digest = digests.get(content);
  if (!digest) digests.set(content, (digest = createHash('sha256').update(content).digest('hex').slice(0, 12)));
  return `${kind}-${id}-${digest}@kpiops`;
};

/**
 * Status colours, all with at least 4.5:1 contrast on white; the symbol and word carry the meaning too.
 * Each comes with the template's class for it, which gives the dark-scheme colour.
 */
export const STATUS_COLOR: Readonly<Record<string, string>> = { green: '#1e7b34', amber: '#8a5300', red: '#b42318' };
const MUTED = '#52606d';


/** Charts are cached by what they draw: recipients who see the same trend share one rasterization. */
export class ChartCache {
  private readonly cache = new Map<string, Chart | undefined>();
  get(key: string, draw: () => Chart | undefined): Chart | undefined {
    if (!this.cache.has(key)) this.cache.set(key, draw());
    return this.cache.get(key);
  }
}

/** The template's view of one recipient's scorecard: the model plus display strings and chart references. */
function viewOf(card: RecipientScorecard, charts: ChartCache, attachments: Attachment[], minCell: number, words: TouchWords, csvName: string | undefined) {
  const attach = (kind: string, id: string, chart: Chart | undefined) => {
    if (!chart) return undefined;
    const cid = cidOf(kind, id, chart.png);
    if (!attachments.some((a) => a.cid === cid)) attachments.push({ cid, filename: `${kind}-${id}.png`, content: chart.png, contentType: 'image/png' });
    return { cid, width: chart.width, height: chart.height, alt: chart.alt };
  };
  const row = (r: KpiRow) => {
    const chart = attach('trend', r.id, charts.get(`trend|${r.name}|${r.unit}|${JSON.stringify(r.trend.map((t) => t.value))}|${typeof r.target?.value === 'number' ? r.target.value : ''}`, () => sparkline(r)));
    const distribution = r.distribution
      ? attach('answers', r.id, charts.get(`nps|${r.name}|${JSON.stringify(r.distribution)}`, () => npsBar(r.name, r.distribution!)))
      : undefined;
    const total = r.distribution ? r.distribution.promoters + r.distribution.passives + r.distribution.detractors : 0;
    const pct = (n: number) => (total > 0 ? formatValue(n / total, 'percent') : '—');
    return {
      ...r,
      status_color: STATUS_COLOR[r.status.status] ?? MUTED,
      status_class: Object.hasOwn(STATUS_COLOR, r.status.status) ? `k-${r.status.status}` : 'k-muted',
      // A hidden value's count is small by definition: it is hidden too.
      n_display: r.suppressed ? `under ${minCell}` : r.n.toLocaleString('en-US'),
      ...(chart ? { chart } : {}),
      ...(distribution ? { distribution_chart: distribution } : {}),
      ...(r.distribution ? { distribution_text: { promoters: pct(r.distribution.promoters), passives: pct(r.distribution.passives), detractors: pct(r.distribution.detractors), respondents: r.distribution.respondents.toLocaleString('en-US') } } : {}),
      definition_changes: r.definition_changes.map((c) => ({ ...c, ...(c.commit ? { short_commit: c.commit.slice(0, 7) } : {}) })),
    };
  };
  const previous = card.groups.flatMap((g) => g.rows).find((r) => r.previous)?.previous?.period;
  return {
    ...card,
    subject: subjectOf(card),
    min_cell: minCell,
    previous_label: previous ?? 'the previous period',
    audit: { ...card.audit, config_short: card.audit.config_hash.slice(0, 12) },
    groups: card.groups.map((g) => ({ ...g, rows: g.rows.map(row) })),
    // Templates name the counted entities with these words: {{entity.many}}, {{entity.One}} …
    entity: card.entity ?? HCP_WORDS,
    ...(card.brief ? { brief: briefText(card.brief, words, csvName, card.entity ?? HCP_WORDS) } : {}),
  };
}

/** The brief's display strings: names, channels and touches in words, and the one-line summary of the others. */
function briefText(brief: NonNullable<RecipientScorecard['brief']>, words: TouchWords, csvName: string | undefined, entity: EntityWords) {
  const { others } = brief;
  const parts = [
    others.engaged > 0 ? `${others.engaged} engaged` : '',
    others.contacted > 0 ? `${others.contacted} contacted without engaging` : '',
    others.untouched > 0 ? `${others.untouched} with no touch in ${brief.look_back_months} months` : '',
  ].filter(Boolean);
  return {
    ...brief,
    csv_name: csvName,
    action: brief.action.map((h) => ({
      ...h,
      display_name: hcpName(h),
      // The id beside a name: two HCPs may share a name, and the CRM is searched by id.
      ...(hcpName(h) !== h.hcp_id ? { id_note: h.hcp_id } : {}),
      specialty_text: [h.specialty, h.segment].filter(Boolean).map((x) => label(String(x))).join(' · '),
      channels_text: h.channels.length > 0 ? h.channels.map(words.channel).join(', ') : 'no engagement',
      ...(h.last_touch ? { last_touch_text: `${words.touch(h.last_touch.channel, h.last_touch.event)}, ${formatDate(h.last_touch.at)}` } : {}),
      ...(h.over_cap ? { over_cap: { ...h.over_cap, channel_name: words.channel(h.over_cap.channel) } } : {}),
    })),
    over_cap_names: brief.over_cap.map(hcpName),
    others_text: others.total === 0 ? '' : `${others.total} other ${others.total === 1 ? entity.one : entity.many}, nothing to follow up${parts.length > 0 ? `: ${parts.join(', ')}` : ''}.`,
  };
}

/** "Brand monthly scorecard — Brand cardiora, 2026-10: 5 on target, 1 near, 9 off". */
export function subjectOf(card: RecipientScorecard): string {
  const c = card.headline.counts;
  return `${card.scorecard.title} — ${card.slice_label}, ${card.period.label}: ${c.green} on target, ${c.amber} near, ${c.red} off`;
}

/** Renders one recipient's scorecard: HTML email, text part, Markdown, the PNG charts the HTML refers to by CID, and a rep's full HCP list as CSV. */
export function renderScorecard(t: CompiledTemplates, card: RecipientScorecard, options: { charts?: ChartCache; words?: TouchWords } = {}): RenderedScorecard {
  const words = options.words ?? touchWords([]);
  const territory = card.recipient.filter.territory;
  const documents: Document[] = card.brief && typeof territory === 'string'
    ? [{ filename: briefCsvName(territory, card.period.label), content: briefCsv(card.brief, words), contentType: 'text/csv; charset=utf-8' }]
    : [];
  const attachments: Attachment[] = [];
  const view = viewOf(card, options.charts ?? new ChartCache(), attachments, card.min_cell, words, documents[0]?.filename);
  const html = t.html(view);
  return { subject: view.subject, html, text: t.text(view).replace(/\n{3,}/g, '\n\n'), markdown: t.markdown(view).replace(/\n{3,}/g, '\n\n'), attachments, documents };
}
