import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/presets/index.js';
import { PRESET_NAMES } from '../../src/spec/presets.js';
import { REPO, validateWith } from '../support/demo-project.js';

const docs = readFileSync(`${REPO}/docs/presets.md`, 'utf8');

describe('every preset', () => {
  for (const preset of PRESETS.values()) {
    it(`${preset.name} maps onto the example project's ${preset.table} table without a finding`, () => {
      // The example project's table built from one export using the preset (and the send export an email activity reads).
      // A preset melting the team's own columns (a survey's questions) gets the team's unpivot beside it.
      const unpivot = preset.unpivot?.columns === 'team' ? `, unpivot: {columns: {Q1: {survey: nps}}, value: ${preset.unpivot.value}, name: ${preset.unpivot.name}}` : '';
      const exports = [`${preset.name.replace('/', '_')}: {preset: ${preset.name}${unpivot}}`, ...(preset.name === 'veeva_crm/email_activity' ? ['sends: {preset: veeva_crm/sent_email}'] : [])];
      // A delivered file (rx_wide) also needs the delivery column its vintage reads.
      const vintage = preset.columns.delivered ? `    vintage: {column: delivered, keep: latest}\n` : '';
      const changes = [{ file: 'kpiops.yaml', from: `  ${preset.table}:\n`, to: `  ${preset.table}:\n${vintage}    exports: {${exports.join(', ')}}\n` }];
      if (vintage) changes.push({ file: 'kpiops.yaml', from: '      market_trx: {type: integer, description: Total prescriptions in the brand\'s market.}\n', to: '      market_trx: {type: integer, description: Total prescriptions in the brand\'s market.}\n      delivered: {type: date}\n' });
      const result = validateWith(changes);
      expect(result.diagnostics.filter((d) => d.file === 'kpiops.yaml')).toEqual([]);
    });

    it(`${preset.name} is listed in docs/presets.md with every field it reads and a public reference`, () => {
      const section = docs.split(/^### /m).find((s) => s.startsWith(`\`${preset.name}\``));
      expect(section, `no "### \`${preset.name}\`" section`).toBeDefined();
      const melted = new Set([preset.unpivot?.value, preset.unpivot?.name]);
      const fields = Object.values(preset.columns).flatMap((m) => ('lookup' in m && m.lookup ? [m.lookup.match, m.lookup.take] : 'from' in m && m.from ? [m.from] : 'months_before' in m && m.months_before ? [m.months_before.from] : [])).filter((f) => !melted.has(f));
      for (const field of fields) expect(section, field).toContain(`\`${field}\``);
      for (const reference of preset.references) expect(section).toContain(reference.url);
      // A preset without a public reference says so.
      if (preset.references.length === 0) expect(section).toContain('no public page');
    });
  }
});

describe('the preset names the project schema accepts', () => {
  it('are exactly the presets there are, in the order they are registered', () => {
    // The schema lists the names from spec/presets.ts; a preset missing there could not be named, a stale name would validate and then find no preset.
    expect([...PRESETS.keys()]).toEqual([...PRESET_NAMES]);
  });
});
