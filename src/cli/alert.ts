import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { AlertMessage } from '../alerts/message.js';
import { writeAlertOutbox } from '../deliver/alert-outbox.js';
import { alertDeliveryKey } from '../deliver/compose.js';
import { Ledger } from '../deliver/ledger.js';
import { senderOf, smtpConfigFromEnv, type SmtpConfig } from '../deliver/smtp-settings.js';
import { compileTemplateSource, TemplateError, type CompiledTemplates } from '../render/render.js';
import { alertEmails, sendAlerts } from '../pipeline/send-alerts.js';
import { projectTemplates } from '../pipeline/templates.js';
import { thisProcess } from './lock-process.js';
import { readState, writeState, type AlertStateFile } from '../alerts/state-file.js';
import { exitCodeFor } from '../diagnostics/diagnostic.js';
import { alertMessages, evaluateAlerts, type AlertRun, type SeriesOutcome } from '../pipeline/alert.js';
import { openSnapshot, snapshotDir } from '../pipeline/snapshot.js';
import { jsonText, terminalText } from '../text/terminal.js';
import type { CliIo } from './io.js';
import { projectOrExit, report } from './output.js';
import { progress as makeProgress } from './progress.js';

export interface AlertOptions {
  project: string;
  snapshot: string;
  asOf?: string;
  state?: string;
  out: string;
  format: 'text' | 'json';
  memoryLimit?: string;
  quiet?: boolean;
  /** Send the emails by SMTP (settings from KPIOPS_SMTP_* variables), each once per delivery key and recipient. */
  send?: boolean;
  /** Decide what would be sent and report it; send nothing. */
  dryRun?: boolean;
  from?: string;
  /** The delivery ledger (JSON lines); default `<out>/../ledger.jsonl`, the scorecards'. */
  ledger?: string;
  ledgerWait?: string;
}

/** Where the state file is when `--state` is not given: next to the outbox, as the delivery ledger is. */
export const defaultStatePath = (out: string) => join(out, 'alert-state.json');

/** A series as `--format json` lists it. */
function listed(s: SeriesOutcome) {
  const o = s.observation;
  return {
    kind: s.kind, id: s.id, [s.kind === 'alert' ? 'kpi' : 'check']: s.what, slice: s.slice, key: s.key, state: s.after.state, since: s.after.since,
    ...(s.after.episode ? { episode: s.after.episode } : {}),
    ...('period' in o ? { period: o.period } : {}),
    ...(o.kind === 'breach' || o.kind === 'ok' ? { value: o.value } : {}), ...(o.kind === 'breach' ? { threshold: o.threshold, detail: o.detail } : {}),
    ...(o.kind === 'no_data' || o.kind === 'error' ? { reason: o.reason } : {}),
    ...(s.notice ? { notice: { transition: s.notice.transition, episode: s.notice.episode, sequence: s.notice.sequence, recipients: s.notice.recipients.map((r) => r.email) } } : {}),
  };
}

/** The run as scripts read it: firing, pending, resolved (recovered in this run), no data, errors, and the count of series ok. */
export function alertJson(run: AlertRun, asOf: string) {
  const by = (f: (s: SeriesOutcome) => boolean) => run.series.filter(f).map(listed);
  return {
    evaluated_at: run.state.evaluated_at, as_of: asOf,
    firing: by((s) => s.after.state === 'firing'),
    pending: by((s) => s.after.state === 'pending'),
    resolved: by((s) => s.notice?.transition === 'recovered' || (s.after.state === 'ok' && s.before === 'firing')),
    no_data: by((s) => s.after.state === 'no_data'),
    error: by((s) => s.after.state === 'error'),
    ok: run.series.filter((s) => s.after.state === 'ok').length,
  };
}

const MARK: Record<string, string> = { firing: '✖', pending: '…', no_data: '?', error: '!', ok: '✔' };

function line(s: SeriesOutcome): string {
  const o = s.observation;
  const why = o.kind === 'breach' ? o.detail : o.kind === 'no_data' || o.kind === 'error' ? o.reason : '';
  const told = s.notice ? ` → ${s.notice.transition}${s.notice.sequence ? ` ${s.notice.sequence}` : ''} to ${s.notice.recipients.length} recipient${s.notice.recipients.length === 1 ? '' : 's'}` : '';
  const state = s.notice?.transition === 'recovered' ? 'recovered' : s.after.state;
  return terminalText(`${MARK[s.after.state] ?? ' '} ${state.padEnd(9)} ${s.id} · ${s.what_label} · ${s.slice_label}${why ? ` — ${why}` : ''}${told}`);
}

/** Writes the state file whole, then moves it into place: a run stopped halfway leaves the old state, never half a file. */
function saveState(path: string, state: AlertStateFile, io: CliIo): number {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.tmp`, writeState(state));
    renameSync(`${path}.tmp`, path);
    return 0;
  } catch (error) {
    io.err.write(`kpiops: the alert state cannot be written to ${terminalText(path)} (${(error as NodeJS.ErrnoException).code ?? String(error)}); nothing was sent\n`);
    return 1;
  }
}

/** Each email once: by its delivery key and recipient, the first (the earliest owed) kept. */
function owedOnce(messages: readonly AlertMessage[]): AlertMessage[] {
  const seen = new Set<string>();
  return messages.filter((m) => {
    const k = alertDeliveryKey(m);
    const key = `${k.scorecard}\0${k.period}\0${m.recipient.email.toLowerCase()}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** The state file, read back: absent is a first run; a file that is not `alert-state/v1` stops the run (starting afresh would tell every open episode again). */
function stateAt(path: string): { state?: AlertStateFile } | { problem: string } {
  if (!existsSync(path)) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { problem: `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  const read = readState(text);
  return 'error' in read ? { problem: `${path}: ${read.error}` } : { state: read.state };
}

/**
 * `kpiops alert`: judges every alert's KPIs in their slices and every owned data feed, steps
 * each series through its lifecycle from the state file, writes the state back and lists
 * what is firing, pending, resolved, without data or failing. Exit 0 evaluated (whatever
 * fired), 1 when the project, the data or the state file is wrong, 2 on usage.
 */
export async function alertCommand(options: AlertOptions, io: CliIo): Promise<number> {
  // Settings that cannot work are refused before anything is evaluated.
  const smtp: SmtpConfig | { problem: string } | undefined = options.send && !options.dryRun ? smtpConfigFromEnv(io.env, options.from) : undefined;
  if (smtp && 'problem' in smtp) return io.err.write(`kpiops: ${smtp.problem}\n`), 2;
  const project = await projectOrExit(options.project, io);
  if (typeof project === 'number') return project;
  let templates: CompiledTemplates;
  try {
    templates = await compileTemplateSource('alert', projectTemplates(options.project));
  } catch (e) {
    if (e instanceof TemplateError) return io.err.write(`kpiops: template error: ${terminalText(e.message)}\n`), 1;
    throw e;
  }
  const statePath = options.state ?? defaultStatePath(options.out);
  const prior = stateAt(statePath);
  if ('problem' in prior) return io.err.write(`kpiops: ${terminalText(prior.problem)}; fix it or restore it from its branch (a fresh state would tell every open episode again)\n`), 1;
  const progress = makeProgress(io.err, Boolean(options.quiet));
  const checked = await openSnapshot(project, snapshotDir(options.project, options.snapshot), { ...(options.memoryLimit ? { memoryLimit: options.memoryLimit } : {}), onStep: (step) => progress.step(`Loading snapshot: ${step}`) });
  const texts = new Map([...project.texts, ...checked.texts]);
  const diagnostics = [...project.diagnostics, ...checked.diagnostics];
  const { open } = checked;
  if (!open) return progress.done(), report(diagnostics, texts, io), exitCodeFor(diagnostics);
  try {
    const at = new Date(options.asOf ?? open.manifest.as_of);
    const run = await evaluateAlerts({
      project, db: open.loaded.db, snapshot: { ...open.meta, as_of: at.toISOString() }, blocked: open.blocked, load: open.loaded, at,
      state: prior.state, onQuery: (q) => progress.step(`Evaluating: ${q}`),
    });
    progress.done();
    // Load-check failures are the feeds' owners' news too; they are reported here as for every command.
    report(diagnostics, texts, io);
    // The emails of this run, and those told before but not yet known to be delivered.
    const out = resolve(options.out);
    const owed = owedOnce([...((prior.state?.owed ?? []) as AlertMessage[]), ...alertMessages(run, project, { ...open.meta, as_of: at.toISOString() }, texts)]);
    // The state is written with every email still owed before any is sent: a run stopped halfway
    // leaves them owed under the same delivery keys, and the next run sends the rest, never anew.
    const saved = saveState(statePath, { ...run.state, ...(owed.length > 0 ? { owed } : {}) }, io);
    if (saved !== 0) return saved;
    const sender = senderOf(io.env, options.from);
    const emails = await alertEmails(templates, owed, sender, at);
    writeAlertOutbox(out, emails);
    let sent = 0;
    if ((options.send || options.dryRun) && emails.length > 0) {
      const ledger = resolve(options.ledger ?? join(out, '..', 'ledger.jsonl'));
      sent = await sendAlerts(emails, {
        dryRun: Boolean(options.dryRun), out, ledger, ...(smtp ? { smtp } : {}),
        lockWaitMs: (options.ledgerWait === undefined ? 600 : Number(options.ledgerWait)) * 1000, lockProcess: thisProcess,
      }, sender, io.env, io.err);
      if (!options.dryRun) {
        const book = Ledger.open(ledger);
        const still = owed.filter((m) => { const k = alertDeliveryKey(m); return book.get(k.scorecard, k.period, m.recipient.email)?.status !== 'sent'; });
        const again = saveState(statePath, { ...run.state, ...(still.length > 0 ? { owed: still } : {}) }, io);
        if (again !== 0) return again;
      }
    }
    if (options.format === 'json') io.out.write(`${jsonText(alertJson(run, at.toISOString()))}\n`);
    else {
      const shown = run.series.filter((s) => s.after.state !== 'ok' || s.notice);
      for (const s of shown) io.out.write(`${line(s)}\n`);
      const ok = run.series.length - shown.length;
      io.out.write(`${shown.some((s) => s.after.state === 'firing' || s.after.state === 'error') ? '✖' : '✔'} ${run.series.length} series judged as of ${at.toISOString()}: ${ok} ok without news${shown.length > 0 ? `, ${shown.length} above` : ''} → ${terminalText(statePath)}\n`);
    }
    if (!options.send && !options.dryRun && owed.length > 0) io.err.write(`ℹ ${owed.length} email${owed.length === 1 ? '' : 's'} written to ${terminalText(out)}; --send sends ${owed.length === 1 ? 'it' : 'them'} (kept as owed in the state file until then)\n`);
    return Math.max(exitCodeFor(diagnostics), sent);
  } finally {
    progress.done();
    open.loaded.db.close();
  }
}
