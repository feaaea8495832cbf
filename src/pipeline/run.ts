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
  const minCell = project.model.privacy.minCellSize;
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
        const rendered = renderScorecard(template, card, { charts, minCell, words });
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
