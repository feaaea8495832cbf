import { lastCompleteDay, quoted } from './days.js';
import type { FeedFinding, FeedStats } from './finding.js';

/** Values of the channel and event columns first seen on the judged day or later, in a feed that had rows before. */
export function newValues(stats: FeedStats, judged: string): FeedStats['values'] {
  const before = stats.values.some((v) => v.first_day < judged);
  return before ? stats.values.filter((v) => v.first_day >= judged) : [];
}

/**
 * Schema: the file must have the declared columns and no others, and no channel or event
 * value may be new since the last complete day (one never seen before in the table). Each
 * change is listed; the finding's value is how many there are.
 */
export function schemaFinding(stats: FeedStats, lag: string | undefined): FeedFinding {
  const { source } = stats;
  const base = { source, monitor: 'schema' as const };
  if (stats.columns === null && stats.unread !== undefined) return { ...base, state: 'no_data', detail: `${source}: ${stats.unread}, so its columns and values cannot be compared.` };
  const judged = lastCompleteDay(stats.as_of, lag);
  const declared = stats.columns?.declared ?? [];
  const present = stats.columns?.present ?? [];
  const missing = stats.columns ? declared.filter((c) => !present.includes(c)) : [];
  const extra = stats.columns ? present.filter((c) => !declared.includes(c)) : [];
  const fresh = newValues(stats, judged);
  const changes = [
    ...missing.map((c) => `the file lacks the declared column ${quoted(c)}`),
    ...extra.map((c) => `the file has a column ${quoted(c)} kpiops.yaml does not declare`),
    ...fresh.map((v) => `a new ${v.column} value ${quoted(v.value)} first appeared on ${v.first_day} (${v.rows} ${v.rows === 1 ? 'row' : 'rows'})`),
  ];
  if (changes.length === 0 && stats.unread !== undefined) {
    return { ...base, state: 'ok', value: 0, threshold: 0, detail: `${source}: the file has the declared columns; its values were not read, as ${stats.unread}.` };
  }
  if (changes.length === 0) {
    const what = stats.columns ? 'the file has the declared columns' : 'the columns its exports read are checked when it loads';
    return { ...base, state: 'ok', value: 0, threshold: 0, detail: `${source}: ${what} and no channel or event value is new.` };
  }
  const since = fresh.length > 0 && missing.length + extra.length === 0 ? fresh.map((v) => v.first_day).sort()[0]! : judged;
  return { ...base, state: 'breach', value: changes.length, threshold: 0, since, detail: `${source}: ${changes.join('; ')}.` };
}
