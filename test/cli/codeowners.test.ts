import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BEGIN, END, codeownerLines, withBlock } from '../../src/cli/codeowners.js';
import { REPO } from '../support/demo-project.js';
import { removeTempDirs, tempDir } from '../support/snapshots.js';

afterAll(removeTempDirs);

const kpiops = (args: string[]) => spawnSync(process.execPath, [join(REPO, 'dist/cli/main.js'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('kpiops codeowners', () => {
  it('owns each definition file by its owner and keeps the rest of CODEOWNERS as written', () => {
    const lines = codeownerLines([{ path: 'kpis/reach/reach.yaml', owner: '@acme/analytics' }, { path: 'channels/email.yaml', owner: '@acme/digital' }, { path: 'kpis/x.yaml' }]);
    expect(lines).toEqual(['/channels/email.yaml @acme/digital', '/kpis/reach/reach.yaml @acme/analytics']);
    const written = withBlock('* @acme/platform\n', lines);
    expect(written).toBe(`* @acme/platform\n\n${BEGIN}\n/channels/email.yaml @acme/digital\n/kpis/reach/reach.yaml @acme/analytics\n${END}\n`);
    // Run again with other owners: only the block changes.
    expect(withBlock(`${written}/docs/ @acme/writers\n`, ['/kpis/reach/reach.yaml @acme/brand'])).toBe(`* @acme/platform\n\n${BEGIN}\n/kpis/reach/reach.yaml @acme/brand\n${END}\n/docs/ @acme/writers\n`);
  });

  it('--check passes on this repository and fails, naming the line, when an owner changed', () => {
    expect(kpiops(['codeowners', '-p', REPO, '--check'])).toMatchObject({ status: 0 });
    const dir = tempDir('kpiops-owners-');
    for (const p of ['kpiops.yaml', 'channels', 'kpis', 'scorecards', 'templates', '.github']) cpSync(join(REPO, p), join(dir, p), { recursive: true });
    const path = join(dir, 'kpis/reach/reach.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^owner: .*$/m, 'owner: "@demo-pharma/brand-cardiora"'));
    const check = kpiops(['codeowners', '-p', dir, '--check']);
    expect(check.status).toBe(1);
    expect(check.stderr).toContain('missing: /kpis/reach/reach.yaml @demo-pharma/brand-cardiora');
    expect(kpiops(['codeowners', '-p', dir]).status).toBe(0);
    expect(kpiops(['codeowners', '-p', dir, '--check']).status).toBe(0);
  });
});
