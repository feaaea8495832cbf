import type { FeedFinding, FeedStats } from './finding.js';

/** How many failed checks a finding quotes; the rest are counted. */
const QUOTED = 3;

/** Load checks: any check the source's files or rows failed in this snapshot is a breach (it was not loaded). */
export function checksFinding(stats: FeedStats): FeedFinding {
  const { source, checks } = stats;
  const base = { source, monitor: 'checks' as const, threshold: 0 };
  if (checks.length === 0) {
    if (stats.unread !== undefined) return { source, monitor: 'checks', state: 'no_data', detail: `${source}: ${stats.unread}.` };
    return { ...base, state: 'ok', value: 0, detail: `${source}: the snapshot's rows passed every load check.` };
  }
  const quoted = checks.slice(0, QUOTED).map((c) => c.message.trim().replace(/\s+/g, ' '));
  const more = checks.length > QUOTED ? ` And ${checks.length - QUOTED} more.` : '';
  return {
    ...base, state: 'breach', value: checks.length,
    detail: `${source}: the snapshot failed ${checks.length === 1 ? 'a load check' : `${checks.length} load checks`}, so no KPI reads it: ${quoted.join(' ')}${more}`,
  };
}
