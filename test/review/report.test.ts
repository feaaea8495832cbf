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
    expect(markdown).toContain('| KPI | period | slice | before → after |');
    tablesHold(markdown);
  });

  it('mentions no one and links nothing that came from a name or a value', () => {
    expect(outsideCode(markdown)).not.toMatch(GITHUB_LINKS);
  });

  it('shows a status named like a built-in property of objects as the text it is, not as that property', () => {
    const odd: Review = { ...review, impact: { ...review.impact!, kpis: [{ ...review.impact!.kpis[0]!, slices: [{ dims: {}, before: { ...slice, display: '41.9%', status: 'constructor' }, after: { ...slice, display: '42.0%', status: 'green' } }] }] } };
    const text = reviewMarkdown(odd);
    expect(text).not.toContain('native code');
    // No emoji for a status kpiops does not know, and its name as text.
    expect(text).toContain('41.9%  constructor');
    expect(text).toContain('42.0% 🟢 on target');
  });
});

describe('what the review comment tells a reviewer first', () => {
  const cellOf = (status: string, display: string) => ({ display, status, symbol: '', n: 120 });
  const plain: Review = {
    version: 'review/v1', base: { ref: 'main' }, head: { ref: 'raise-targets' },
    diff: {
      kpis: [{
        id: 'sample_request_rate', change: 'changed', file: 'kpis/engagement/sample_request_rate.yaml', definition_changed: false, unit: 'percent',
        fields: [{ path: 'target.value', before: 0.25, after: 0.3 }, { path: 'stages', before: ['awareness', 'conversion'], after: ['conversion', 'retention'] }, { path: 'min_sample', before: 30, after: 50 }],
      }],
      scorecards: [], channels: [], project: [], errors: [],
    },
    impact: {
      scorecards: [
        { scorecard: 'brand_monthly', period: '2026-10', audience: 3, kpis_changed: 1, status_flips: 2, recipients_affected: 3 },
        { scorecard: 'rep_weekly', period: '2026-W43', audience: 20, kpis_changed: 1, status_flips: 5, recipients_affected: 17 },
        { scorecard: 'executive_quarterly', period: '2026-Q3', audience: 2, kpis_changed: 0, status_flips: 0, recipients_affected: 0 },
      ],
      kpis: [{ id: 'sample_request_rate', period: '2026-10', unchanged: 10, flips: 2, slices: [
        { dims: { country: 'DE' }, before: cellOf('green', '26.0%'), after: cellOf('amber', '26.0%') },
        { dims: { brand: 'cardiora', country: 'DE' }, before: cellOf('green', '25.1%'), after: cellOf('red', '25.1%') },
      ] }],
      recipients: Array.from({ length: 20 }, (_, i) => ({ scorecard: i < 3 ? 'brand_monthly' : 'rep_weekly', name: `Rep ${i}`, email: `rep${i}@demo-pharma.example`, reasons: ['sample_request_rate'] })),
    },
  };
  const markdown = reviewMarkdown(plain);

  it('leads with exact counts per scorecard, each at its own period, with the audience it is out of', () => {
    const lines = markdown.split('\n');
    // 3 + 17 + 0 recipients affected of 3 + 20 + 2 = 25.
    expect(lines.slice(4, 12)).toEqual([
      '',
      'On the snapshot, rendered as `kpiops run` would send it: **20 of 25 recipients** would read a different scorecard.',
      '',
      '| scorecard | period | KPIs changed | status flips | recipients affected |',
      '|---|---|---:|---:|---:|',
      '| `brand_monthly` | 2026-10 | 1 | 2 | **3** of 3 |',
      '| `rep_weekly` | 2026-W43 | 1 | 5 | **17** of 20 |',
      '| `executive_quarterly` | 2026-Q3 | 0 | 0 | 0 of 2 |',
    ]);
  });

  it('shows a target in the KPI\'s unit, and other numbers as they are', () => {
    expect(markdown).toContain('| `target.value` | `25.0%` | `30.0%` |');
    expect(markdown).toContain('| `min_sample` | `30` | `50` |');
  });

  it('names each slice with its dimension', () => {
    expect(markdown).toContain('| `sample_request_rate` | 2026-10 | country DE | 26.0% 🟢 on target → 26.0% 🟠 near target |');
    expect(markdown).toContain('| brand cardiora · country DE |');
  });

  it('shows a list edit as the items added and removed', () => {
    expect(markdown).toContain('| `stages` | 2 items | + `retention` − `awareness` |');
  });
});
