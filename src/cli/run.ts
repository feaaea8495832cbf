import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { exitCodeFor, hasErrors } from '../diagnostics/diagnostic.js';
import { markdownText } from '../text/markdown.js';
import { terminalText } from '../text/terminal.js';
import { kpisBySource } from '../model/dependencies.js';
import { lastCoveredPeriod, notStarted, parsePeriod, trailing, type Period } from '../model/period.js';
import { TREND_PERIODS } from '../compile/compile.js';
import { definitionHistory } from '../source/git.js';
import { composeEmail, type Sender } from '../render/email.js';
import { senderOf, sendOutbox, type Sendable } from './send.js';
import { smtpConfigFromEnv, type SmtpConfig } from '../deliver/smtp-settings.js';
import { ChartCache, compileTemplates, renderScorecard, TemplateError, type CompiledTemplates, type RenderedScorecard } from '../render/render.js';
import type { RecipientScorecard } from '../scorecard/model.js';
import { touchWords, type TouchWords } from '../scorecard/touch-words.js';
import { defaultPeriod, scorecardCards } from './scorecard-cards.js';
import type { ScorecardSpec } from '../spec/scorecard.js';
import { validateProject, type ValidatedProject } from '../validate/project.js';
import { modelOf, report, snapshotOf } from './eval.js';
import { progress as makeProgress } from './progress.js';
import { checkSnapshot, snapshotDir } from './validate.js';
import { checkManifest } from '../validate/manifest.js';
import { PostgresError } from '../engine/postgres/database.js';
import { warehouseRun } from '../pipeline/warehouse.js';

export interface RunOptions {
  project: string;
  /** Required on DuckDB; on PostgreSQL (`engine`, with `schema` and `asOf` as for eval), the snapshot load-postgres copied. */
  snapshot?: string;
  engine?: 'duckdb' | 'postgres';
  schema?: string;
  asOf?: string;
  scorecard?: string;
  period?: string;
  out: string;
  from?: string;
  memoryLimit?: string;
  quiet?: boolean;
  /** Send the rendered scorecards through SMTP (settings from KPIOPS_SMTP_* variables). */
  send?: boolean;
  /** Decide what would be sent, send nothing. */
  dryRun?: boolean;
  /** Only this recipient's address. */
  only?: string;
  /** Send again a scorecard that changed since it was sent for the same period. */
  resendChanged?: boolean;
  /** The delivery ledger (JSON lines); default `<out>/../ledger.jsonl`. */
  ledger?: string;
  /** Seconds to wait for another run that holds the ledger (default 600). */
  ledgerWait?: string;
  /** Print each scorecard's period (from snapshot.yaml alone) and stop. */
  printPeriod?: boolean;
}

interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

export interface OutboxEntry {
  scorecard: string;
  period: string;
  recipient: string;
  email: string;
  status: 'rendered' | 'skipped';
  /** The email carries an n=1 HCP brief (a rep scorecard): it must not leave the rep's mailbox. */
  brief?: true;
  reason?: string;
  /** `csv`: a rep's full HCP list, attached to the email. */
  files?: { eml: string; html: string; text: string; markdown: string; csv?: string };
  subject?: string;
  html_bytes?: number;
  statuses?: Record<string, number>;
  suppressed?: number;
}

/**
 * A recipient's file name: readable, plus a short hash of the address itself, so that
 * addresses the readable part cannot tell apart (`jonas-keller@x`, `jonas+keller@x`) never
 * share files. Lower case, as addresses are compared everywhere else (ledger, Message-ID).
 */
export const recipientSlug = (email: string) => {
  const address = email.toLowerCase();
  return `${address.replace(/@/, '_at_').replace(/[^a-z0-9._-]+/g, '-')}-${createHash('sha256').update(address).digest('hex').slice(0, 8)}`;
};

/** Writes a file via a temporary name and a rename, so a crash never leaves half a file. */
function writeAtomic(path: string, data: string | Buffer) {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** The HTML page next to the .eml: the same email, with the charts as files beside it instead of CID parts. */
function pageHtml(html: string, files: string, attachments: RenderedAttachments): string {
  let page = html;
  for (const a of attachments) page = page.replaceAll(`cid:${a.cid}`, `${files}/${a.filename}`);
  return page;
}
type RenderedAttachments = ReturnType<typeof renderScorecard>['attachments'];

/**
 * `kpiops run`: evaluates the snapshot for each scorecard's period, builds every
 * recipient's scorecard and writes an outbox: per recipient an .eml ready to send, an
 * HTML page, the text part and Markdown; plus a run summary. Rep scorecards (with a
 * `brief`) are evaluated without PDRP opt-outs' prescribing data and get the n=1 brief.
 */
export async function runCommand(options: RunOptions, s: Streams): Promise<number> {
  // Settings that cannot work are refused before anything is evaluated or rendered.
  let smtp: SmtpConfig | undefined;
  if (options.send && !options.dryRun) {
    const c = smtpConfigFromEnv(s.env, options.from);
    if ('problem' in c) {
      s.err.write(`kpiops: ${c.problem}\n`);
      return 2;
    }
    smtp = c;
  }
  const ledgerWait = options.ledgerWait === undefined ? 600 : Number(options.ledgerWait);
  if (!Number.isInteger(ledgerWait) || ledgerWait < 0) {
    s.err.write(`kpiops: --ledger-wait must be a whole number of seconds (got "${options.ledgerWait}")\n`);
    return 2;
  }
  if (!options.snapshot && (options.engine !== 'postgres' || options.printPeriod)) {
    s.err.write(`kpiops: run needs --snapshot DIR${options.printPeriod ? '' : ' (or --engine postgres to run on a warehouse)'}\n`);
    return 2;
  }
  const validated = await validateProject(options.project);
  if (hasErrors(validated.diagnostics) || !validated.files.project) {
    report(validated.diagnostics, validated, s);
    return exitCodeFor(validated.diagnostics);
  }
  const all = validated.files.scorecards.map((f) => f.spec);
  const scorecards = options.scorecard ? all.filter((c) => c.id === options.scorecard) : all;
  if (scorecards.length === 0) {
    s.err.write(`kpiops: ${options.scorecard ? `no scorecard "${options.scorecard}"; there are: ${all.map((c) => c.id).join(', ') || 'none'}` : 'the project has no scorecards in scorecards/'}\n`);
    return 2;
  }
  const calendar = modelOf(validated).calendar;
  const requested = options.period === undefined ? undefined : parsePeriod(options.period, calendar);
  if (options.period !== undefined && !requested) {
    s.err.write(`kpiops: --period must be a month (2026-10), an ISO week (2026-W43) or a quarter (2026-Q3); got "${options.period}"\n`);
    return 2;
  }
  if (requested) {
    const wrong = scorecards.filter((c) => c.grain !== requested.grain);
    if (wrong.length === scorecards.length || options.scorecard) {
      if (wrong.length > 0) {
        s.err.write(`kpiops: --period ${requested.label} is a ${requested.grain}, but ${wrong.map((c) => `${c.id} is ${c.grain}ly`).join(', ')}\n`);
        return 2;
      }
    }
  }
  if (options.printPeriod) return printPeriods(options, validated, scorecards, requested, s);
  let templates: Map<string, CompiledTemplates>;
  try {
    templates = new Map();
    for (const name of new Set(scorecards.map((c) => c.template ?? 'scorecard'))) templates.set(name, await compileTemplates(name, join(options.project, 'templates')));
  } catch (e) {
    if (e instanceof TemplateError) {
      s.err.write(`kpiops: template error: ${terminalText(e.message)}\n`);
      return 1;
    }
    throw e;
  }
  const progress = makeProgress(s.err, Boolean(options.quiet));
  const checked = options.engine === 'postgres'
    ? await warehouseRun({ ...options, validated, scorecards, env: s.env, onStep: (step) => progress.step(step), onFinding: (line) => s.err.write(`${line}\n`) })
    : await checkSnapshot(validated, snapshotDir(options.project, options.snapshot!), progress, options.memoryLimit);
  const diagnostics = [...validated.diagnostics, ...checked.diagnostics];
  if ('problem' in checked && checked.problem) {
    progress.done();
    s.err.write(`kpiops: ${checked.problem.text}\n`);
    return checked.problem.code;
  }
  const snapshot = checked.manifest ? snapshotOf(checked.manifest, checked.manifestText ?? '') : 'snapshot' in checked ? checked.snapshot : undefined;
  if (!checked.loaded || !snapshot) {
    progress.done();
    report(diagnostics, validated, s);
    return exitCodeFor(diagnostics);
  }
  const loaded = checked.loaded;
  const asOf = new Date(snapshot.as_of);
  const unstarted = requested && notStarted(requested, asOf, calendar);
  if (unstarted) {
    progress.done();
    await loaded.db.close();
    s.err.write(`kpiops: ${unstarted}\n`);
    return 1;
  }
  const project = validated.files.project.spec;
  const kpis = new Map(validated.files.kpis.map((k) => [k.spec.id, k.spec]));
  const bySource = kpisBySource([...kpis.values()], project);
  const blocked = [...loaded.failed].flatMap((table) => (bySource.get(table) ?? []).map((kpi) => ({ kpi, table })));
  const entries: OutboxEntry[] = [];
  const out = resolve(options.out);
  const charts = new ChartCache();
  const words = touchWords(validated.files.channels.map((c) => c.spec));
  const sender = senderOf(s.env, options.from);
  const sendables: Sendable[] = [];
  let failed = false;
  try {
    for (const scorecard of scorecards) {
      if (requested && requested.grain !== scorecard.grain) {
        for (const r of scorecard.audience) entries.push({ scorecard: scorecard.id, period: requested.label, recipient: r.name, email: r.email, status: 'skipped', reason: `--period ${requested.label} is not a ${scorecard.grain}` });
        continue;
      }
      const period = requested ?? defaultPeriod(scorecard, asOf, calendar);
      // Definition changes inside the trend window, from git history when there is one.
      const window = trailing(period, TREND_PERIODS, calendar);
      const history = definitionHistory(options.project, window[0]!.start, period.end);
      const built = await scorecardCards({ validated, db: loaded.db, snapshot, blocked, unloaded: new Set([...loaded.failed, ...loaded.absent]), history, onQuery: (id) => progress.step(id) }, scorecard, period);
      if ('problems' in built) {
        progress.done();
        report(diagnostics, validated, s);
        s.err.write(`${built.problems.map((p) => `✖ ${terminalText(p)}`).join('\n')}\n`);
        return 1;
      }
      const cards = built.cards;
      const template = templates.get(scorecard.template ?? 'scorecard')!;
      const dir = join(out, scorecard.id, period.label);
      mkdirSync(dir, { recursive: true });
      for (const card of cards) {
        progress.step(`Rendering ${scorecard.id}: ${card.recipient.email}`);
        const base = { scorecard: scorecard.id, period: period.label, recipient: card.recipient.name, email: card.recipient.email, ...(scorecard.brief ? { brief: true as const } : {}) };
        if (card.empty && scorecard.send?.skip_when_empty !== false) {
          entries.push({ ...base, status: 'skipped', reason: `no data for ${card.slice_label}` });
          continue;
        }
        const written = await writeRecipient(dir, card, template, charts, words, sender, asOf, project.privacy?.min_cell_size ?? 11, base);
        entries.push(written.entry);
        sendables.push({ card, rendered: written.rendered, eml: written.eml, when: scorecard.send?.when ?? 'always', date: asOf });
      }
    }
  } catch (e) {
    failed = true;
    if (!(e instanceof PostgresError)) throw e;
    s.err.write(`kpiops: ${e.message}\n`);
    return 1;
  } finally {
    progress.done();
    await loaded.db.close();
    if (!failed) writeSummary(out, entries);
  }
  report(diagnostics, validated, s);
  for (const note of loaded.notes) s.err.write(`ℹ ${terminalText(note)}\n`);
  const rendered = entries.filter((e) => e.status === 'rendered');
  const skipped = entries.filter((e) => e.status === 'skipped');
  s.err.write(`✔ ${rendered.length} scorecards rendered${skipped.length > 0 ? `, ${skipped.length} skipped` : ''} → ${out}\n`);
  // Skips grouped by scorecard and reason: one line for twenty reps skipped for the same reason.
  const groups = new Map<string, OutboxEntry[]>();
  for (const e of skipped) groups.set(`${e.scorecard} ${e.period}: ${e.reason}`, [...(groups.get(`${e.scorecard} ${e.period}: ${e.reason}`) ?? []), e]);
  // Reasons name slices and recipients from YAML and data: shown, never acted on by the terminal.
  for (const [key, list] of groups) s.err.write(terminalText(`  skipped ${key} (${list.length === 1 ? list[0]!.email : `${list.length} recipients`})`) + '\n');
  s.err.write(`  open ${join(out, 'summary.md')} for the list, or any .html file in a browser\n`);
  // KPIs on tables that failed (on a warehouse: missing or empty there) were not computed.
  const code = Math.max(exitCodeFor(diagnostics), loaded.failed.size > 0 ? 1 : 0);
  if (!options.send && !options.dryRun) return code;
  const sent = await sendOutbox(sendables, {
    dryRun: Boolean(options.dryRun), resendChanged: Boolean(options.resendChanged), out,
    ledger: resolve(options.ledger ?? join(out, '..', 'ledger.jsonl')), ...(options.only ? { only: options.only } : {}),
    ...(smtp ? { smtp } : {}), lockWaitMs: ledgerWait * 1000,
  }, sender, s.env, s.err);
  return Math.max(code, sent);
}

/**
 * `run --print-period`: the period each scorecard would be run for, one `id period` line
 * each, from the snapshot's as-of date alone (nothing is loaded), so that a workflow can
 * name a send before it runs it.
 */
function printPeriods(options: RunOptions, validated: ValidatedProject, scorecards: readonly ScorecardSpec[], requested: Period | undefined, s: Streams): number {
  const manifest = checkManifest(snapshotDir(options.project, options.snapshot!));
  if (!manifest.manifest) {
    if (manifest.text !== undefined) validated.texts.set(manifest.path, manifest.text);
    report(manifest.diagnostics, validated, s);
    return exitCodeFor(manifest.diagnostics);
  }
  const asOf = new Date(manifest.manifest.spec.as_of);
  const calendar = modelOf(validated).calendar;
  for (const scorecard of scorecards) {
    if (requested && requested.grain !== scorecard.grain) continue;
    s.out.write(`${scorecard.id} ${(requested ?? defaultPeriod(scorecard, asOf, calendar)).label}\n`);
  }
  return 0;
}

async function writeRecipient(dir: string, card: RecipientScorecard, template: CompiledTemplates, charts: ChartCache, words: TouchWords, sender: Sender, date: Date, minCell: number, base: Omit<OutboxEntry, 'status'>): Promise<{ entry: OutboxEntry; rendered: RenderedScorecard; eml: Buffer }> {
  const rendered = renderScorecard(template, card, { charts, minCell, words });
  const slug = recipientSlug(card.recipient.email);
  const files = `${slug}.files`;
  mkdirSync(join(dir, files), { recursive: true });
  for (const a of rendered.attachments) writeAtomic(join(dir, files, a.filename), a.content);
  const eml = await composeEmail(card, rendered, sender, date);
  writeAtomic(join(dir, `${slug}.html`), pageHtml(rendered.html, files, rendered.attachments));
  writeAtomic(join(dir, `${slug}.txt`), rendered.text);
  writeAtomic(join(dir, `${slug}.md`), rendered.markdown);
  writeAtomic(join(dir, `${slug}.eml`), eml);
  // A rep's full HCP list, as attached to the email; one per recipient, like the other files.
  const csv = rendered.documents[0];
  if (csv) writeAtomic(join(dir, `${slug}.csv`), csv.content);
  const statuses: Record<string, number> = {};
  for (const row of card.groups.flatMap((g) => g.rows)) statuses[row.status.status] = (statuses[row.status.status] ?? 0) + 1;
  const entry: OutboxEntry = {
    ...base, status: 'rendered', subject: rendered.subject, html_bytes: Buffer.byteLength(rendered.html), statuses, suppressed: card.suppressed,
    files: { eml: join(dir, `${slug}.eml`), html: join(dir, `${slug}.html`), text: join(dir, `${slug}.txt`), markdown: join(dir, `${slug}.md`), ...(csv ? { csv: join(dir, `${slug}.csv`) } : {}) },
  };
  return { entry, rendered, eml };
}

/** Names and values from YAML or data, in a cell of the outbox's Markdown table. */
const cell = markdownText;

function writeSummary(out: string, entries: readonly OutboxEntry[]) {
  mkdirSync(out, { recursive: true });
  writeAtomic(join(out, 'summary.json'), `${JSON.stringify({ version: 'outbox/v1', entries }, null, 2)}\n`);
  const lines = [
    '# kpiops outbox', '',
    `${entries.filter((e) => e.status === 'rendered').length} rendered, ${entries.filter((e) => e.status === 'skipped').length} skipped.`, '',
    '| scorecard | period | recipient | status | subject | HTML |', '|---|---|---|---|---|---:|',
    ...entries.map((e) => `| ${cell(e.scorecard)} | ${cell(e.period)} | ${cell(e.recipient)} <${cell(e.email)}> | ${e.status}${e.reason ? `: ${cell(e.reason)}` : ''} | ${cell(e.subject ?? '')} | ${e.html_bytes ? `${Math.round(e.html_bytes / 1024)} KB` : ''} |`),
    '',
  ];
  writeAtomic(join(out, 'summary.md'), lines.join('\n'));
}
