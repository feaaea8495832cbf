import { describe, expect, it } from 'vitest';
import { briefCsv, briefCsvName, csvField } from '../../src/render/brief-csv.js';
import { briefView } from '../../src/scorecard/brief.js';
import type { HcpBrief } from '../../src/scorecard/context.js';
import { touchWords } from '../../src/scorecard/touch-words.js';

const words = touchWords([
  { id: 'rep_visit', name: 'Rep visit', events: { detailed: { label: 'rep visit' } } },
  { id: 'email', name: 'Email', events: { opened: { label: 'email opened' } } },
]);

describe('the HCP list attached to a rep brief', () => {
  it('is RFC 4180 CSV with a header, one row per HCP in the brief\'s order, CRLF line ends and a UTF-8 byte-order mark', () => {
    const hcps: HcpBrief[] = [
      { hcp_id: 'H0000002', territory: 'DE-T01', specialty: 'general_practice', segment: 'growth', channels: ['email'], engaged_touches: 1, open_items: [], last_touch: { at: '2026-10-20T09:00:00.000Z', channel: 'email', event: 'opened' } },
      {
        hcp_id: 'H0000001', name: 'Dr. Jörg "JJ" Müller, Jr.', territory: 'DE-T01', specialty: 'cardiology', segment: 'high_prescriber', channels: ['rep_visit', 'email'], engaged_touches: 4,
        last_touch: { at: '2026-10-24T10:00:00.000Z', channel: 'rep_visit', event: 'detailed' },
        open_items: [{ kind: 'sample_requested', at: '2026-10-01T00:00:00.000Z', text: 'Sample request of 1 Oct 2026, not followed up yet' }],
        over_cap: { channel: 'email', window: 'the week of 2026-10-19', touches: 3, cap: 2 },
      },
    ];
    const csv = briefCsv(briefView(hcps, 6), words);
    expect(csv.subarray(0, 3).toString('hex')).toBe('efbbbf');
    expect(csv.toString('utf8').slice(1)).toBe([
      'name,hcp_id,specialty,segment,channels,last_touch_date,last_touch,open_items,over_cap',
      // The HCP with an open item first; quotes doubled and the field quoted for its comma and quotes.
      '"Dr. Jörg ""JJ"" Müller, Jr.",H0000001,cardiology,high prescriber,Rep visit; Email,2026-10-24,rep visit,"Sample request of 1 Oct 2026, not followed up yet",Email: 3 in the week of 2026-10-19 (cap 2)',
      // No name column value: the id stands in.
      'H0000002,H0000002,general practice,growth,Email,2026-10-20,email opened,,',
      '',
    ].join('\r\n'));
  });

  it('never lets a spreadsheet run a cell as a formula: =, +, -, @, tab or CR at the start gets a leading quote', () => {
    expect(csvField('=HYPERLINK("http://evil.example","Dr. Click")')).toBe('"\'=HYPERLINK(""http://evil.example"",""Dr. Click"")"');
    expect(csvField('+1 555')).toBe("'+1 555");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('\r=1')).toBe('"\'\r=1"');
    expect(csvField('Dr. A-B =x')).toBe('Dr. A-B =x'); // only the start of a cell matters
    const hostile: HcpBrief = { hcp_id: 'H1', name: '=cmd|\' /C calc\'!A0', territory: 'T', channels: [], engaged_touches: 0, open_items: [] };
    expect(briefCsv({ hcps: [hostile] }, words).toString('utf8').split('\r\n')[1]).toBe("'=cmd|' /C calc'!A0,H1,,,,,,,");
  });

  it('is named after the territory and the period, with nothing but safe characters', () => {
    expect(briefCsvName('DE-T01', '2026-W43')).toBe('hcps-DE-T01-2026-W43.csv');
    expect(briefCsvName('../../etc/x y', '2026-W43')).toBe('hcps-.._.._etc_x_y-2026-W43.csv');
  });
});
