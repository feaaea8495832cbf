import { cpSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSnapshot, snapshotDir } from '../../src/pipeline/snapshot.js';
import { readInside, type Leads } from '../../src/source/inside.js';
import { formatStylish } from '../../src/diagnostics/format/stylish.js';
import { validateProject } from '../../src/validate/project.js';
import { REPO } from '../support/demo-project.js';
import { removeTempDirs, smallCsvSample, tempDir } from '../support/snapshots.js';

/** A file outside every project, standing for /etc/passwd: what a link must never show. */
let secret: string;
const SECRET_LINE = 'root:x:0:0:root:/root:/bin/bash';

function projectCopy(): string {
  const dir = tempDir('kpiops-links-');
  for (const part of ['kpiops.yaml', 'channels', 'kpis', 'scorecards', 'templates']) cpSync(join(REPO, part), join(dir, part), { recursive: true });
  return dir;
}

const found = (v: Awaited<ReturnType<typeof validateProject>>) => v.diagnostics.map((d) => `${d.file} ${d.code}`);

beforeAll(() => {
  const outside = tempDir('kpiops-outside-');
  secret = join(outside, 'passwd');
  writeFileSync(secret, `${SECRET_LINE}\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n`);
  mkdirSync(join(outside, 'kpis'));
  cpSync(join(REPO, 'kpis/reach/reach.yaml'), join(outside, 'kpis/reach.yaml'));
});
afterAll(removeTempDirs);

describe('links in a project', () => {
  it('a KPI file linked to a file outside the project is refused by name and its text is never shown', async () => {
    const dir = projectCopy();
    symlinkSync(secret, join(dir, 'kpis/leak.yaml'));
    const validated = await validateProject(dir);
    expect(found(validated)).toEqual(['kpis/leak.yaml file/link-outside']);
    expect(validated.diagnostics[0]!.message).toBe(`This is a link to ${secret}, which is outside the project; kpiops reads only what is inside the project, so it is not read.`);
    expect(validated.texts.has('kpis/leak.yaml')).toBe(false);
    expect(formatStylish(validated.diagnostics, { color: false, sources: validated.texts })).not.toContain('root:x');
  });

  it('a folder of KPIs linked outside the project is refused by name and none of its files is read', async () => {
    const dir = projectCopy();
    symlinkSync(join(secret, '..', 'kpis'), join(dir, 'kpis/shared'));
    rmSync(join(dir, 'kpis/reach/reach.yaml'));
    const validated = await validateProject(dir);
    expect(found(validated).filter((d) => d.startsWith('kpis/'))).toEqual(['kpis/shared file/link-outside']);
    expect(validated.files.kpis.map((k) => k.spec.id)).not.toContain('reach');
  });

  it('kpiops.yaml and kpis/ themselves are refused when they lead outside, without a second "no kpiops.yaml" finding', async () => {
    const dir = projectCopy();
    rmSync(join(dir, 'kpiops.yaml'));
    symlinkSync(secret, join(dir, 'kpiops.yaml'));
    rmSync(join(dir, 'kpis'), { recursive: true });
    symlinkSync(join(secret, '..', 'kpis'), join(dir, 'kpis'));
    const diagnostics = found(await validateProject(dir));
    // With no KPIs read, the scorecards' KPIs are unknown too; those findings are left aside here.
    expect(diagnostics.filter((d) => !d.startsWith('scorecards/'))).toEqual(['kpiops.yaml file/link-outside', 'kpis file/link-outside']);
  });

  it('a template linked outside the project is refused, so no scorecard renders from it', async () => {
    const dir = projectCopy();
    mkdirSync(join(dir, 'templates/partials'), { recursive: true });
    symlinkSync(secret, join(dir, 'templates/partials/legal.mjml'));
    expect(found(await validateProject(dir))).toEqual(['templates/partials/legal.mjml file/link-outside']);
  });

  it('a link loop is one finding naming the link, and the rest of its folder is still read', async () => {
    const dir = projectCopy();
    symlinkSync('loop.yaml', join(dir, 'kpis/loop.yaml'));
    symlinkSync('..', join(dir, 'kpis/reach/up'));
    const validated = await validateProject(dir);
    expect(found(validated)).toEqual(['kpis/loop.yaml file/link-loop', 'kpis/reach/up file/link-loop']);
    // The demo's 30 KPIs, the reach folder's five included.
    expect(validated.files.kpis).toHaveLength(30);
  });

  it('links that stay inside the project are followed, for files and folders, and the project itself may be a link', async () => {
    const dir = projectCopy();
    renameSync(join(dir, 'kpis/survey'), join(dir, 'survey-shared'));
    symlinkSync('../survey-shared', join(dir, 'kpis/survey'));
    renameSync(join(dir, 'kpis/reach/reach.yaml'), join(dir, 'reach.yaml'));
    symlinkSync(join(dir, 'reach.yaml'), join(dir, 'kpis/reach/reach.yaml'));
    const link = join(tempDir('kpiops-project-link-'), 'project');
    symlinkSync(dir, link);
    const validated = await validateProject(link);
    expect(validated.diagnostics).toEqual([]);
    expect(validated.files.kpis).toHaveLength(30);
  });
});

describe('reading a file that was found inside the project', () => {
  // What discovery found may have become a link since: each read checks again.
  it('reads plain files and links that stay inside; refuses a file or folder that now leads outside, or loops', () => {
    const root = tempDir('kpiops-read-');
    mkdirSync(join(root, 'kpis/a'), { recursive: true });
    writeFileSync(join(root, 'kpis/a/one.yaml'), 'id: one\n');
    symlinkSync(join(root, 'kpis/a/one.yaml'), join(root, 'kpis/a/alias.yaml'));
    symlinkSync(secret, join(root, 'kpis/a/leak.yaml'));
    symlinkSync(join(root, 'kpis/a/loop.yaml'), join(root, 'kpis/a/loop.yaml'));
    symlinkSync(join(secret, '..'), join(root, 'kpis/out'));
    const folders = new Map<string, Leads>();
    const read = (path: string) => {
      const r = readInside(root, path, folders);
      return 'bytes' in r ? r.bytes.toString('utf8') : r.refused.code;
    };
    expect(read('kpis/a/one.yaml')).toBe('id: one\n');
    expect(read('kpis/a/alias.yaml')).toBe('id: one\n');
    expect(read('kpis/a/leak.yaml')).toBe('file/link-outside');
    expect(read('kpis/a/loop.yaml')).toBe('file/link-loop');
    expect(read('kpis/out/passwd')).toBe('file/link-outside');
    expect(() => read('kpis/a/gone.yaml')).toThrow(/ENOENT/);
    // The folder is resolved once, not per file.
    expect([...folders.keys()].sort()).toEqual(['kpis/a', 'kpis/out']);
  });
});

describe('links in a snapshot', () => {
  let sample: string;
  beforeAll(async () => {
    sample = await smallCsvSample();
  }, 60_000);

  async function check(dir: string) {
    const validated = await validateProject(REPO);
    const checked = await openSnapshot(validated, snapshotDir(REPO, dir));
    checked.open?.loaded.db.close();
    return checked.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file} ${d.table ?? ''} ${d.code}`.replace('  ', ' '));
  }

  it('a table file linked outside the snapshot directory is refused, even with the right checksum', async () => {
    const dir = tempDir('kpiops-snap-');
    cpSync(sample, dir, { recursive: true });
    const outside = join(tempDir('kpiops-outside-'), 'content.csv');
    renameSync(join(dir, 'content.csv'), outside);
    symlinkSync(outside, join(dir, 'content.csv'));
    expect(await check(dir)).toEqual([`${dir}/content.csv content file/link-outside`]);
  });

  it('a snapshot.yaml linked outside the snapshot directory is refused', async () => {
    const dir = tempDir('kpiops-snap-');
    cpSync(sample, dir, { recursive: true });
    const outside = join(tempDir('kpiops-outside-'), 'snapshot.yaml');
    renameSync(join(dir, 'snapshot.yaml'), outside);
    symlinkSync(outside, join(dir, 'snapshot.yaml'));
    expect(await check(dir)).toEqual([`${dir}/snapshot.yaml file/link-outside`]);
  });

  it('a snapshot directory that is itself a link, with a table linked inside it, loads clean', async () => {
    const dir = tempDir('kpiops-snap-');
    cpSync(sample, dir, { recursive: true });
    renameSync(join(dir, 'content.csv'), join(dir, 'content-2026-10.csv'));
    symlinkSync('content-2026-10.csv', join(dir, 'content.csv'));
    const link = join(tempDir('kpiops-snap-link-'), 'snapshot');
    symlinkSync(dir, link);
    expect(await check(link)).toEqual([]);
  });
});
