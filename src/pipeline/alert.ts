import { advance, type Evaluation } from '../alerts/advance.js';
import { judge, MIN_SPREAD_CHANGES, PERIODS_PER_YEAR } from '../alerts/judge.js';
import { step, type Notice, type Observation, type Track } from '../alerts/lifecycle.js';
import { sliceKey, sliceOfKey, trackKey } from '../alerts/slice-key.js';
import { emptyState, type AlertStateFile } from '../alerts/state-file.js';
import { TREND_PERIODS } from '../compile/compile.js';
import { DEFAULT_LIFECYCLE, type LifecycleModel } from '../model/alert-lifecycle.js';
import { recipientWatches, type AlertModel, type AlertRecipient, type Slice } from '../model/alert.js';
import { lastCoveredPeriod, periodOf, type EvalPeriod } from '../model/period.js';
import { isRollingGrain, rollingPeriod, ROLLING_DAYS } from '../model/rolling.js';
import { rollingRefusals } from '../compile/rolling.js';
import type { FeedFinding } from '../monitor/feed.js';
import { dayOf } from '../monitor/days.js';
import { formatDate, label } from '../scorecard/format.js';
import { selectKpis } from '../scorecard/select.js';
import { configHash } from '../evaluate/results.js';
import { transitionLabel, type AlertMessage } from '../alerts/message.js';
import { defaultPeriod } from './scorecards.js';
import { minCellOf } from '../scorecard/privacy.js';
import { sliceWords } from '../scorecard/slice.js';
import { kpiRow } from '../scorecard/row.js';
import type { Dims } from '../scorecard/target.js';
import type { Results } from '../spec/results.js';
import { evaluateResults, type Queryable } from './evaluate.js';
import { monitorFeeds, type LoadOutcome } from './feed-stats.js';
import { catalog, type Project } from './project.js';

/** Where one watched series stands after this evaluation, and what is told about it. */
export interface SeriesOutcome {
  /** `alert`: a KPI in a slice; `feed`: one check of a data feed. */
  kind: 'alert' | 'feed';
  /** The alert id, or the feed's source. */
  id: string;
  /** The alert's title, or "<source> feed". */
  title: string;
  /** The KPI watched (alerts), or the check (feeds: freshness, volume, schema, checks). */
  what: string;
  /** The KPI's name, or the check in words. */
  what_label: string;
  slice: Slice;
  /** "Brand neurexa", "All". */
  slice_label: string;
  /** The key of the series in the state file. */
  key: string;
  before: Track['state'];
  after: Track;
  observation: Observation;
  notice?: Notice & { recipients: AlertRecipient[] };
}

export interface AlertRun {
  series: SeriesOutcome[];
  state: AlertStateFile;
}

export interface AlertInput {
  project: Project;
  db: Queryable;
  /** The snapshot as results name it, its as-of date the instant judged. */
  snapshot: Results['snapshot'];
  blocked: Results['blocked'];
  /** What the snapshot's load found (the feeds' columns and checks). */
  load: LoadOutcome;
  /** The instant of this evaluation (the lifecycle's clock). */
  at: Date;
  state: AlertStateFile | undefined;
  onQuery?: (id: string) => void;
}

/** A feed's lifecycle: told when it goes wrong and when it is right again, once each; its checks failing is a breach, not an error. */
export const FEED_LIFECYCLE: LifecycleModel = { ...DEFAULT_LIFECYCLE };

const CHECK_WORDS: Record<string, string> = { freshness: 'freshness', volume: 'daily volume', schema: 'columns and values', checks: 'load checks' };

/** "Brand neurexa", or "All" for the total: a scorecard's words for a slice. */
const sliceLabel = (slice: Slice) => sliceWords(slice) ?? 'All';

/** The period an alert judges: the last one over (closed periods only), else the one the instant is in. */
function judgedPeriod(alert: AlertModel, at: Date, project: Project): EvalPeriod {
  // A window is whole days before the instant's midnight: always over.
  if (isRollingGrain(alert.grain)) return rollingPeriod(at, ROLLING_DAYS[alert.grain]);
  const { calendar } = project.model;
  return alert.closedPeriodsOnly ? lastCoveredPeriod(alert.grain, at, undefined, calendar) : periodOf(at, alert.grain, calendar);
}

/** The slices an alert judges for one KPI: every slice of its `by` dimensions in the results (and those it judged before), or the audience's. */
function slicesOf(alert: AlertModel, result: Results['kpis'][number] | undefined, known: readonly Slice[]): Slice[] {
  if (alert.slices.kind === 'audience') return alert.slices.slices;
  const by = [...alert.slices.by].sort();
  const found = (result?.slices ?? [])
    .filter((s) => { const keys = Object.keys(s.dims).sort(); return keys.length === by.length && keys.every((k, i) => k === by[i]); })
    .filter((s) => Object.values(s.dims).every((v) => v !== null))
    .map((s) => s.dims as Slice);
  // A slice in the data keeps its values as the data has them (a number stays a number); one known only from the state file comes back as text.
  const out = new Map<string, Slice>();
  for (const s of [...found, ...known]) if (!out.has(sliceKey(s))) out.set(sliceKey(s), s);
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
}

/** The slices an alert's KPI was judged on before, read back from the state file's keys. */
function knownSlices(state: AlertStateFile | undefined, alert: string, kpi: string): Slice[] {
  const prefix = `${alert}|${kpi}|`;
  return Object.keys(state?.tracks ?? {}).filter((k) => k.startsWith(prefix) && k !== `${prefix}total`).map((k) => sliceOfKey(k.slice(prefix.length)));
}

/**
 * `kpiops alert`: every alert's KPIs judged in each watched slice, and every owned data feed
 * checked, each series stepped through its lifecycle from the state file. Pure apart from
 * the queries: nothing is written or sent here.
 */
export async function evaluateAlerts(input: AlertInput): Promise<AlertRun> {
  const { project, at } = input;
  const model = project.model;
  const kpis = catalog(project, model);
  const minCell = minCellOf(model);
  const blocked = new Map(input.blocked.map((b) => [b.kpi, b.table]));
  const refusals = rollingRefusals(model.kpis);
  // One evaluation per period judged and trend length, for every KPI an alert at that period watches.
  const evaluations = new Map<string, { period: EvalPeriod; trend: number; ids: Set<string> }>();
  const evaluationOf = (alert: AlertModel) => {
    const period = judgedPeriod(alert, at, project);
    const trend = trendFor(alert);
    return { key: `${period.label}#${trend}`, period, trend };
  };
  for (const alert of model.alerts) {
    const e = evaluationOf(alert);
    const entry = evaluations.get(e.key) ?? { period: e.period, trend: e.trend, ids: new Set<string>() };
    // A KPI cut by the calendar is not evaluated over a window of days; it is judged an error with why.
    alert.kpis.filter((id) => !(isRollingGrain(alert.grain) && refusals.has(id))).forEach((id) => entry.ids.add(id));
    evaluations.set(e.key, entry);
  }
  const results = new Map<string, Results>();
  for (const [key, { period, trend, ids }] of evaluations) {
    if (ids.size === 0) continue;
    results.set(key, await evaluateResults({
      validated: project, db: input.db, snapshot: input.snapshot, period, blocked: input.blocked, only: ids, trend, ...(input.onQuery ? { onQuery: input.onQuery } : {}),
    }));
  }
  const judged: Evaluation[] = [];
  const pending: Array<Omit<SeriesOutcome, 'before' | 'after' | 'notice'> & { recipients: AlertRecipient[] }> = [];
  for (const alert of model.alerts) {
    const e = evaluationOf(alert);
    const doc = e ? results.get(e.key) : undefined;
    for (const id of alert.kpis) {
      const kpi = kpis.get(id);
      if (!kpi) continue;
      const result = doc?.kpis.find((k) => k.id === id);
      for (const slice of slicesOf(alert, result, knownSlices(input.state, alert.id, id))) {
        const series = `${id}|${sliceKey(slice)}`;
        let observation: Observation;
        if (isRollingGrain(alert.grain) && refusals.has(id)) observation = { kind: 'error', reason: `${kpi.name} cannot be judged over a window of days: ${refusals.get(id)!}` };
        else if (!doc) observation = { kind: 'error', reason: `${kpi.name} was not evaluated` };
        else if (blocked.has(id)) observation = { kind: 'error', reason: `${kpi.name} is not computed: table ${blocked.get(id)} failed its load checks` };
        else if (!result) observation = { kind: 'error', reason: `${kpi.name} was not evaluated` };
        else {
          // A lagging source's KPI is judged on the period it reports, which is closed and covered: its colour, not "stale".
          const { stale: _stale, ...reported } = result;
          const found = result.slices.find((s) => Object.keys(s.dims).length === Object.keys(slice).length && Object.entries(slice).every(([d, v]) => s.dims[d] === v));
          const row = kpiRow({ spec: kpi, result: reported, slice: found, dims: slice as Dims, ctx: { project: model, kpis, results: doc }, minCell });
          // The spread reads the whole trend evaluated (a year-over-year spread needs more than the 13 points a row shows), hidden values left out.
          const history = (found?.trend ?? []).map((t) => ({ value: t.n < minCell || typeof t.value !== 'number' ? null : t.value }));
          observation = found ? judge(alert.condition, row, alert.grain, history) : { kind: 'no_data', period: result.period.label, reason: `${kpi.name} has no data for ${sliceLabel(slice).toLowerCase()} in ${result.period.label}` };
        }
        judged.push({ alert: alert.id, slice: series, observation, lifecycle: alert.lifecycle });
        pending.push({
          kind: 'alert', id: alert.id, title: alert.title, what: id, what_label: kpi.name, slice, slice_label: sliceLabel(slice), key: trackKey(alert.id, series),
          observation, recipients: alert.audience.filter((r) => recipientWatches(r, slice)),
        });
      }
    }
  }
  const stepped = advance(input.state ?? emptyState(at), judged, at, new Set(model.alerts.map((a) => a.id)));
  const series: SeriesOutcome[] = pending.map(({ recipients, ...s }) => {
    const notice = stepped.notices.find((n) => trackKey(n.alert, n.slice) === s.key);
    return {
      ...s, before: input.state?.tracks[s.key]?.state ?? 'ok', after: stepped.state.tracks[s.key]!,
      ...(notice ? { notice: { transition: notice.transition, episode: notice.episode, sequence: notice.sequence, recipients } } : {}),
    };
  });
  const feeds: Record<string, Track> = {};
  const reports = await monitorFeeds({ db: input.db, asOf: at, load: input.load, feeds: model.feeds, sources: model.sources });
  const day = dayOf(at);
  for (const report of reports) {
    for (const finding of report.findings) {
      const key = `${report.feed.source}|${finding.monitor}`;
      const observation = feedObservation(finding, day);
      const prev = input.state?.feeds?.[key];
      const next = step(prev, observation, at, FEED_LIFECYCLE, { alert: report.feed.source, slice: finding.monitor });
      feeds[key] = next.track;
      const recipients = report.feed.owners.map((o) => ({ name: o.name, email: o.email, filter: {} }));
      series.push({
        kind: 'feed', id: report.feed.source, title: `${label(report.feed.source).replace(/^./, (c) => c.toUpperCase())} feed`, what: finding.monitor, what_label: CHECK_WORDS[finding.monitor] ?? finding.monitor, slice: {}, slice_label: 'All', key,
        before: prev?.state ?? 'ok', after: next.track, observation, ...(next.notify ? { notice: { ...next.notify, recipients } } : {}),
      });
    }
  }
  return { series, state: { ...stepped.state, ...(Object.keys(feeds).length > 0 ? { feeds } : {}) } };
}

/** The trend an alert's condition reads: a year-over-year spread needs a year and `MIN_SPREAD_CHANGES` changes before the judged period. */
function trendFor(alert: AlertModel): number {
  const c = alert.condition;
  const year = PERIODS_PER_YEAR[alert.grain];
  return c.kind === 'change' && c.vs === 'last_year' && 'spreads' in c.beyond && year ? Math.max(TREND_PERIODS, year + MIN_SPREAD_CHANGES) : TREND_PERIODS;
}

/** A feed check's finding as an observation: its figures when it breaches, its words when it cannot judge. */
function feedObservation(finding: FeedFinding, day: string): Observation {
  if (finding.state === 'breach') return { kind: 'breach', value: finding.value ?? 0, threshold: finding.threshold ?? 0, period: day, detail: finding.detail };
  if (finding.state === 'no_data') return { kind: 'no_data', period: day, reason: finding.detail };
  return { kind: 'ok', value: finding.value ?? 0, period: day };
}

/**
 * The emails of a run: one per notice and recipient, each with the scorecards that show the
 * KPI in that slice (and the period they would show as of the instant judged), and the audit
 * of the data and definitions judged.
 */
export function alertMessages(run: AlertRun, project: Project, snapshot: Results['snapshot'], texts: ReadonlyMap<string, string>): AlertMessage[] {
  const model = project.model;
  const kpis = catalog(project, model);
  const at = new Date(run.state.evaluated_at);
  const audit = { config_hash: configHash(texts), snapshot_id: snapshot.id, snapshot_checksum: snapshot.checksum, evaluated_at: run.state.evaluated_at };
  const alerts = new Map(model.alerts.map((a) => [a.id, a]));
  const out: AlertMessage[] = [];
  for (const s of run.series) {
    if (!s.notice) continue;
    const o = s.observation;
    const scorecards = s.kind === 'alert'
      ? project.files.scorecards.map((f) => f.spec)
        .filter((card) => selectKpis(card, kpis).some((k) => k.id === s.what) && (card.slice ?? []).every((d) => d in s.slice))
        .map((card) => ({ id: card.id, title: card.title, period: defaultPeriod(card, at, model.calendar).label }))
      : [];
    // An error or no-data notice is about its own spell; the others about the episode.
    const since = s.after.state === 'firing' || s.notice.transition === 'recovered' ? episodeStart(s.notice.episode) : s.after.since;
    const description = s.kind === 'alert' ? alerts.get(s.id)?.description : undefined;
    for (const r of s.notice.recipients) {
      out.push({
        kind: s.kind, id: s.id, title: s.title, ...(description ? { description } : {}),
        transition: s.notice.transition, transition_label: transitionLabel(s.notice.transition, s.notice.sequence), sequence: s.notice.sequence, episode: s.notice.episode,
        recipient: { name: r.name, email: r.email }, what_label: s.what_label, slice_label: s.slice_label,
        detail: o.kind === 'breach' ? o.detail : o.kind === 'ok' ? o.detail ?? `${s.what_label} is within bounds again` : o.reason,
        ...('period' in o ? { period: o.period } : {}),
        since, since_display: formatDate(since), scorecards, audit,
      });
    }
  }
  return out;
}

/** The instant an episode first fired: the last part of its id. */
const episodeStart = (episode: string) => episode.slice(episode.lastIndexOf('|') + 1);
