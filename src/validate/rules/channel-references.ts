import { eventSource, stageIds } from '../../model/catalog.js';
import type { Rule } from '../rule.js';
import { suggest } from '../../text/suggest.js';

/** A channel's engagement and received events, its stage map and its event labels name events the interactions table declares and stages the journey has. */
export const channelReferences: Rule = {
  name: 'channel-references',
  check(ctx) {
    const events = eventSource(ctx.project);
    const eventColumn = events ? events[1].columns[events[1].event!] : undefined;
    const allowed = eventColumn?.values?.map(String);
    const stages = stageIds(ctx.project);
    for (const { file, spec } of ctx.files.channels) {
      const checkEvent = (name: string, path: Array<string | number>, target: 'key' | 'value') => {
        if (allowed && !allowed.includes(name)) {
          ctx.report('channel/unknown-event', { name, column: `${events![0]}.${events![1].event}`, suggestion: suggest(name, allowed) }, { file, path, target });
        }
      };
      spec.engagement_events.forEach((e, i) => checkEvent(e, ['engagement_events', i], 'value'));
      spec.received_events?.forEach((e, i) => checkEvent(e, ['received_events', i], 'value'));
      for (const event of Object.keys(spec.events ?? {})) checkEvent(event, ['events', event], 'key');
      for (const [event, stage] of Object.entries(spec.stage_map ?? {})) {
        checkEvent(event, ['stage_map', event], 'key');
        if (!stages.includes(stage)) ctx.report('channel/unknown-stage', { name: stage, suggestion: suggest(stage, stages) }, { file, path: ['stage_map', event] });
      }
    }
  },
};
