import { describe, expect, it } from 'vitest';
import { located, validateWith } from '../support/demo-project.js';

const withWarehouse = (yaml: string) => validateWith([{ file: 'kpiops.yaml', from: 'journey:', to: `${yaml}\njourney:` }]);

describe('the warehouse section of kpiops.yaml', () => {
  it('accepts a PostgreSQL warehouse with mapped tables', () => {
    const result = withWarehouse('warehouse:\n  engine: postgres\n  schema: crm\n  tables: {interactions: crm_interactions_v}\n  statement_timeout_s: 600');
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('maps only declared sources, pointing at the name', () => {
    const result = withWarehouse('warehouse:\n  engine: postgres\n  tables: {interaction: crm_interactions_v}');
    expect(result.diagnostics.find((d) => d.code === 'project/warehouse-table')).toMatchObject({
      message: 'Unknown source "interaction". Did you mean "interactions"? Only declared sources can be mapped to warehouse tables.',
      replacement: 'interactions',
    });
    expect(located(result).filter((l) => l.endsWith('project/warehouse-table'))).toEqual([expect.stringMatching(/^kpiops\.yaml:\d+:\d+ project\/warehouse-table$/)]);
  });

  it('refuses table and schema names that are not plain identifiers, and a URL written into YAML', () => {
    const names = withWarehouse('warehouse:\n  engine: postgres\n  schema: "crm; DROP SCHEMA crm"\n  tables: {interactions: "x\\" UNION SELECT * FROM pg_shadow --"}');
    expect(names.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['schema/pattern', 'schema/pattern']);
    const url = withWarehouse('warehouse:\n  engine: postgres\n  url: postgres://analyst:secret@db/prod');
    expect(url.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['schema/unknown-key']);
  });
});
