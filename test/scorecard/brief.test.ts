import { describe, expect, it } from 'vitest';
import { briefView, byUrgency, hcpName } from '../../src/scorecard/brief.js';
import type { HcpBrief } from '../../src/scorecard/context.js';
import { touchWords } from '../../src/scorecard/touch-words.js';

const hcp = (id: string, extra: Partial<HcpBrief> = {}): HcpBrief => ({ hcp_id: id, territory: 'DE-T01', channels: [], engaged_touches: 0, open_items: [], ...extra });
const open = (at: string) => ({ kind: 'sample_requested', at, text: `Sample request of ${at}` });
const touch = { at: '2026-10-20T10:00:00Z', channel: 'email', event: 'delivered' };

describe('the order of a rep brief', () => {
  // Hand-ordered: A's item is the oldest (1 Sep), then B (5 Sep, also over its cap), then C (20 Sep);
  // D and E are only over a cap, E further (5 − 2 = 3 over) than D (3 − 2 = 1); F needs nothing.
  const a = hcp('H3', { name: 'Dr. Zoe Zed', open_items: [open('2026-10-02T00:00:00Z'), open('2026-09-01T00:00:00Z')] });
  const b = hcp('H1', { name: 'Dr. Amy Abel', open_items: [open('2026-09-05T00:00:00Z')], over_cap: { channel: 'email', window: 'the week of 2026-10-19', touches: 9, cap: 2 } });
  const c = hcp('H2', { open_items: [open('2026-09-20T00:00:00Z')] });
  const d = hcp('H4', { name: 'Dr. Ann Bell', over_cap: { channel: 'rep_visit', window: '2026-10', touches: 3, cap: 2 } });
  const e = hcp('H5', { name: 'Dr. Zed Bell', over_cap: { channel: 'email', window: 'the week of 2026-10-19', touches: 5, cap: 2 } });
  const f = hcp('H0', { name: 'Dr. Al Aa', engaged_touches: 3, last_touch: touch });

  it('puts open items first, the oldest first; then HCPs over a cap, the furthest over first; then the rest', () => {
    expect([f, e, d, c, b, a].sort(byUrgency).map((h) => h.hcp_id)).toEqual(['H3', 'H1', 'H2', 'H5', 'H4', 'H0']);
  });

  it('breaks ties by name, then by id, whatever order the data came in', () => {
    const same = (id: string, name?: string) => hcp(id, { ...(name ? { name } : {}), open_items: [open('2026-09-01T00:00:00Z')] });
    // "Dr. Bo" < "Dr. Cy" < "H9" (an HCP without a name sorts by its id); the two "Dr. Cy" by id.
    const list = [same('H9'), same('H8', 'Dr. Cy'), same('H7', 'Dr. Cy'), same('H6', 'Dr. Bo')];
    expect([...list].sort(byUrgency).map((h) => h.hcp_id)).toEqual(['H6', 'H7', 'H8', 'H9']);
    expect([...list].reverse().sort(byUrgency).map((h) => h.hcp_id)).toEqual(['H6', 'H7', 'H8', 'H9']);
  });
});

describe('a rep brief at 130 HCPs', () => {
  // 20 with an open item (item i on day i + 1 of September), 3 only over a cap, and 107 with nothing to follow up:
  // 100 engaged, 4 touched without engaging (an email delivered, never opened), 3 never touched in the look-back.
  const items = Array.from({ length: 20 }, (_, i) => hcp(`H1${String(i).padStart(2, '0')}`, { name: `Dr. Item ${i}`, open_items: [open(`2026-09-${String(i + 1).padStart(2, '0')}T00:00:00Z`)] }));
  const capped = Array.from({ length: 3 }, (_, i) => hcp(`H2${i}`, { over_cap: { channel: 'email', window: 'the week of 2026-10-19', touches: 3 + i, cap: 2 } }));
  const engaged = Array.from({ length: 100 }, (_, i) => hcp(`H3${String(i).padStart(2, '0')}`, { engaged_touches: 2, last_touch: touch }));
  const contacted = Array.from({ length: 4 }, (_, i) => hcp(`H4${i}`, { last_touch: touch }));
  const untouched = Array.from({ length: 3 }, (_, i) => hcp(`H5${i}`));
  const view = briefView([...untouched, ...engaged, ...capped, ...contacted, ...items].reverse(), 6);

  it('lists the 15 most urgent and counts the 8 more to follow up (20 + 3 = 23 need action; 23 − 15 = 8)', () => {
    expect(view.action.map((h) => h.name)).toEqual(Array.from({ length: 15 }, (_, i) => `Dr. Item ${i}`));
    expect(view.more).toBe(8);
  });

  it('counts the 107 others by what the look-back shows: 100 engaged, 4 contacted, 3 not touched', () => {
    // 130 − 23 needing action = 107 = 100 + 4 + 3.
    expect(view.others).toEqual({ total: 107, engaged: 100, contacted: 4, untouched: 3 });
  });

  it('keeps every HCP, in order, for the attached list, and the 3 over a cap for the count', () => {
    expect(view.hcps).toHaveLength(130);
    expect(view.hcps.slice(20, 23).map((h) => h.hcp_id)).toEqual(['H22', 'H21', 'H20']); // 3, 2 and 1 over the cap
    expect(view.over_cap.map((h) => h.hcp_id)).toEqual(['H22', 'H21', 'H20']);
  });
});

describe('names and touches in words', () => {
  it('a brief names an HCP by its name, or by its id when the HCP table has none (or an empty one)', () => {
    expect(hcpName(hcp('H1', { name: 'Dr. Lena Vogel' }))).toBe('Dr. Lena Vogel');
    expect(hcpName(hcp('H1'))).toBe('H1');
    expect(hcpName(hcp('H1', { name: null }))).toBe('H1');
    expect(hcpName(hcp('H1', { name: '  ' }))).toBe('H1');
  });

  it('says a touch as the channel declares it, and otherwise as the channel and the event, never run together', () => {
    const words = touchWords([
      { id: 'remote_detail', name: 'Remote detail', events: { detailed: { label: 'remote detail' } } },
      { id: 'rep_visit', name: 'Rep visit' },
    ]);
    expect(words.touch('remote_detail', 'detailed')).toBe('remote detail');
    expect(words.touch('rep_visit', 'sample_requested')).toBe('Rep visit: sample requested');
    expect(words.touch('fax', 'sent')).toBe('fax: sent'); // a channel not defined: its id
    expect(words.touch('remote_detail', 'constructor')).toBe('Remote detail: constructor'); // an event from data is never a property
    expect(words.channel('rep_visit')).toBe('Rep visit');
  });
});
