import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateProject } from '../../src/validate/project.js';
import { REPO } from '../support/demo-project.js';
import { editedCopy, load, removeTempDirs, tempDir } from '../support/snapshots.js';

const EXAMPLE = join(REPO, 'docs/examples/exports');
afterAll(removeTempDirs);

describe('an export column the mapping reads but the file lacks', () => {
  it('is reported once, even when several columns read it', async () => {
    const project = await validateProject(EXAMPLE);
    const dir = tempDir('kpiops-missing-');
    cpSync(join(EXAMPLE, 'snapshot'), dir, { recursive: true });
    // crm_calls maps both event_id and message_id from Id.
    const broken = editedCopy(dir, 'crm_calls', (csv) => csv.replace(/^Id,/, 'CallId,'));
    const loaded = await load(project, broken);
    try {
      expect(loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.table, d.column, d.message])).toEqual([
        ['data/missing-column', 'crm_calls', 'Id', 'Table crm_calls has no column Id.'],
      ]);
    } finally {
      loaded.db.close();
    }
  });
});
