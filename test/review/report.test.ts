import { describe, expect, it } from 'vitest';
import { reviewMarkdown, type Review } from '../../src/review/report.js';
import { HOSTILE, TERMINAL_CONTROL } from '../text/hostile.js';

/** Every hostile value at once: one name that tries everything. */
const EVIL = Object.values(HOSTILE).join(' ');

/** What GitHub turns into a notification or a link, outside code spans (where it links nothing). */
const GITHUB_LINKS = /@[a-z0-9]|#\d|https?:\/\/|www\.|[a-z0-9]@[a-z0-9]/i;
const outsideCode = (markdown: string) => markdown.replace(/(`+)[^`]*?\1/g, '');

/** Each table's rows have as many cells as its header: lines end at LF, CR or CRLF, as Markdown reads them; cells at each `|` not escaped. */
function tablesHold(markdown: string) {
  const cells = (row: string) => row.split(/(?<!\\)\|/).length - 2;
  let header: number | undefined;
  for (const line of markdown.split(/\r\n|\r|\n/)) {
    if (!line.startsWith('|')) header = undefined;
    else if (header === undefined) header = cells(line);
    else expect(cells(line), line).toBe(header);
  }
}

const slice = { display: `${EVIL} 41.9%`, status: 'red', symbol: '✗', n: 40 };
const review: Review = {
  version: 'review/v1',
  base: { ref: 'main' },
  head: { ref: EVIL },
  diff: {
    kpis: [{ id: 'reach', change: 'changed', file: 'kpis/reach/reach.yaml', fields: [{ path: 'name', before: 'Reach', after: EVIL }], definition_changed: false }],
    scorecards: [{ id: 'brand_monthly', change: 'changed', file: 'scorecards/brand_monthly.yaml', fields: [{ path: 'title', before: 'Brand monthly', after: EVIL }] }],
    channels: [],
    project: [],
    errors: [{ code: 'schema/enum', message: `kpis/reach/reach.yaml:11:7: "${EVIL}" is not allowed here`, file: 'kpis/reach/reach.yaml' }],
  },
  impact: {
    // A review read back from a file is data too: a period and a status kpiops never writes.
    scorecards: [{ scorecard: 'brand_monthly', period: EVIL, audience: 3, kpis_changed: 1, status_flips: 1, recipients_affected: 1 }],
    // A territory name from the data, and a recipient named in YAML.
    kpis: [{ id: 'reach', period: '2026-10', slices: [{ dims: { territory: EVIL }, before: slice, after: { ...slice, status: EVIL } }], unchanged: 0, flips: 1 }],
    recipients: [{ scorecard: 'brand_monthly', name: EVIL, email: 'clara.weiss@demo-pharma.example', reasons: [`${EVIL} flips`] }],
  },
};

describe('the pull-request review comment', () => {
  const markdown = reviewMarkdown(review);

  it('shows names and values from YAML and data without a control character or a carriage return', () => {
    expect(markdown).not.toMatch(TERMINAL_CONTROL);
    expect(markdown).not.toContain('\r');
    expect(markdown).toContain('␛]8;;http');
  });

  it('keeps every table row whole when a name holds a carriage return, a line break and pipes', () => {
    expect(markdown).toContain('| KPI | slice | before → after |');
    tablesHold(markdown);
  });

  it('mentions no one and links nothing that came from a name or a value', () => {
    expect(outsideCode(markdown)).not.toMatch(GITHUB_LINKS);
  });
});
