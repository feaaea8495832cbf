import { TREND_PERIODS } from '../compile/compile.js';
import { composeEmail, type Sender } from '../deliver/compose.js';
import { periodFolder, writeRecipient, writeSummary, type OutboxEntry } from '../deliver/outbox.js';
import { trailing, type Calendar, type Period } from '../model/period.js';
import { ChartCache, renderScorecard, type CompiledTemplates } from '../render/render.js';
import { touchWords } from '../scorecard/touch-words.js';
import type { ScorecardSpec } from '../spec/scorecard.js';
import { definitionHistory } from '../review/history.js';
import type { Project } from './project.js';
import type { Sendable } from './send.js';
import type { Engine } from '../engine/engine.js';
import type { OpenSnapshot } from './snapshot.js';
import { defaultPeriod, scorecardCards } from './scorecards.js';
import { templateName } from './templates.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { PostgresError } from '../engine/postgres/database.js';
import { checkManifest } from '../validate/manifest.js';
import { blockedKpis, cacheDir, openSnapshot, snapshotDir } from './snapshot.js';
import { warehouseRun } from './warehouse.js';

/** What a run reads the data through: any engine, what results call the data, and what its checks held back. */
export type RunData = Pick<OpenSnapshot, 'meta' | 'blocked' | 'unloaded'> & { loaded: { db: Engine } };

export interface OutboxInput {
  project: Project;
  /** The project's directory: definition changes are read from its git history. */
  dir: string;
  /** The data: a loaded snapshot, or a warehouse session (`run --engine postgres`). */
  snapshot: RunData;
  /** The texts the configuration hash covers (see `EvaluateInput.texts`). */
  texts: ReadonlyMap<string, string>;
  scorecards: readonly ScorecardSpec[];
  /** `--period`: scorecards of another grain are skipped; without it each runs for its last covered period. */
  requested?: Period;
  /** The compiled templates, by name. */
  templates: ReadonlyMap<string, CompiledTemplates>;
  sender: Sender;
  /** The outbox directory. */
  out: string;
  onStep?: (text: string) => void;
}

/** The period a scorecard is run for: the one asked when it is of its grain, else the last one the snapshot covers. */
export const periodFor = (scorecard: ScorecardSpec, requested: Period | undefined, asOf: Date, calendar: Calendar): Period => requested ?? defaultPeriod(scorecard, asOf, calendar);

/**
 * What `kpiops run` makes: every recipient's scorecard evaluated, rendered and composed, and
 * written to the outbox with its summary (also when a scorecard stops the run: what was
 * written is listed). Returns what may be sent, or the problems that stopped it.
 */
export async function writeOutbox(input: OutboxInput): Promise<{ entries: OutboxEntry[]; sendables: Sendable[]; problems?: string[] }> {
  const { project, snapshot, requested } = input;
  const asOf = new Date(snapshot.meta.as_of);
  const { calendar } = project.model;
  const entries: OutboxEntry[] = [];
  const sendables: Sendable[] = [];
  const charts = new ChartCache();
  const words = touchWords(project.files.channels.map((c) => c.spec));
  let failed = false;
  try {
    for (const scorecard of input.scorecards) {
      if (requested && requested.grain !== scorecard.grain) {
        for (const r of scorecard.audience) entries.push({ scorecard: scorecard.id, period: requested.label, recipient: r.name, email: r.email, status: 'skipped', reason: `--period ${requested.label} is not a ${scorecard.grain}` });
        continue;
      }
      const period = periodFor(scorecard, requested, asOf, calendar);
      // Definition changes inside the trend window, from git history when there is one.
      const window = trailing(period, TREND_PERIODS, calendar);
      const history = definitionHistory(input.dir, window[0]!.start, period.end);
      const built = await scorecardCards({ validated: project, db: snapshot.loaded.db, snapshot: snapshot.meta, blocked: snapshot.blocked, unloaded: snapshot.unloaded, history, texts: input.texts, onQuery: (id) => input.onStep?.(id) }, scorecard, period);
      if ('problems' in built) return { entries, sendables, problems: built.problems };
      const template = input.templates.get(templateName(scorecard))!;
      const dir = periodFolder(input.out, scorecard.id, period.label);
      for (const card of built.cards) {
        input.onStep?.(`Rendering ${scorecard.id}: ${card.recipient.email}`);
        const base = { scorecard: scorecard.id, period: period.label, recipient: card.recipient.name, email: card.recipient.email, ...(scorecard.brief ? { brief: true as const } : {}) };
        if (card.empty && scorecard.send?.skip_when_empty !== false) {
          entries.push({ ...base, status: 'skipped', reason: `no data for ${card.slice_label}` });
          continue;
        }
        const rendered = renderScorecard(template, card, { charts, words });
        const eml = await composeEmail(card, rendered, input.sender, asOf);
        entries.push(writeRecipient(dir, card, rendered, eml, base));
        sendables.push({ card, rendered, eml, when: scorecard.send?.when ?? 'always', date: asOf });
      }
    }
    return { entries, sendables };
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    if (!failed) writeSummary(input.out, entries);
  }
}

/**
 * The scorecards a run makes and the period asked, or what is wrong with the choice:
 * `only` (`--scorecard`) narrows them; `asked` reads `--period`, after the scorecards are
 * known, so a run without them says that first.
 */
export function runSelection(project: Project, only: string | undefined, asked: () => { period?: Period } | { problem: string }): { scorecards: ScorecardSpec[]; requested?: Period } | string {
  const all = project.files.scorecards.map((f) => f.spec);
  const scorecards = only ? all.filter((c) => c.id === only) : all;
  if (scorecards.length === 0) return only ? `no scorecard "${only}"; there are: ${all.map((c) => c.id).join(', ') || 'none'}` : 'the project has no scorecards in scorecards/';
  const period = asked();
  if ('problem' in period) return period.problem;
  const requested = period.period;
  const wrong = requested ? scorecards.filter((c) => c.grain !== requested.grain) : [];
  if (requested && wrong.length > 0 && (wrong.length === scorecards.length || only)) return `--period ${requested.label} is a ${requested.grain}, but ${wrong.map((c) => `${c.id} is ${c.grain}ly`).join(', ')}`;
  return { scorecards, ...(requested ? { requested } : {}) };
}

/** Where a run reads its data: the snapshot loaded into DuckDB, or the warehouse (`engine: 'postgres'`). */
export interface RunDataInput {
  project: Project;
  /** The project's directory: a relative snapshot is read from it. */
  dir: string;
  scorecards: readonly ScorecardSpec[];
  snapshot?: string;
  engine?: 'duckdb' | 'postgres';
  schema?: string;
  asOf?: string;
  memoryLimit?: string;
  /** Keep and reuse rows of queries already run on the same data (in the cache folder, `cacheDir`). */
  cache?: boolean;
  /** The warehouse's connection settings are read from here (`DATABASE_URL`). */
  env: NodeJS.ProcessEnv;
  onStep: (step: string) => void;
  /** A warehouse table's check, said as it is found. */
  onFinding: (line: string) => void;
}

/** The data a run reads, with the findings and texts of its checks; `problem` when the settings cannot work. */
export interface OpenedRunData {
  data?: RunData & { loaded: { notes: string[] }; failed: number };
  diagnostics: Diagnostic[];
  texts: ReadonlyMap<string, string>;
  problem?: { text: string; code: number };
}

/** The data a run reads: the snapshot loaded into DuckDB, or the warehouse with `--engine postgres`. */
export async function openRunData(input: RunDataInput): Promise<OpenedRunData> {
  const { project } = input;
  if (input.engine === 'postgres') {
    const run = await warehouseRun({
      validated: project, scorecards: input.scorecards, project: input.dir, ...(input.snapshot ? { snapshot: input.snapshot } : {}),
      ...(input.schema ? { schema: input.schema } : {}), ...(input.asOf ? { asOf: input.asOf } : {}), env: input.env, onStep: input.onStep,
      onFinding: input.onFinding,
    });
    if (run.problem) return { diagnostics: run.diagnostics, texts: new Map(), problem: run.problem };
    if (!run.loaded || !run.snapshot) return { diagnostics: run.diagnostics, texts: new Map() };
    const { loaded } = run;
    const blocked = blockedKpis(project.model, loaded.failed);
    return {
      data: { loaded, meta: run.snapshot, blocked, unloaded: new Set([...loaded.failed, ...loaded.absent]), failed: loaded.failed.size },
      diagnostics: run.diagnostics, texts: new Map(),
    };
  }
  const checked = await openSnapshot(project, snapshotDir(input.dir, input.snapshot!), { ...(input.memoryLimit ? { memoryLimit: input.memoryLimit } : {}), ...(input.cache ? { cache: cacheDir(input.env) } : {}), onStep: (step) => input.onStep(`Loading snapshot: ${step}`) });
  return { ...(checked.open ? { data: { ...checked.open, failed: 0 } } : {}), diagnostics: checked.diagnostics, texts: checked.texts };
}

/**
 * `writeOutbox`, then the data closed whatever happened. A warehouse that drops the
 * connection or refuses a query mid-run is returned in words, never thrown.
 */
export async function writeOutboxAndClose(input: OutboxInput): Promise<Awaited<ReturnType<typeof writeOutbox>> | { failure: string }> {
  try {
    return await writeOutbox(input);
  } catch (error) {
    if (error instanceof PostgresError) return { failure: error.message };
    throw error;
  } finally {
    await input.snapshot.loaded.db.close();
  }
}

/**
 * The period each scorecard would be run for, from the snapshot's as-of date alone (nothing
 * is loaded), so that a workflow can name a send before it runs it; or the manifest's findings.
 */
export function runPeriods(project: Project, dir: string, snapshot: string, scorecards: readonly ScorecardSpec[], requested: Period | undefined):
  { periods: Array<{ scorecard: string; period: string }> } | { diagnostics: Diagnostic[]; texts: ReadonlyMap<string, string> } {
  const manifest = checkManifest(snapshotDir(dir, snapshot));
  if (!manifest.manifest) {
    return { diagnostics: manifest.diagnostics, texts: new Map([...project.texts, ...(manifest.text !== undefined ? [[manifest.path, manifest.text] as const] : [])]) };
  }
  const asOf = new Date(manifest.manifest.spec.as_of);
  const periods = scorecards.filter((c) => !requested || requested.grain === c.grain)
    .map((c) => ({ scorecard: c.id, period: periodFor(c, requested, asOf, project.model.calendar).label }));
  return { periods };
}
