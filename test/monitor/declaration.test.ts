import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/model/normalize.js';
import { modelOf } from '../../src/pipeline/project.js';
import { demoText, located, validateWith } from '../support/demo-project.js';

const OWNERS = '    owners: [{name: CRM data team, email: crm-data@example.com}]\n';
const messages = (result: ReturnType<typeof validateWith>) => result.diagnostics.map((d) => [d.code, d.message]);
/** The 1-based line of the interactions source's owners in the demo's kpiops.yaml (the lines replacing it start there). */
const OWNERS_LINE = demoText('kpiops.yaml').split('\n').indexOf(OWNERS.trimEnd()) + 1;

describe('owners and monitor on a source in kpiops.yaml', () => {
  it("the demo's owned sources are its monitored feeds, defaults filled, in kpiops.yaml's order", () => {
    const model = modelOf(validateWith([]));
    expect(model.feeds.map((f) => [f.source, f.owners.map((o) => o.email), f.lag ?? null])).toEqual([
      ['interactions', ['crm-data@example.com'], null],
      ['responses', ['insights@example.com'], null],
      ['rx', ['rx-data@example.com'], 'P1M'],
      ['recommendations', ['nba@example.com'], null],
    ]);
    expect(model.feeds[0]!.monitor).toEqual({ volumeSpreads: 3, historyDays: 28, freshness: true, volume: true, schema: true });
    // rx turns its daily volume off: it is delivered by month.
    expect(model.feeds[2]!.monitor).toEqual({ volumeSpreads: 3, historyDays: 28, freshness: true, volume: false, schema: true });
  });

  it('settings given replace the defaults one by one; a source without owners is not monitored', () => {
    const result = validateWith([{ file: 'kpiops.yaml', from: OWNERS, to: `${OWNERS}    monitor: {volume_spreads: 4, history_days: 56, schema: false}\n` }]);
    expect(result.diagnostics).toEqual([]);
    expect(modelOf(result).feeds[0]).toMatchObject({ source: 'interactions', monitor: { volumeSpreads: 4, historyDays: 56, freshness: true, volume: true, schema: false } });
    const unowned = validateWith([{ file: 'kpiops.yaml', from: OWNERS, to: '' }]);
    expect(modelOf(unowned).feeds.map((f) => f.source)).toEqual(['responses', 'rx', 'recommendations']);
  });

  it('a bad email, a history shorter than a week and an unknown key are schema errors at their line and column', () => {
    const bad = `    owners: [{name: CRM data team, email: crm-data.example.com}]\n    monitor: {history_days: 5, volume_spread: 3}\n`;
    const result = validateWith([{ file: 'kpiops.yaml', from: OWNERS, to: bad }]);
    const owners = OWNERS_LINE;
    expect(located(result)).toEqual([`kpiops.yaml:${owners}:43 schema/format`, `kpiops.yaml:${owners + 1}:29 schema/range`, `kpiops.yaml:${owners + 1}:32 schema/unknown-key`]);
    expect(messages(result).map(([, m]) => m)).toEqual([
      '"crm-data.example.com" is not a valid email.',
      '5 is out of range: it must be ≥ 7.',
      'Unknown key "volume_spread" in sources.interactions.monitor. Did you mean "volume_spreads"?',
    ]);
  });

  it('monitor settings without owners are a warning at the key: nothing would be judged or sent', () => {
    const result = validateWith([{ file: 'kpiops.yaml', from: OWNERS, to: '    monitor: {history_days: 56}\n' }]);
    expect(located(result)).toEqual([`kpiops.yaml:${OWNERS_LINE}:5 project/monitor-without-owners`]);
    expect(messages(result)).toEqual([['project/monitor-without-owners',
      'Source interactions has a `monitor` but no `owners`: nobody would be told what it finds, so the feed is not monitored. Add `owners: [{name: …, email: …}]`, or remove `monitor`.']]);
  });

  it("owners and monitor settings change no KPI's definition hash: they change no number", () => {
    const hashes = (result: ReturnType<typeof validateWith>) => {
      const f = result.files;
      return normalize({ project: f.project!.spec, channels: f.channels.map((c) => c.spec), kpis: f.kpis.map((k) => k.spec) }).kpis.map((k) => [k.id, k.definitionHash]);
    };
    const without = validateWith([{ file: 'kpiops.yaml', from: OWNERS, to: '' }]);
    const more = validateWith([{ file: 'kpiops.yaml', from: OWNERS, to: `${OWNERS}    monitor: {history_days: 56}\n` }]);
    expect(hashes(without)).toEqual(hashes(validateWith([])));
    expect(hashes(more)).toEqual(hashes(validateWith([])));
    // A change that does change numbers still shows (the test can fail).
    const retimed = validateWith([{ file: 'kpiops.yaml', from: '    time: occurred_at\n    touch: message_id\n', to: '    time: occurred_at\n    touch: event_id\n' }]);
    expect(hashes(retimed)).not.toEqual(hashes(validateWith([])));
  });
});
