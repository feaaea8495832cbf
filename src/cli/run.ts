import { join, resolve } from 'node:path';
import { exitCodeFor } from '../diagnostics/diagnostic.js';
import type { OutboxEntry } from '../deliver/outbox.js';
import { senderOf, smtpConfigFromEnv, type SmtpConfig } from '../deliver/smtp-settings.js';
import { loadTemplates } from '../pipeline/templates.js';
import { periodFor, writeOutbox, type RunData } from '../pipeline/run.js';
import { sendOutbox } from '../pipeline/send.js';
import { thisProcess } from './lock-process.js';
import { blockedKpis, openSnapshot, snapshotDir } from '../pipeline/snapshot.js';
import { warehouseRun } from '../pipeline/warehouse.js';
import { PostgresError } from '../engine/postgres/database.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Period } from '../model/period.js';
import type { Project } from '../pipeline/project.js';
import type { ScorecardSpec } from '../spec/scorecard.js';
import { terminalText } from '../text/terminal.js';
import { checkManifest } from '../validate/manifest.js';
import type { CliIo } from './io.js';
import { askedPeriod, projectOrExit, report } from './output.js';
import { progress as makeProgress } from './progress.js';

export { recipientSlug, type OutboxEntry } from '../deliver/outbox.js';

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

/** The scorecards to run and the period asked, or what is wrong with the options. */
function selection(options: RunOptions, project: Project): { scorecards: ScorecardSpec[]; requested?: Period } | string {
  const all = project.files.scorecards.map((f) => f.spec);
  const scorecards = options.scorecard ? all.filter((c) => c.id === options.scorecard) : all;
  if (scorecards.length === 0) return options.scorecard ? `no scorecard "${options.scorecard}"; there are: ${all.map((c) => c.id).join(', ') || 'none'}` : 'the project has no scorecards in scorecards/';
  const asked = askedPeriod(options.period, project.model.calendar);
  if ('problem' in asked) return asked.problem;
  const requested = asked.period;
  const wrong = requested ? scorecards.filter((c) => c.grain !== requested.grain) : [];
  if (requested && wrong.length > 0 && (wrong.length === scorecards.length || options.scorecard)) return `--period ${requested.label} is a ${requested.grain}, but ${wrong.map((c) => `${c.id} is ${c.grain}ly`).join(', ')}`;
  return { scorecards, ...(requested ? { requested } : {}) };
}

/**
 * `kpiops run`: evaluates the snapshot for each scorecard's period, builds every
 * recipient's scorecard and writes an outbox: per recipient an .eml ready to send, an
 * HTML page, the text part and Markdown; plus a run summary. Rep scorecards (with a
 * `brief`) are evaluated without PDRP opt-outs' prescribing data and get the n=1 brief.
 */
export async function runCommand(options: RunOptions, io: CliIo): Promise<number> {
  // Settings that cannot work are refused before anything is evaluated or rendered.
  const smtp: SmtpConfig | { problem: string } | undefined = options.send && !options.dryRun ? smtpConfigFromEnv(io.env, options.from) : undefined;
  if (smtp && 'problem' in smtp) return io.err.write(`kpiops: ${smtp.problem}\n`), 2;
  const ledgerWait = options.ledgerWait === undefined ? 600 : Number(options.ledgerWait);
  if (!Number.isInteger(ledgerWait) || ledgerWait < 0) return io.err.write(`kpiops: --ledger-wait must be a whole number of seconds (got "${options.ledgerWait}")\n`), 2;
  const project = await projectOrExit(options.project, io);
  if (typeof project === 'number') return project;
  const chosen = selection(options, project);
  if (typeof chosen === 'string') return io.err.write(`kpiops: ${chosen}\n`), 2;
  const { scorecards, requested } = chosen;
  if (!options.snapshot && (options.engine !== 'postgres' || options.printPeriod)) {
    return io.err.write(`kpiops: run needs --snapshot DIR${options.printPeriod ? '' : ' (or --engine postgres to run on a warehouse)'}\n`), 2;
  }
  if (options.printPeriod) return printPeriods(options, project, scorecards, requested, io);
  const templates = await loadTemplates(options.project, scorecards);
  if ('problem' in templates) return io.err.write(`kpiops: template error: ${terminalText(templates.problem)}\n`), 1;
  const progress = makeProgress(io.err, Boolean(options.quiet));
  const checked = await openData(options, project, scorecards, io, (step) => progress.step(step));
  if (checked.problem) return progress.done(), io.err.write(`kpiops: ${checked.problem.text}\n`), checked.problem.code;
  const texts = new Map([...project.texts, ...checked.texts]);
  const diagnostics = [...project.diagnostics, ...checked.diagnostics];
  const { data } = checked;
  if (!data) return progress.done(), report(diagnostics, texts, io), exitCodeFor(diagnostics);
  const unstarted = askedPeriod(options.period, project.model.calendar, new Date(data.meta.as_of));
  if ('problem' in unstarted) return progress.done(), await data.loaded.db.close(), io.err.write(`kpiops: ${unstarted.problem}\n`), 1;
  const out = resolve(options.out);
  const sender = senderOf(io.env, options.from);
  let written: Awaited<ReturnType<typeof writeOutbox>>;
  try {
    written = await writeOutbox({ project, dir: options.project, snapshot: data, texts, scorecards, ...(requested ? { requested } : {}), templates: templates.value, sender, out, onStep: (text) => progress.step(text) });
  } catch (error) {
    // A warehouse that drops the connection or refuses a query mid-run: said in words, never a stack trace.
    if (error instanceof PostgresError) return io.err.write(`kpiops: ${error.message}\n`), 1;
    throw error;
  } finally {
    progress.done();
    await data.loaded.db.close();
  }
  report(diagnostics, texts, io);
  if (written.problems) return io.err.write(`${written.problems.map((p) => `✖ ${terminalText(p)}`).join('\n')}\n`), 1;
  for (const note of data.loaded.notes) io.err.write(`ℹ ${terminalText(note)}\n`);
  printSummary(written.entries, out, io);
  // A warehouse table that failed its check was said as it was found, not as a finding: it still fails the run.
  const code = Math.max(exitCodeFor(diagnostics), data.failed > 0 ? 1 : 0);
  if (!options.send && !options.dryRun) return code;
  const sent = await sendOutbox(written.sendables, {
    dryRun: Boolean(options.dryRun), resendChanged: Boolean(options.resendChanged), out,
    ledger: resolve(options.ledger ?? join(out, '..', 'ledger.jsonl')), ...(options.only ? { only: options.only } : {}),
    ...(smtp ? { smtp } : {}), lockWaitMs: ledgerWait * 1000, lockProcess: thisProcess,
  }, sender, io.env, io.err);
  return Math.max(code, sent);
}

/** The data a run reads: the snapshot loaded into DuckDB, or the warehouse with `--engine postgres`. */
async function openData(options: RunOptions, project: Project, scorecards: readonly ScorecardSpec[], io: CliIo, onStep: (step: string) => void): Promise<{
  data?: RunData & { loaded: { notes: string[] }; failed: number }; diagnostics: Diagnostic[]; texts: ReadonlyMap<string, string>; problem?: { text: string; code: number };
}> {
  if (options.engine === 'postgres') {
    const run = await warehouseRun({
      validated: project, scorecards, project: options.project, ...(options.snapshot ? { snapshot: options.snapshot } : {}),
      ...(options.schema ? { schema: options.schema } : {}), ...(options.asOf ? { asOf: options.asOf } : {}), env: io.env, onStep,
      onFinding: (line) => io.err.write(`${line}\n`),
    });
    if (run.problem) return { diagnostics: run.diagnostics, texts: new Map(), problem: run.problem };
    if (!run.loaded || !run.snapshot) return { diagnostics: run.diagnostics, texts: new Map() };
    const { loaded } = run;
    const blocked = blockedKpis(project.files.kpis.map((k) => k.spec), project.files.project!.spec, loaded.failed);
    return {
      data: { loaded, meta: run.snapshot, blocked, unloaded: new Set([...loaded.failed, ...loaded.absent]), failed: loaded.failed.size },
      diagnostics: run.diagnostics, texts: new Map(),
    };
  }
  const checked = await openSnapshot(project, snapshotDir(options.project, options.snapshot!), { ...(options.memoryLimit ? { memoryLimit: options.memoryLimit } : {}), onStep: (step) => onStep(`Loading snapshot: ${step}`) });
  return { ...(checked.open ? { data: { ...checked.open, failed: 0 } } : {}), diagnostics: checked.diagnostics, texts: checked.texts };
}

function printSummary(entries: readonly OutboxEntry[], out: string, io: CliIo) {
  const rendered = entries.filter((e) => e.status === 'rendered');
  const skipped = entries.filter((e) => e.status === 'skipped');
  io.err.write(`✔ ${rendered.length} scorecards rendered${skipped.length > 0 ? `, ${skipped.length} skipped` : ''} → ${out}\n`);
  // Skips grouped by scorecard and reason: one line for twenty reps skipped for the same reason.
  const groups = new Map<string, OutboxEntry[]>();
  for (const e of skipped) groups.set(`${e.scorecard} ${e.period}: ${e.reason}`, [...(groups.get(`${e.scorecard} ${e.period}: ${e.reason}`) ?? []), e]);
  // Reasons name slices and recipients from YAML and data: shown, never acted on by the terminal.
  for (const [key, list] of groups) io.err.write(terminalText(`  skipped ${key} (${list.length === 1 ? list[0]!.email : `${list.length} recipients`})`) + '\n');
  io.err.write(`  open ${join(out, 'summary.md')} for the list, or any .html file in a browser\n`);
}

/**
 * `run --print-period`: the period each scorecard would be run for, one `id period` line
 * each, from the snapshot's as-of date alone (nothing is loaded), so that a workflow can
 * name a send before it runs it.
 */
function printPeriods(options: RunOptions, project: Project, scorecards: readonly ScorecardSpec[], requested: Period | undefined, io: CliIo): number {
  const manifest = checkManifest(snapshotDir(options.project, options.snapshot!));
  if (!manifest.manifest) {
    report(manifest.diagnostics, new Map([...project.texts, ...(manifest.text !== undefined ? [[manifest.path, manifest.text] as const] : [])]), io);
    return exitCodeFor(manifest.diagnostics);
  }
  const asOf = new Date(manifest.manifest.spec.as_of);
  for (const scorecard of scorecards) {
    if (requested && requested.grain !== scorecard.grain) continue;
    io.out.write(`${scorecard.id} ${periodFor(scorecard, requested, asOf, project.model.calendar).label}\n`);
  }
  return 0;
}
