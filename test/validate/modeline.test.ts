import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { schemasFor } from '../../src/source/package.js';
import { expectedModeline } from '../../src/validate/modeline.js';
import { validateProject } from '../../src/validate/project.js';
import { REPO } from '../support/demo-project.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

const FILE = 'kpis/email/email_open_rate.yaml';

/** A team's folder: the demo YAML with one KPI missing its modeline, kpiops installed in `node_modules` of `installAt`. */
function teamProject(installAt: '.' | '..'): string {
  const top = mkdtempSync(join(tmpdir(), 'kpiops-modeline-'));
  made.push(top);
  const project = join(top, 'analytics');
  for (const part of ['kpiops.yaml', 'kpis', 'channels', 'scorecards']) cpSync(join(REPO, part), join(project, part), { recursive: true });
  const file = join(project, FILE);
  writeFileSync(file, readFileSync(file, 'utf8').split('\n').slice(1).join('\n'));
  // What `npm install kpiops` leaves: the package with its package.json and schemas/.
  const pkg = join(installAt === '.' ? project : top, 'node_modules/kpiops');
  mkdirSync(pkg, { recursive: true });
  cpSync(join(REPO, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(REPO, 'schemas'), join(pkg, 'schemas'), { recursive: true });
  return project;
}

/** The schema path `validate` suggests for the file, and whether it leads to a file from where the file is. */
async function suggested(project: string): Promise<{ path: string; exists: boolean }> {
  const { diagnostics } = await validateProject(project);
  const d = diagnostics.find((x) => x.code === 'file/missing-modeline' && x.file === FILE);
  const path = /\$schema=(\S+)/.exec(d?.message ?? '')?.[1] ?? '';
  return { path, exists: path !== '' && existsSync(join(project, dirname(FILE), path)) };
}

describe('the schema modeline validate suggests', () => {
  it('points at the installed package\'s schemas in a team\'s repository', async () => {
    expect(await suggested(teamProject('.'))).toEqual({ path: '../../node_modules/kpiops/schemas/kpi.schema.json', exists: true });
  });

  it('points at the package a workspace installs in a folder above the project', async () => {
    expect(await suggested(teamProject('..'))).toEqual({ path: '../../../node_modules/kpiops/schemas/kpi.schema.json', exists: true });
  });

  it('points at schemas/ in the kpiops repository, which is its own example project', async () => {
    const { diagnostics } = await validateProject(REPO);
    expect(diagnostics.filter((d) => d.code.includes('modeline'))).toEqual([]);
    expect(expectedModeline(FILE, 'kpi', schemasFor(REPO))).toBe('# yaml-language-server: $schema=../../schemas/kpi.schema.json');
  });
});
