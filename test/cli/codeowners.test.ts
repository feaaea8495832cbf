import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BEGIN, END, codeownerLines, withBlock } from '../../src/cli/codeowners.js';
import { REPO } from '../support/demo-project.js';
import { kpiops } from '../support/cli.js';
import { removeTempDirs, tempDir } from '../support/snapshots.js';

afterAll(removeTempDirs);


describe('kpiops codeowners', () => {
  it('owns each definition file by its owner and keeps the rest of CODEOWNERS as written', async () => {
    const lines = codeownerLines([{ path: 'kpis/reach/reach.yaml', owner: '@acme/analytics' }, { path: 'channels/email.yaml', owner: '@acme/digital' }, { path: 'kpis/x.yaml' }]);
    expect(lines).toEqual(['/channels/email.yaml @acme/digital', '/kpis/reach/reach.yaml @acme/analytics']);
    const written = withBlock('* @acme/platform\n', lines);
    expect(written).toBe(`* @acme/platform\n\n${BEGIN}\n/channels/email.yaml @acme/digital\n/kpis/reach/reach.yaml @acme/analytics\n${END}\n`);
    // Run again with other owners: only the block changes.
    expect(withBlock(`${written}/docs/ @acme/writers\n`, ['/kpis/reach/reach.yaml @acme/brand'])).toBe(`* @acme/platform\n\n${BEGIN}\n/kpis/reach/reach.yaml @acme/brand\n${END}\n/docs/ @acme/writers\n`);
  });

  it('--check passes on this repository and fails, naming the line, when an owner changed', async () => {
    expect(await kpiops(['codeowners', '-p', REPO, '--check'])).toMatchObject({ code: 0 });
    const dir = tempDir('kpiops-owners-');
    for (const p of ['kpiops.yaml', 'channels', 'kpis', 'scorecards', 'templates', '.github']) cpSync(join(REPO, p), join(dir, p), { recursive: true });
    const path = join(dir, 'kpis/reach/reach.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^owner: .*$/m, 'owner: "@demo-pharma/brand-cardiora"'));
    const check = await kpiops(['codeowners', '-p', dir, '--check']);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('missing: /kpis/reach/reach.yaml @demo-pharma/brand-cardiora');
    expect((await kpiops(['codeowners', '-p', dir])).code).toBe(0);
    expect((await kpiops(['codeowners', '-p', dir, '--check'])).code).toBe(0);
  });
});
