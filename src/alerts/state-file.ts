import { ALERT_STATE_VERSION, ALERT_STATES, FEED_KEY_PATTERN, INSTANT_PATTERN, type AlertStateFile, type Track } from '../spec/alert-state.js';
import { terminalText } from '../text/terminal.js';

export { ALERT_STATE_VERSION, type AlertStateFile };

/** The state before any evaluation: no series seen. */
export const emptyState = (evaluatedAt: Date): AlertStateFile => ({ version: ALERT_STATE_VERSION, evaluated_at: evaluatedAt.toISOString(), tracks: {} });

// The order keys are written in: the same state is always the same bytes, so the file diffs cleanly in git.
const TRACK_KEYS = ['state', 'since', 'pending', 'episode', 'notified_at', 'renotified', 'last_value', 'last_period'] as const;

function orderedTrack(track: Track): Track {
  const out: Record<string, unknown> = {};
  for (const k of TRACK_KEYS) if (track[k] !== undefined) out[k] = track[k];
  return out as Track;
}

/** The state file's text: keys in a fixed order, tracks sorted by key, two-space indent, a final newline. */
export function writeState(state: AlertStateFile): string {
  const sorted = (record: Record<string, Track>) => Object.fromEntries(Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((k) => [k, orderedTrack(record[k]!)]));
  const feeds = state.feeds && Object.keys(state.feeds).length > 0 ? { feeds: sorted(state.feeds) } : {};
  const owed = state.owed && state.owed.length > 0 ? { owed: state.owed } : {};
  return `${JSON.stringify({ version: state.version, evaluated_at: state.evaluated_at, tracks: sorted(state.tracks), ...feeds, ...owed }, null, 2)}\n`;
}

const INSTANT = new RegExp(INSTANT_PATTERN);
const TRACK_KEY = /^[a-z][a-z0-9_]*\|.+$/;
const FEED_KEY = new RegExp(FEED_KEY_PATTERN);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const shown = (v: unknown) => JSON.stringify(v)?.slice(0, 60) ?? String(v);
const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
const isText = (v: unknown) => typeof v === 'string' && v.length > 0;

/** What is wrong with one field of a track, or undefined. Mirrors `schemas/alert-state.schema.json` (a test holds them together). */
function fieldProblem(key: string, value: unknown): string | undefined {
  switch (key) {
    case 'state': return (ALERT_STATES as readonly unknown[]).includes(value) ? undefined : `is ${shown(value)}; expected one of ${ALERT_STATES.join(', ')}`;
    case 'since': case 'notified_at': return typeof value === 'string' && INSTANT.test(value) ? undefined : `is ${shown(value)}; expected an instant such as "2026-12-04T06:00:00.000Z"`;
    case 'pending': case 'renotified': return isCount(value) ? undefined : `is ${shown(value)}; expected a whole number of 0 or more`;
    case 'episode': case 'last_period': return isText(value) ? undefined : `is ${shown(value)}; expected a non-empty text`;
    case 'last_value': return typeof value === 'number' && Number.isFinite(value) ? undefined : `is ${shown(value)}; expected a number`;
    default: return 'is not a key of a track';
  }
}

function trackProblem(key: string, track: unknown, section: 'tracks' | 'feeds' = 'tracks'): string | undefined {
  if (section === 'tracks' && !TRACK_KEY.test(key)) return `the track key ${shown(key)} is not \`alert|slice\``;
  if (section === 'feeds' && !FEED_KEY.test(key)) return `the feed key ${shown(key)} is not \`source|check\``;
  if (!isObject(track)) return `${section}[${shown(key)}] is ${shown(track)}; expected an object`;
  for (const required of ['state', 'since', 'pending']) if (!(required in track)) return `${section}[${shown(key)}] has no "${required}"`;
  for (const [field, value] of Object.entries(track)) {
    const problem = fieldProblem(field, value);
    if (problem) return `${section}[${shown(key)}].${field} ${problem}`;
  }
  return undefined;
}

/** What is wrong with one owed email, or undefined: the keys its delivery key and rendering need. */
function owedProblem(m: unknown): string | undefined {
  if (!isObject(m)) return `is ${shown(m)}; expected an object`;
  if (m.kind !== 'alert' && m.kind !== 'feed') return `.kind is ${shown(m.kind)}; expected alert or feed`;
  for (const k of ['id', 'episode', 'title', 'transition', 'transition_label', 'what_label', 'slice_label', 'detail', 'since', 'since_display']) if (!isText(m[k])) return `.${k} is ${shown(m[k])}; expected a non-empty text`;
  if (!['firing', 'renotify', 'recovered', 'error', 'no_data'].includes(m.transition as string)) return `.transition is ${shown(m.transition)}`;
  if (!isCount(m.sequence)) return `.sequence is ${shown(m.sequence)}; expected a whole number of 0 or more`;
  if (!isObject(m.recipient) || !isText(m.recipient.email) || typeof m.recipient.name !== 'string') return '.recipient needs a name and an email';
  if (!Array.isArray(m.scorecards) || !isObject(m.audit)) return 'needs its scorecards and audit';
  return undefined;
}

function stateProblem(data: unknown): string | undefined {
  if (!isObject(data)) return `it holds ${shown(data)}, not an object`;
  if (data.version !== ALERT_STATE_VERSION) return `its version is ${shown(data.version)}; this kpiops reads "${ALERT_STATE_VERSION}"`;
  const extra = Object.keys(data).find((k) => !['version', 'evaluated_at', 'tracks', 'feeds', 'owed'].includes(k));
  if (extra !== undefined) return `"${extra}" is not a key of the state file`;
  if (typeof data.evaluated_at !== 'string' || !INSTANT.test(data.evaluated_at)) return `evaluated_at is ${shown(data.evaluated_at)}; expected an instant such as "2026-12-04T06:00:00.000Z"`;
  if (!isObject(data.tracks)) return `tracks is ${shown(data.tracks)}; expected an object`;
  for (const [key, track] of Object.entries(data.tracks)) {
    const problem = trackProblem(key, track);
    if (problem) return problem;
  }
  if (data.owed !== undefined) {
    if (!Array.isArray(data.owed)) return `owed is ${shown(data.owed)}; expected a list`;
    for (const [i, m] of data.owed.entries()) {
      const problem = owedProblem(m);
      if (problem) return `owed[${i}] ${problem}`;
    }
  }
  if (data.feeds === undefined) return undefined;
  if (!isObject(data.feeds)) return `feeds is ${shown(data.feeds)}; expected an object`;
  for (const [key, track] of Object.entries(data.feeds)) {
    const problem = trackProblem(key, track, 'feeds');
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Reads a state file's text. A file that is not a valid `alert-state/v1` file is an error
 * naming what is wrong, never an empty state: starting afresh would tell every open episode
 * again. (A missing file is the caller's: `emptyState`.)
 */
export function readState(text: string): { state: AlertStateFile } | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { error: `the alert state file is not JSON (${terminalText((error as Error).message)})` };
  }
  const problem = stateProblem(data);
  // The problem quotes the file's own text: shown, never acted on, by a terminal.
  return problem ? { error: `the alert state file is not a valid ${ALERT_STATE_VERSION} file: ${terminalText(problem)}` } : { state: data as AlertStateFile };
}
