import { join, resolve } from 'node:path';
import { exitCodeFor } from '../diagnostics/diagnostic.js';
import type { OutboxEntry } from '../deliver/outbox.js';
import { senderOf, smtpConfigFromEnv, type SmtpConfig } from '../deliver/smtp-settings.js';
import { loadTemplates } from '../pipeline/templates.js';
import { openRunData, runPeriods, runSelection, writeOutboxAndClose } from '../pipeline/run.js';
import { sendOutbox } from '../pipeline/send.js';
import { thisProcess } from './lock-process.js';
import { terminalText } from '../text/terminal.js';
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
  /** Reuse rows of queries already run on the same data (`--no-cache`: false). */
  cache?: boolean;
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

/**
 * `kpiops run`: evaluates the snapshot for each scorecard's period, builds every
 * recipient's scorecard and writes an outbox: per recipient an .eml ready to send, an
 * HTML page, the text part and Markdown; plus a run summary. Rep scorecards (with a
 * `brief`) are evaluated without PDRP opt-outs' prescribing data and get the n=1 brief.
 */
export async function runCommand(options: RunOptions, io: CliIo): Promise<number> {
  // Settings that cannot work are refused before anything is evaluated or rendered.
  const smtp: SmtpConfig | { problem: string } | undefined = options.send && !options.dryRun ? smtpConfigFromEnv(io.env, options.from) : undefined;
  if (smtp && 'problem' in smtp) return usage(smtp.problem, io);
  // Checked on the command line (cli/options.ts): whole seconds.
  const ledgerWait = options.ledgerWait === undefined ? 600 : Number(options.ledgerWait);
  const project = await projectOrExit(options.project, io);
  if (typeof project === 'number') return project;
  const chosen = runSelection(project, options.scorecard, () => askedPeriod(options.period, project.model.calendar));
  if (typeof chosen === 'string') return usage(chosen, io);
  const { scorecards, requested } = chosen;
  if (!options.snapshot && (options.engine !== 'postgres' || options.printPeriod)) {
    return usage(`run needs --snapshot DIR${options.printPeriod ? '' : ' (or --engine postgres to run on a warehouse)'}`, io);
  }
  if (options.printPeriod) return printPeriods(runPeriods(project, options.project, options.snapshot!, scorecards, requested), io);
  const templates = await loadTemplates(options.project, scorecards);
  if ('problem' in templates) return io.err.write(`kpiops: template error: ${terminalText(templates.problem)}\n`), 1;
  const progress = makeProgress(io.err, Boolean(options.quiet));
  const checked = await openRunData({ ...options, dir: options.project, project, scorecards, env: io.env, onStep: (step) => progress.step(step), onFinding: (line) => io.err.write(`${line}\n`) });
  if (checked.problem) return progress.done(), io.err.write(`kpiops: ${checked.problem.text}\n`), checked.problem.code;
  const texts = new Map([...project.texts, ...checked.texts]);
  const diagnostics = [...project.diagnostics, ...checked.diagnostics];
  const { data } = checked;
  if (!data) return progress.done(), report(diagnostics, texts, io), exitCodeFor(diagnostics);
  const unstarted = askedPeriod(options.period, project.model.calendar, new Date(data.meta.as_of));
  if ('problem' in unstarted) return progress.done(), await data.loaded.db.close(), io.err.write(`kpiops: ${unstarted.problem}\n`), 1;
  const out = resolve(options.out);
  const sender = senderOf(io.env, options.from);
  const written = await writeOutboxAndClose({ project, dir: options.project, snapshot: data, texts, scorecards, ...(requested ? { requested } : {}), templates: templates.value, sender, out, onStep: (text) => progress.step(text) })
    .finally(() => progress.done());
  if ('failure' in written) return io.err.write(`kpiops: ${written.failure}\n`), 1;
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

const usage = (problem: string, io: CliIo) => (io.err.write(`kpiops: ${problem}\n`), 2);

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

/** `run --print-period`: one `id period` line per scorecard, or the manifest's findings. */
function printPeriods(periods: ReturnType<typeof runPeriods>, io: CliIo): number {
  if ('diagnostics' in periods) return report(periods.diagnostics, periods.texts, io), exitCodeFor(periods.diagnostics);
  for (const { scorecard, period } of periods.periods) io.out.write(`${scorecard} ${period}\n`);
  return 0;
}
