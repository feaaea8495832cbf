import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readState, writeState, type AlertStateFile } from '../alerts/state-file.js';
import { exitCodeFor } from '../diagnostics/diagnostic.js';
import { evaluateAlerts, type AlertRun, type SeriesOutcome } from '../pipeline/alert.js';
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
  const project = await projectOrExit(options.project, io);
  if (typeof project === 'number') return project;
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
    try {
      mkdirSync(dirname(statePath), { recursive: true });
      // Written whole, then moved into place: a run stopped halfway leaves the old state, never half a file.
      writeFileSync(`${statePath}.tmp`, writeState(run.state));
      renameSync(`${statePath}.tmp`, statePath);
    } catch (error) {
      io.err.write(`kpiops: the alert state cannot be written to ${terminalText(statePath)} (${(error as NodeJS.ErrnoException).code ?? String(error)}); nothing was sent\n`);
      return 1;
    }
    if (options.format === 'json') io.out.write(`${jsonText(alertJson(run, at.toISOString()))}\n`);
    else {
      const shown = run.series.filter((s) => s.after.state !== 'ok' || s.notice);
      for (const s of shown) io.out.write(`${line(s)}\n`);
      const ok = run.series.length - shown.length;
      io.out.write(`${shown.some((s) => s.after.state === 'firing' || s.after.state === 'error') ? '✖' : '✔'} ${run.series.length} series judged as of ${at.toISOString()}: ${ok} ok without news${shown.length > 0 ? `, ${shown.length} above` : ''} → ${terminalText(statePath)}\n`);
    }
    return exitCodeFor(diagnostics);
  } finally {
    progress.done();
    open.loaded.db.close();
  }
}
