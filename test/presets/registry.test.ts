import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/presets/index.js';
import { REPO, validateWith } from '../support/demo-project.js';

const docs = readFileSync(`${REPO}/docs/presets.md`, 'utf8');

describe('every preset', () => {
  for (const preset of PRESETS.values()) {
    it(`${preset.name} maps onto the example project's ${preset.table} table without a finding`, () => {
      // The example project's table built from one export using the preset (and the send export an email activity reads).
      const exports = [`${preset.name.replace('/', '_')}: {preset: ${preset.name}}`, ...(preset.name === 'veeva_crm/email_activity' ? ['sends: {preset: veeva_crm/sent_email}'] : [])];
      const result = validateWith([{ file: 'kpiops.yaml', from: `  ${preset.table}:\n`, to: `  ${preset.table}:\n    exports: {${exports.join(', ')}}\n` }]);
      expect(result.diagnostics.filter((d) => d.file === 'kpiops.yaml')).toEqual([]);
    });

    it(`${preset.name} is listed in docs/presets.md with every field it reads and a public reference`, () => {
      const section = docs.split(/^### /m).find((s) => s.startsWith(`\`${preset.name}\``));
      expect(section, `no "### \`${preset.name}\`" section`).toBeDefined();
      const fields = Object.values(preset.columns).flatMap((m) => ('lookup' in m && m.lookup ? [m.lookup.match, m.lookup.take] : 'from' in m && m.from ? [m.from] : []));
      for (const field of fields) expect(section, field).toContain(`\`${field}\``);
      for (const reference of preset.references) expect(section).toContain(reference.url);
      expect(preset.references.length).toBeGreaterThan(0);
    });
  }
});
