import { Type, type Static } from '@sinclair/typebox';
import { closed, Description, Id, Literals, Owner, Version } from './common.js';

export const ChannelSchema = Type.Object(
  {
    version: Version,
    id: Id('Channel id as it appears in the `channel` column of interactions.', ['email']),
    name: Description('Display name.', ['Email']),
    description: Type.Optional(Description('What the channel is, for people reading scorecards.')),
    owner: Type.Optional(Owner),
    modality: Literals(['in_person', 'virtual', 'digital_self_service'], {
      description: 'How the HCP meets the brand: `in_person` (rep visit, congress), `virtual` (remote detail, webinar) or `digital_self_service` (email, website, portal).',
    }),
    direction: Literals(['push', 'pull'], {
      description: '`push`: the company starts the contact (visit, email, banner); `pull`: the HCP does (website, webinar registration, sample request). Caps apply to push touches.',
    }),
    engagement_events: Type.Array(Id('An event name from the interactions table.', ['opened']), {
      minItems: 1, uniqueItems: true, description: 'Events that count as the HCP engaging (e.g. `opened`, `clicked` for email; `sent` does not).', examples: [['opened', 'clicked']],
    }),
    received_events: Type.Optional(Type.Array(Id('An event name from the interactions table.', ['delivered']), {
      minItems: 1, uniqueItems: true,
      description: 'For a push channel: the events that show a touch reached the HCP. Contact caps count a touch in a window only by these events (an email `sent` and then `bounced` never reached anyone). Default: every event of the channel, as for a visit or a banner impression.',
      examples: [['delivered', 'opened', 'clicked']],
    })),
    weight: Type.Number({ exclusiveMinimum: 0, description: 'Engagement points per engaged touch, used by engagement indices and goals (e.g. 5 for a visit, 1 for an email).', examples: [1] }),
    cap: Type.Optional(Type.Object({
      max: Type.Integer({ minimum: 1, description: 'Maximum push touches per HCP in the window.' }),
      per: Literals(['week', 'month'], { description: 'The window: ISO week or calendar month.' }),
    }, { ...closed, description: 'Contact-frequency cap: more touches than this is over-contacting.', examples: [{ max: 2, per: 'week' }] })),
    stage_map: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), Id('A journey stage id.', ['awareness']), { ...closed,
      description: 'Which journey stage each event of this channel shows an HCP has reached.', examples: [{ opened: 'awareness', clicked: 'consideration' }],
    })),
    events: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), Type.Object({
      label: Description('How a touch that ended with this event reads in a rep\'s brief, in lower case as in the middle of a sentence ("remote detail", "registered for a webinar").', ['email opened']),
    }, { ...closed, description: 'How people read this event of the channel.' }), { ...closed,
      description: 'Words for this channel\'s events in briefs ("last touch: remote detail"). An event without a label reads as the channel and the event ("Email: bounced").',
      examples: [{ detailed: { label: 'remote detail' } }],
    })),
  },
  {
    ...closed,
    title: 'kpiops channel (channels/*.yaml)',
    description: 'A channel through which HCPs are reached, with what counts as engagement on it.',
  },
);

/**
 * A channel file under `channels/`.
 *
 * ```yaml
 * version: kpiops/v1
 * id: email
 * name: Email
 * modality: digital_self_service
 * direction: push
 * engagement_events: [opened, clicked]
 * received_events: [delivered, opened, clicked]
 * weight: 1
 * cap: {max: 2, per: week}
 * stage_map: {delivered: awareness, opened: awareness, clicked: consideration}
 * events:
 *   opened: {label: email opened}
 *   clicked: {label: clicked a link in an email}
 * ```
 */
export type ChannelSpec = Static<typeof ChannelSchema>;
