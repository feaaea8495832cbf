import { entityWords } from '../model/entity-words.js';
import { entityColumn, type Model } from '../model/model.js';
import type { Period } from '../model/period.js';
import { engaged, received } from './channels-sql.js';
import type { Dialect } from './dialects/index.js';
import { Parameters } from './filter.js';
import type { PlannedQuery } from './plan.js';
import { Relation } from './relation.js';

export interface BriefRequest {
  /** The HCP-table column that holds the territory (the recipients' filter dimension). */
  territoryColumn: string;
  territories: readonly string[];
  /** The period the brief is for: the look-back ends at its end; over-contact is counted within it. */
  period: Period;
  lookBackMonths: number;
  /** An event that opens an item (e.g. a sample request) and the channels whose later touch closes it. */
  openItems: ReadonlyArray<{ event: string; closedBy: readonly string[] }>;
}

/**
 * The queries of the n=1 brief of each target HCP of the given territories, one per part:
 * the HCPs, their engaged touches per channel in the look-back, their latest event per
 * channel and event, their open items, and their over-cap windows in the period. Each is
 * plain grouped SQL through the dialect (every table through `dialect.table`, so a warehouse
 * mapping and rep-facing data apply); `briefRows` assembles the lists and picks in
 * TypeScript, where they read the same on every engine. Every value is bound; names are
 * declared columns.
 */
export function compileBrief(model: Model, dialect: Dialect, source: string, request: BriefRequest): { queries: PlannedQuery[] } {
  const { ident } = dialect;
  const entity = model.entity;
  const hcpSpec = model.project.sources[entity.source]!;
  if (!hcpSpec.columns[request.territoryColumn]) throw new Error(`the HCP table has no column ${request.territoryColumn}`);
  const ref = entityColumn(model, source)!;
  const key = ident(entity.key);
  const from = new Date(Date.UTC(request.period.end.getUTCFullYear(), request.period.end.getUTCMonth() - request.lookBackMonths, request.period.end.getUTCDate()));
  // Optional columns a brief shows when the HCP table declares them.
  const extra = ['name', 'segment', 'specialty'].filter((c) => hcpSpec.columns[c]);
  const target = hcpSpec.columns.target?.type === 'boolean' ? ` AND COALESCE(h.${ident('target')}, FALSE)` : '';
  const capped = model.channels.filter((c) => c.direction === 'push' && c.cap);
  const hcps = (params: Parameters) => `hcps AS (
  SELECT h.${key} AS "hcp", h.${ident(request.territoryColumn)} AS "territory"${extra.map((c) => `, h.${ident(c)} AS ${ident(c)}`).join('')}
  FROM ${dialect.table(entity.source)} AS h
  WHERE h.${ident(request.territoryColumn)} IN (${request.territories.map((t) => params.bind(t, 'string')).join(', ')})${target})`;
  // As the over-contact KPI counts them: touches the HCP received (a bounced email is none).
  const events = (params: Parameters) => {
    const rel = new Relation(model, dialect, source, 'e');
    const time = rel.own(rel.spec.time!);
    return `events AS (
  SELECT e.${ident(ref)} AS "hcp", ${rel.own(rel.spec.channel!)} AS "channel", ${rel.own(rel.spec.event!)} AS "event", ${rel.own(rel.spec.touch!)} AS "touch", ${time} AS "at", ${engaged(rel, params)} AS "engaged",
    ${received(rel, params, capped.map((c) => c.id))} AS "received"
  FROM ${dialect.table(source)} AS e JOIN hcps ON e.${ident(ref)} = hcps."hcp"
  WHERE ${time} >= ${params.bind(from.toISOString(), 'timestamp')} AND ${time} < ${params.bind(request.period.end.toISOString(), 'timestamp')})`;
  };
  const query = (part: BriefPart, description: string, body: (params: Parameters) => string, withEvents = true): PlannedQuery => {
    const params = new Parameters(dialect);
    const ctes = [hcps(params), ...(withEvents ? [events(params)] : [])];
    const sql = `WITH ${ctes.join(',\n')}\n${body(params)}`;
    return { id: `brief:${part}`, description, sql: dialect.finish(sql), params: params.values, dims: [], feeds: [] };
  };
  const who = `target ${entityWords(model.project).one}`;
  const queries = [
    query('hcps', `each ${who} of ${request.territories.length} territories`, () => 'SELECT * FROM hcps', false),
    query('used', `engaged touches per ${who} and channel, last ${request.lookBackMonths} months`, () =>
      `SELECT "hcp", "channel", count(DISTINCT "touch") AS "touches" FROM events WHERE "engaged" GROUP BY "hcp", "channel"`),
    query('last', `latest time of each event per ${who} and channel, last ${request.lookBackMonths} months`, () =>
      `SELECT "hcp", "channel", "event", max("at") AS "at" FROM events GROUP BY "hcp", "channel", "event"`),
  ];
  if (request.openItems.length > 0) {
    queries.push(query('open', `open items per ${who}`, (params) => request.openItems.map((item) => `SELECT o."hcp", ${params.bind(item.event, 'string')} AS "item", max(o."at") AS "at"
FROM events AS o
WHERE o."event" = ${params.bind(item.event, 'string')}
  AND NOT EXISTS (SELECT 1 FROM events AS c WHERE c."hcp" = o."hcp" AND c."at" > o."at" AND ${item.closedBy.length > 0 ? `c."channel" IN (${item.closedBy.map((ch) => params.bind(ch, 'string')).join(', ')})` : 'FALSE'})
GROUP BY o."hcp"`).join('\nUNION ALL\n')));
  }
  if (capped.length > 0) {
    queries.push(query('over', `over-cap windows per ${who} and channel in ${request.period.label}`, (params) => `SELECT "hcp", "channel", "window", count(DISTINCT "touch") AS "touches", ${dialect.agg('any', '"cap"')} AS "cap" FROM (
  SELECT "hcp", "channel", "touch", CASE "channel" ${capped.map((c) => `WHEN ${params.bind(c.id, 'string')} THEN ${dialect.truncate(c.cap!.per, '"at"')}`).join(' ')} END AS "window",
    CASE "channel" ${capped.map((c) => `WHEN ${params.bind(c.id, 'string')} THEN ${params.bind(c.cap!.max, 'integer')}`).join(' ')} END AS "cap"
  FROM events WHERE "at" >= ${params.bind(request.period.start.toISOString(), 'timestamp')} AND "received") AS w
GROUP BY "hcp", "channel", "window"
HAVING count(DISTINCT "touch") > ${dialect.agg('any', '"cap"')}`));
  }
  return { queries };
}

type BriefPart = 'hcps' | 'used' | 'last' | 'open' | 'over';

/** One HCP's brief as the queries give it: plain values, the lists in their order. */
export interface BriefRow {
  hcp: unknown;
  territory: unknown;
  name?: unknown;
  segment?: unknown;
  specialty?: unknown;
  /** Channels engaged on, most engaged touches first (then by name). */
  channels: string[] | null;
  touches: number;
  last_channel: string | null;
  last_event: string | null;
  last_at: string | null;
  /** Open items, oldest first. */
  open_items: Array<{ item: string; at: string }> | null;
  /** The window with the most touches over its cap (the earliest, then the first channel, among equals). */
  over_channel: string | null;
  over_window: string | null;
  over_touches: number | null;
  over_cap: number | null;
}

/** Orders values the same on every engine: numbers as numbers, anything else by its text's code units. */
function order(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The brief of each HCP, by territory then HCP, from the rows of `compileBrief`'s queries (by query id). */
export function briefRows(rows: ReadonlyMap<string, readonly Record<string, unknown>[]>): BriefRow[] {
  const part = (name: BriefPart) => rows.get(`brief:${name}`) ?? [];
  const byHcp = <T>(list: readonly Record<string, unknown>[], pick: (r: Record<string, unknown>) => T) => {
    const out = new Map<string, T[]>();
    for (const r of list) out.set(String(r.hcp), [...(out.get(String(r.hcp)) ?? []), pick(r)]);
    return out;
  };
  const used = byHcp(part('used'), (r) => ({ channel: String(r.channel), touches: Number(r.touches) }));
  const last = byHcp(part('last'), (r) => ({ channel: String(r.channel), event: String(r.event), at: String(r.at) }));
  const open = byHcp(part('open'), (r) => ({ item: String(r.item), at: String(r.at) }));
  const over = byHcp(part('over'), (r) => ({ channel: String(r.channel), window: String(r.window), touches: Number(r.touches), cap: Number(r.cap) }));
  return [...part('hcps')].sort((a, b) => order(a.territory, b.territory) || order(a.hcp, b.hcp)).map((h) => {
    const id = String(h.hcp);
    const channels = (used.get(id) ?? []).sort((a, b) => b.touches - a.touches || order(a.channel, b.channel));
    // The latest event, ties broken by channel then event.
    const latest = (last.get(id) ?? []).sort((a, b) => order(b.at, a.at) || order(a.channel, b.channel) || order(a.event, b.event))[0];
    const items = (open.get(id) ?? []).sort((a, b) => order(a.at, b.at) || order(a.item, b.item));
    const worst = (over.get(id) ?? []).sort((a, b) => (b.touches - b.cap) - (a.touches - a.cap) || order(a.window, b.window) || order(a.channel, b.channel))[0];
    return {
      ...h, hcp: h.hcp, territory: h.territory,
      channels: channels.length > 0 ? channels.map((c) => c.channel) : null,
      touches: channels.reduce((n, c) => n + c.touches, 0),
      last_channel: latest?.channel ?? null, last_event: latest?.event ?? null, last_at: latest?.at ?? null,
      open_items: items.length > 0 ? items : null,
      over_channel: worst?.channel ?? null, over_window: worst?.window ?? null, over_touches: worst?.touches ?? null, over_cap: worst?.cap ?? null,
    };
  });
}
