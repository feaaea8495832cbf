import { label } from '../scorecard/format.js';
import { hcpName, type BriefView } from '../scorecard/brief.js';
import type { HcpBrief } from '../scorecard/context.js';
import type { TouchWords } from '../scorecard/touch-words.js';

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage
 * return before one) gets a leading `'`, so a name such as `=HYPERLINK(…)` is shown as
 * written and never evaluated.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const HEADER = ['name', 'hcp_id', 'specialty', 'segment', 'channels', 'last_touch_date', 'last_touch', 'open_items', 'over_cap'];

function row(h: HcpBrief, words: TouchWords): string[] {
  return [
    hcpName(h), h.hcp_id, h.specialty ? label(h.specialty) : '', h.segment ? label(h.segment) : '',
    h.channels.map(words.channel).join('; '),
    h.last_touch ? h.last_touch.at.slice(0, 10) : '',
    h.last_touch ? words.touch(h.last_touch.channel, h.last_touch.event) : '',
    h.open_items.map((i) => i.text).join('; '),
    h.over_cap ? `${words.channel(h.over_cap.channel)}: ${h.over_cap.touches} in ${h.over_cap.window} (cap ${h.over_cap.cap})` : '',
  ];
}

/**
 * Every HCP of a rep's brief as CSV, in the brief's order: a header, then one row per HCP,
 * CRLF line ends (RFC 4180), UTF-8 with a byte-order mark so spreadsheet programs read
 * accented names right.
 */
export function briefCsv(brief: Pick<BriefView, 'hcps'>, words: TouchWords): Buffer {
  const lines = [HEADER, ...brief.hcps.map((h) => row(h, words))].map((cells) => cells.map(csvField).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/** `hcps-DE-T01-2026-W43.csv`: anything but letters, digits, `.`, `_` and `-` in the territory becomes `_`. */
export const briefCsvName = (territory: string, period: string) => `hcps-${`${territory}-${period}`.replace(/[^A-Za-z0-9._-]/g, '_')}.csv`;

