import type { ChannelSpec } from '../spec/channel.js';
import { label } from './format.js';

/** How a brief names channels and touches for people. */
export interface TouchWords {
  /** "Remote detail": the channel's display name. */
  channel(id: string): string;
  /** "remote detail", "registered for a webinar": what happened, as a rep would say it. */
  touch(channel: string, event: string): string;
}

/**
 * The one place a (channel, event) becomes words. A channel's `events` labels say it as the
 * team would ("sample request via the sample portal"); an event without one reads as the
 * channel and the event ("Email: bounced"), never run together ("Remote detail detailed").
 */
export function touchWords(channels: ReadonlyArray<Pick<ChannelSpec, 'id' | 'name' | 'events'>>): TouchWords {
  const byId = new Map(channels.map((c) => [c.id, c]));
  const channel = (id: string) => byId.get(id)?.name ?? label(id);
  return {
    channel,
    touch: (id, event) => {
      const events = byId.get(id)?.events;
      return (events && Object.hasOwn(events, event) ? events[event]!.label : undefined) ?? `${channel(id)}: ${label(event)}`;
    },
  };
}
