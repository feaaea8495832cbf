import type { HcpBrief } from './context.js';

/** HCPs listed in the email, most urgent first; the others with something to follow up are in the attached list. */
export const BRIEF_LIST_CAP = 15;

/** A rep's brief: who needs action first, how many more, and what the rest of the territory looks like. */
export interface BriefView {
  look_back_months: number;
  /** Every HCP of the territory, in the brief's order (for the attached list). */
  hcps: HcpBrief[];
  /** The HCPs to act on shown in the email: at most BRIEF_LIST_CAP, the most urgent first. */
  action: HcpBrief[];
  /** HCPs to act on beyond the cap (in the attached list only). */
  more: number;
  /** HCPs over a contact cap this period. */
  over_cap: HcpBrief[];
  /** The HCPs with nothing to follow up, counted by what the look-back shows. */
  others: { total: number; engaged: number; contacted: number; untouched: number };
}

/** Name when the HCP table has one, the id otherwise. */
export const hcpName = (h: Pick<HcpBrief, 'hcp_id' | 'name'>): string => (h.name?.trim() ? h.name.trim() : h.hcp_id);

const needsAction = (h: HcpBrief) => h.open_items.length > 0 || h.over_cap !== undefined;
const oldestOpen = (h: HcpBrief) => Math.min(...h.open_items.map((i) => Date.parse(i.at)));
const excess = (h: HcpBrief) => (h.over_cap ? h.over_cap.touches - h.over_cap.cap : 0);

/**
 * The order of urgency: an open item first, the oldest first (it has waited longest); then
 * HCPs only over a contact cap, the furthest over first; then everyone else. Ties go by
 * name, then id, so the order never depends on the data's.
 */
export function byUrgency(a: HcpBrief, b: HcpBrief): number {
  const openA = a.open_items.length > 0, openB = b.open_items.length > 0;
  if (openA !== openB) return openA ? -1 : 1;
  if (openA && openB && oldestOpen(a) !== oldestOpen(b)) return oldestOpen(a) - oldestOpen(b);
  if (needsAction(a) !== needsAction(b)) return needsAction(a) ? -1 : 1;
  if (excess(a) !== excess(b)) return excess(b) - excess(a);
  return hcpName(a).localeCompare(hcpName(b), 'en') || a.hcp_id.localeCompare(b.hcp_id);
}

/** A territory's brief, in the order and with the cap above. */
export function briefView(hcps: readonly HcpBrief[], lookBackMonths: number, cap = BRIEF_LIST_CAP): BriefView {
  const ordered = [...hcps].sort(byUrgency);
  const act = ordered.filter(needsAction);
  const rest = ordered.filter((h) => !needsAction(h));
  const engaged = rest.filter((h) => h.engaged_touches > 0).length;
  const untouched = rest.filter((h) => !h.last_touch).length;
  return {
    look_back_months: lookBackMonths,
    hcps: ordered,
    action: act.slice(0, cap),
    more: Math.max(0, act.length - cap),
    over_cap: ordered.filter((h) => h.over_cap),
    others: { total: rest.length, engaged, contacted: rest.length - engaged - untouched, untouched },
  };
}
