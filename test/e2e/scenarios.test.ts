import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/demo-project.js';
import { twoCommits } from '../support/revisions.js';
import { removeTempDirs, smallCsvSample, tempDir } from '../support/snapshots.js';

/**
 * The built `kpiops` executable (dist/bin/kpiops.js, as the package installs it) run as a process
 * on the scenarios in this folder. Every other CLI test calls `run` in process; these check
 * what only a process shows: the bin starts, parses its real argv, writes to real pipes and
 * exits with the status. `npm test` builds first; after an edit, `npm run build` before these.
 *
 * A scenario is sections headed `====name====`:
 * - `test`: what it shows, as a sentence.
 * - `edit` (optional): a change to the demo project, committed on top of it as HEAD:
 *   the file's path, then the lines to replace (`-`) and their replacement (`+`).
 * - `command`: the arguments after `kpiops`, split at spaces. `{project}` is the demo project
 *   (a git repository when there is an edit), `{fixtures}` test/fixtures, `{snapshot}` a small
 *   CSV sample (200 HCPs, 4 months to October 2026), `{out}` an empty folder.
 * - `status`, `stdout`, `stderr`: what the process gives, exactly; the same placeholders stand
 *   for those paths, and `{seconds}` for a duration such as `2.7`.
 */
const BIN = join(REPO, 'dist/bin/kpiops.js');
const DIR = import.meta.dirname;

interface Scenario {
  file: string;
  sections: Record<string, string>;
}

function parse(file: string): Scenario {
  const sections: Record<string, string> = {};
  const parts = readFileSync(join(DIR, file), 'utf8').split(/^====([a-z]+)====\n/m);
  for (let i = 1; i < parts.length; i += 2) sections[parts[i]!] = parts[i + 1]!;
  for (const required of ['test', 'command', 'status']) if (!(required in sections)) throw new Error(`${file} has no ====${required}==== section`);
  return { file, sections };
}

/** Applies an `edit` section: `path`, then `-` lines (the text to find) and `+` lines (its replacement). */
function editOf(text: string): { path: string; from: string; to: string } {
  const [path, ...lines] = text.trimEnd().split('\n');
  const side = (mark: string) => lines.filter((l) => l.startsWith(mark)).map((l) => l.slice(1)).join('\n');
  return { path: path!, from: side('-'), to: side('+') };
}

const scenarios = readdirSync(DIR).filter((f) => f.endsWith('.scenario')).sort().map(parse);

let snapshot: string;
beforeAll(async () => {
  snapshot = await smallCsvSample();
}, 60_000);
afterAll(removeTempDirs);

describe('the kpiops executable', () => {
  it('has at least one scenario per command a team runs first', () => {
    expect(scenarios.map((s) => s.sections.command!.split(' ')[0])).toEqual(expect.arrayContaining(['validate', 'eval', 'run', 'diff']));
  });

  for (const { file, sections } of scenarios) {
    it(`${sections.test!.trim()} (${file})`, () => {
      const edit = sections.edit ? editOf(sections.edit) : undefined;
      const project = edit ? twoCommits((change) => change(edit.path, edit.from, edit.to)) : REPO;
      const paths: Record<string, string> = { project, fixtures: join(REPO, 'test/fixtures'), snapshot, out: tempDir('kpiops-e2e-') };
      const args = sections.command!.trim().split(/ +/).map((a) => a.replace(/\{(\w+)\}/g, (m, name: string) => paths[name] ?? m));
      const { GITHUB_ACTIONS: _, ...env } = process.env;
      const run = spawnSync(process.execPath, [BIN, ...args], { cwd: project, encoding: 'utf8', env: { ...env, NO_COLOR: '1' } });
      // Longest paths first, so a folder inside another is named by its own placeholder.
      const shown = (text: string) => Object.entries(paths).sort(([, a], [, b]) => b.length - a.length)
        .reduce((t, [name, path]) => t.replaceAll(path, `{${name}}`), text)
        .replace(/\b\d+\.\d s\b/g, '{seconds} s');
      expect({ status: run.status, stdout: shown(run.stdout), stderr: shown(run.stderr) }).toEqual({
        status: Number(sections.status!.trim()),
        stdout: sections.stdout ?? '',
        stderr: sections.stderr ?? '',
      });
    });
  }
});
