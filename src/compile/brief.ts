import { entityWords } from '../model/entity-words.js';
import { entityColumn, type Model } from '../model/model.js';
import type { Period } from '../model/period.js';
import { engaged, received } from './channels-sql.js';
import type { Dialect } from './dialect.js';
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
 * One row per target HCP of the given territories, for a rep's n=1 brief: the channels it
 * engaged on in the look-back (with engaged touches), its last touch, its open items, and
 * its worst over-cap window in the period. Every value is bound; names are declared columns.
 */
export function compileBrief(model: Model, dialect: Dialect, source: string, request: BriefRequest): PlannedQuery {
  const { ident } = dialect;
  const params = new Parameters(dialect);
  const rel = new Relation(model, dialect, source, 'e');
  const entity = model.entity;
  const hcpSpec = model.project.sources[entity.source]!;
  if (!hcpSpec.columns[request.territoryColumn]) throw new Error(`the HCP table has no column ${request.territoryColumn}`);
  const ref = entityColumn(model, source)!;
  const key = ident(entity.key);
  const time = rel.own(rel.spec.time!);
  const channel = rel.own(rel.spec.channel!);
  const event = rel.own(rel.spec.event!);
  const touch = rel.own(rel.spec.touch!);
  const from = new Date(Date.UTC(request.period.end.getUTCFullYear(), request.period.end.getUTCMonth() - request.lookBackMonths, request.period.end.getUTCDate()));
  // Optional columns a brief shows when the HCP table declares them.
  const extra = ['name', 'segment', 'specialty'].filter((c) => hcpSpec.columns[c]);
  const target = hcpSpec.columns.target?.type === 'boolean' ? ` AND COALESCE(h.${ident('target')}, FALSE)` : '';
  const hcps = `hcps AS (
  SELECT h.${key} AS "hcp", h.${ident(request.territoryColumn)} AS "territory"${extra.map((c) => `, h.${ident(c)} AS ${ident(c)}`).join('')}
  FROM ${ident(entity.source)} AS h
  WHERE h.${ident(request.territoryColumn)} IN (${request.territories.map((t) => params.bind(t, 'string')).join(', ')})${target})`;
  const capped = model.channels.filter((c) => c.direction === 'push' && c.cap);
  // As the over-contact KPI counts them: touches the HCP received (a bounced email is none).
  const events = `events AS (
  SELECT e.${ident(ref)} AS "hcp", ${channel} AS "channel", ${event} AS "event", ${touch} AS "touch", ${time} AS "at", ${engaged(rel, params)} AS "engaged",
    ${received(rel, params, capped.map((c) => c.id))} AS "received"
  FROM ${ident(source)} AS e JOIN hcps ON e.${ident(ref)} = hcps."hcp"
  WHERE ${time} >= ${params.bind(from.toISOString(), 'timestamp')} AND ${time} < ${params.bind(request.period.end.toISOString(), 'timestamp')})`;
  const used = `used AS (
  SELECT "hcp", list("channel" ORDER BY "touches" DESC, "channel") AS "channels", sum("touches") AS "touches"
  FROM (SELECT "hcp", "channel", count(DISTINCT "touch") AS "touches" FROM events WHERE "engaged" GROUP BY "hcp", "channel")
  GROUP BY "hcp")`;
  const last = `last AS (
  SELECT "hcp", "channel", "event", "at" FROM (
    SELECT *, row_number() OVER (PARTITION BY "hcp" ORDER BY "at" DESC, "channel", "event") AS "r" FROM events)
  WHERE "r" = 1)`;
  const items = request.openItems.map((item) => `SELECT o."hcp", ${params.bind(item.event, 'string')} AS "item", max(o."at") AS "at"
  FROM events AS o
  WHERE o."event" = ${params.bind(item.event, 'string')}
    AND NOT EXISTS (SELECT 1 FROM events AS c WHERE c."hcp" = o."hcp" AND c."at" > o."at" AND ${item.closedBy.length > 0 ? `c."channel" IN (${item.closedBy.map((ch) => params.bind(ch, 'string')).join(', ')})` : 'FALSE'})
  GROUP BY o."hcp"`);
  const open = `open AS (
  SELECT "hcp", list({'item': "item", 'at': "at"} ORDER BY "at") AS "items" FROM (${items.length > 0 ? items.join('\n  UNION ALL\n  ') : 'SELECT NULL AS "hcp", NULL AS "item", NULL AS "at" WHERE FALSE'})
  GROUP BY "hcp")`;
  const windowOf = (per: 'week' | 'month') => `date_trunc('${per}', "at")`;
  const over = capped.length > 0 ? `over AS (
  SELECT "hcp", arg_max("channel", "excess") AS "channel", arg_max("window", "excess") AS "window", arg_max("touches", "excess") AS "touches", arg_max("cap", "excess") AS "cap" FROM (
    SELECT "hcp", "channel", "window", count(DISTINCT "touch") AS "touches", any_value("cap") AS "cap", count(DISTINCT "touch") - any_value("cap") AS "excess" FROM (
      SELECT "hcp", "channel", "touch", CASE "channel" ${capped.map((c) => `WHEN ${params.bind(c.id, 'string')} THEN ${windowOf(c.cap!.per)}`).join(' ')} END AS "window",
        CASE "channel" ${capped.map((c) => `WHEN ${params.bind(c.id, 'string')} THEN ${params.bind(c.cap!.max, 'integer')}`).join(' ')} END AS "cap"
      FROM events WHERE "at" >= ${params.bind(request.period.start.toISOString(), 'timestamp')} AND "received")
    GROUP BY "hcp", "channel", "window")
  WHERE "excess" > 0
  GROUP BY "hcp")` : `over AS (SELECT NULL AS "hcp", NULL AS "channel", NULL AS "window", NULL AS "touches", NULL AS "cap" WHERE FALSE)`;
  const sql = `WITH ${[hcps, events, used, last, open, over].join(',\n')}
SELECT hcps.*, used."channels", COALESCE(used."touches", 0) AS "touches",
  last."channel" AS "last_channel", last."event" AS "last_event", last."at" AS "last_at",
  open."items" AS "open_items",
  over."channel" AS "over_channel", over."window" AS "over_window", over."touches" AS "over_touches", over."cap" AS "over_cap"
FROM hcps LEFT JOIN used ON used."hcp" = hcps."hcp" LEFT JOIN last ON last."hcp" = hcps."hcp"
  LEFT JOIN open ON open."hcp" = hcps."hcp" LEFT JOIN over ON over."hcp" = hcps."hcp"
ORDER BY hcps."territory", hcps."hcp"`;
  return {
    id: 'brief', description: `n=1 brief of each target ${entityWords(model.project).one} in ${request.territories.length} territories, last ${request.lookBackMonths} months`,
    sql, params: params.values, dims: [], feeds: [],
  };
}
