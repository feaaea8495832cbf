import type { ChannelModel } from '../model/model.js';
import type { Parameters } from './filter.js';
import type { Relation } from './relation.js';

/** `CASE channel WHEN … THEN … END` over the channels that have a value for `pick`. */
function byChannel(rel: Relation, params: Parameters, pick: (c: ChannelModel) => string | undefined, otherwise: string): string {
  const channel = rel.own(rel.spec.channel!);
  const arms = rel.model.channels
    .map((c) => [c, pick(c)] as const)
    .filter((arm): arm is readonly [ChannelModel, string] => arm[1] !== undefined)
    .map(([c, then]) => `WHEN ${params.bind(c.id, 'string')} THEN ${then}`);
  return arms.length === 0 ? otherwise : `CASE ${channel} ${arms.join(' ')} ELSE ${otherwise} END`;
}

/** Events a person made (not flagged by the source's bot column). */
export function human(rel: Relation): string {
  return rel.spec.bot ? `NOT COALESCE(${rel.own(rel.spec.bot)}, FALSE)` : 'TRUE';
}

/**
 * An engagement event: one of its channel's `engagement_events`, made by a person.
 * Events of channels no longer defined never count.
 */
export function engaged(rel: Relation, params: Parameters): string {
  const pairs = rel.model.channels.flatMap((c) => c.engagementEvents.map((e) => [params.bind(c.id, 'string'), params.bind(e, 'string')]));
  if (pairs.length === 0) return 'FALSE';
  // One lookup of the (channel, event) pair in a small list: several times faster than a CASE over the channels.
  return `(${human(rel)} AND COALESCE(${rel.dialect.rowIn([rel.own(rel.spec.channel!), rel.own(rel.spec.event!)], pairs)}, FALSE))`;
}

/** Engagement points of one engaged touch on its channel. */
export function weight(rel: Relation, params: Parameters): string {
  return byChannel(rel, params, (c) => `CAST(${params.bind(c.weight, 'number')} AS ${rel.dialect.type('number')})`, '0.0');
}

/** The channel's bit in a set of channels (channel i → 2^i), so distinct channels combine with bit_or. */
export function channelBit(rel: Relation, params: Parameters): string {
  return byChannel(rel, params, (c) => `CAST(${params.bind(2 ** rel.model.channels.indexOf(c), 'integer')} AS ${rel.dialect.type('integer')})`, `CAST(0 AS ${rel.dialect.type('integer')})`);
}

/** Whether the row's channel is one of `ids`. */
export function channelIn(rel: Relation, params: Parameters, ids: readonly string[]): string {
  if (ids.length === 0) return 'FALSE';
  return `COALESCE(${rel.own(rel.spec.channel!)} IN (${ids.map((id) => params.bind(id, 'string')).join(', ')}), FALSE)`;
}

/**
 * A push event showing its touch reached the HCP: its channel is one of `ids` and, where
 * the channel declares `received_events`, the event is one of them (an email `sent` or
 * `bounced` is not; its `delivered` is).
 */
export function received(rel: Relation, params: Parameters, ids: readonly string[]): string {
  const channels = rel.model.channels.filter((c) => ids.includes(c.id));
  const anyEvent = channels.filter((c) => !c.receivedEvents).map((c) => c.id);
  const pairs = channels.flatMap((c) => (c.receivedEvents ?? []).map((e) => [params.bind(c.id, 'string'), params.bind(e, 'string')]));
  const arms = [
    ...(anyEvent.length > 0 ? [channelIn(rel, params, anyEvent)] : []),
    ...(pairs.length > 0 ? [`COALESCE(${rel.dialect.rowIn([rel.own(rel.spec.channel!), rel.own(rel.spec.event!)], pairs)}, FALSE)`] : []),
  ];
  return arms.length === 0 ? 'FALSE' : `(${arms.join(' OR ')})`;
}

/** The journey stage index an event shows (−1 when its channel maps it to no stage). */
export function stageIndex(rel: Relation, params: Parameters): string {
  const event = rel.own(rel.spec.event!);
  return byChannel(rel, params, (c) => {
    const entries = Object.entries(c.stageOf).filter(([, i]) => i >= 0);
    if (entries.length === 0) return undefined;
    return `CASE ${event} ${entries.map(([e, i]) => `WHEN ${params.bind(e, 'string')} THEN ${params.bind(i, 'integer')}`).join(' ')} ELSE -1 END`;
  }, '-1');
}
