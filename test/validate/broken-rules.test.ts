import { describe, expect, it } from 'vitest';
import { demoText, located, validateWith, type Change } from '../support/demo-project.js';

const OPEN_RATE = 'kpis/email/email_open_rate.yaml';
const CSAT = 'kpis/survey/csat.yaml';
const NPS = 'kpis/survey/nps.yaml';
const MIX = 'kpis/reach/channel_mix.yaml';
const OVER_CONTACT = 'kpis/reach/over_contact_rate.yaml';
const SCORECARD = 'scorecards/brand_monthly.yaml';
const PROJECT = 'kpiops.yaml';
const change = (file: string, from: string, to: string): Change => ({ file, from, to });
/** Every push channel without its contact cap. */
const noCaps: Change[] = ['banner', 'email', 'whatsapp', 'remote_detail', 'rep_visit'].map((c) => `channels/${c}.yaml`).map((file) => ({ file, from: /cap: .*\n/.exec(demoText(file))![0], to: '' }));
/** The scorecard's KPI list and stages, from `kpis:` to the `stages:` line. */
const scorecardKpis = /kpis:\n(  - .*\n)+stages: \[.*\]/.exec(demoText(SCORECARD))![0];

/**
 * Each case starts from the valid demo project, breaks one thing, and names the one
 * diagnostic expected: `file:line:col code` (1-based, as an editor shows it).
 */
const cases: Array<[name: string, changes: Change[], expected: string]> = [
  // files and YAML syntax
  ['a file over the size limit is refused before it is parsed',
    [{ file: OPEN_RATE, to: `# ${'x'.repeat(1_000_000)}\n` }], `${OPEN_RATE}:1:1 file/too-large`],
  ['a quoted value left open is a syntax error where the line ends without its closing quote',
    [change(OPEN_RATE, 'name: Email open rate', 'name: "Email open rate')], `${OPEN_RATE}:4:23 yaml/syntax`],
  // the project's sources and journey
  ['a time column that holds text is refused at the role',
    [change(PROJECT, '    time: responded_at', '    time: survey')], `${PROJECT}:79:11 project/role-type`],
  ['a journey stage listed twice is refused at the second',
    [change(PROJECT, '    - id: retention\n', '    - id: awareness\n      name: Awareness again\n    - id: retention\n')], `${PROJECT}:23:11 project/duplicate-stage`],
  // survey scores
  ['top on an NPS score is refused at the key',
    [change(NPS, '  method: nps\n', '  method: nps\n  top: 2\n')], `${NPS}:21:3 kpi/top-without-top-box`],
  ['a top-box score over several surveys cannot know the highest answer',
    [change(CSAT, '  where: {survey: csat}\n', '')], `${CSAT}:17:11 kpi/top-box-without-scale`],
  ['NPS on answers of a 1–5 scale is refused',
    [change(NPS, 'where: {survey: nps}', 'where: {survey: csat}')], `${NPS}:20:11 kpi/nps-scale`],
  // caps
  ['a cap KPI with no max when no channel declares a cap can never exceed one',
    noCaps, `${OVER_CONTACT}:16:9 kpi/no-caps`],
  // target mixes
  ['a target mix without a share for one category is refused',
    [change(MIX, '{in_person: 0.34, virtual: 0.33, digital_self_service: 0.33}', '{in_person: 0.67, virtual: 0.33}')], `${MIX}:22:10 kpi/mix-missing-share`],
  ['a share KPI with a single number as target is refused',
    [change(MIX, '{in_person: 0.34, virtual: 0.33, digital_self_service: 0.33}', '0.33')], `${MIX}:22:10 kpi/share-target-not-mix`],
  ['a mix as target of a KPI that is not a share KPI is refused',
    [change(OVER_CONTACT, 'target: {value: 0.05}', 'target: {value: {push: 0.5, pull: 0.5}}')], `${OVER_CONTACT}:24:17 kpi/mix-not-share`],
  // bands
  ['ratio bands on a share KPI are refused at the mode',
    [change(MIX, 'thresholds: {mode: absolute, green: 0.05, amber: 0.1}', 'thresholds: {mode: ratio, green: 0.9, amber: 1.0}')], `${MIX}:24:14 kpi/thresholds-share`],
  ['a KPI\'s own ratio bands without a target are refused',
    [change(OPEN_RATE, 'target:\n  value: 0.22\n  overrides:\n    - {where: {brand: cardiora}, value: 0.22}\n    - {where: {brand: neurexa}, value: 0.23}\n    - {where: {brand: pulmivo}, value: 0.21}\n', '')], `${OPEN_RATE}:29:13 kpi/thresholds-no-target`],
  ['a KPI\'s own ratio bands with a target of zero are refused',
    [change(OPEN_RATE, '  value: 0.22\n', '  value: 0\n')], `${OPEN_RATE}:35:13 kpi/thresholds-target`],
  ['ratio bands of zero are refused at green',
    [change(OPEN_RATE, 'thresholds: {green: 1.0, amber: 0.9}', 'thresholds: {green: 1.0, amber: 0}')], `${OPEN_RATE}:35:21 kpi/thresholds-ratio`],
  ['absolute bands of a percent KPI above 1 are refused',
    [change(OVER_CONTACT, 'green: 0.05, amber: 0.1}', 'green: 0.05, amber: 10}')], `${OVER_CONTACT}:25:37 kpi/thresholds-percent`],
  // targets
  ['a relative target asking for a fall of more than 100% is refused',
    [change(OVER_CONTACT, 'target: {value: 0.05}', 'target: {relative: {to: last_year, change: -1.5}}')], `${OVER_CONTACT}:24:44 kpi/target-fall`],
  ['a schedule mixing months and weeks is refused',
    [change(OPEN_RATE, '  value: 0.22\n', '  schedule: {2026-10: 0.22, 2026-W40: 0.2}\n')], `${OPEN_RATE}:30:3 kpi/schedule-grains`],
  // scorecards
  ['a second scorecard with the same id is refused',
    [{ file: 'scorecards/brand_monthly_copy.yaml', kind: 'scorecard', to: demoText(SCORECARD) }], 'scorecards/brand_monthly_copy.yaml:3:5 scorecard/duplicate-id'],
  ['a scorecard claiming an unknown stage is refused with the closest',
    [change(SCORECARD, 'stages: [awareness, consideration, conversion, retention]', 'stages: [awareness, consideration, conversion, retension]')], `${SCORECARD}:28:48 scorecard/unknown-stage`],
  ['a scorecard of outcomes only warns that it has no early signal',
    [change(SCORECARD, scorecardKpis, 'kpis:\n  - nps\n  - nrx_growth\nstages: [conversion, retention]')], `${SCORECARD}:12:1 scorecard/no-leading`],
];

describe('a broken rule gets one precise diagnostic', () => {
  it.each(cases)('%s', (_name, changes, expected) => {
    expect(located(validateWith(changes))).toEqual([expected]);
  });
});

describe('a finding that suggests a name', () => {
  it('carries the suggestion as the replacement for its range', () => {
    const [d] = validateWith([change(SCORECARD, 'conversion, retention]', 'conversion, retension]')]).diagnostics;
    expect(d).toMatchObject({ code: 'scorecard/unknown-stage', data: { name: 'retension', suggestion: 'retention' }, replacement: 'retention' });
  });
});
