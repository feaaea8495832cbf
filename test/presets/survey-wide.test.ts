import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateProject } from '../../src/validate/project.js';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { editedCopy, load, removeTempDirs, tempDir } from '../support/snapshots.js';

const FIXTURE = join(REPO, 'test/fixtures/presets/qualtrics_survey');
const SNAPSHOT = join(FIXTURE, 'snapshot');
afterAll(removeTempDirs);

/** The fixture project validated with one text of its kpiops.yaml replaced: each finding as `code line:col message`. */
async function findings(from: string, to: string): Promise<string[]> {
  const dir = tempDir('kpiops-survey-preset-');
  cpSync(FIXTURE, dir, { recursive: true });
  const file = join(dir, 'kpiops.yaml');
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
  const { diagnostics } = await validateProject(dir);
  return diagnostics.map((d) => `${d.code} ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
}

describe('the qualtrics/survey_wide preset with the team\'s own question columns', async () => {
  const project = await validateProject(FIXTURE);

  it('builds one response row per answered question, keyed by the response and the question', async () => {
    expect(project.diagnostics).toEqual([]);
    const loaded = await load(project, SNAPSHOT);
    try {
      expect(loaded.diagnostics).toEqual([]);
      const rows = await loaded.db.all("SELECT response_id, hcp_id, brand, survey, score, strftime(responded_at, '%Y-%m-%d %H:%M') AS at FROM responses ORDER BY 1");
      // Q1 → nps, Q2 → csat (the team's unpivot); ExternalReference is the HCP, EndDate the submission;
      // R_3…'s empty Q2 makes no row.
      expect(rows).toEqual([
        { response_id: 'R_1a2b3c4d5e6f7g8/Q1', hcp_id: 'H001', brand: 'cardiora', survey: 'nps', score: 9, at: '2026-10-03 10:05' },
        { response_id: 'R_1a2b3c4d5e6f7g8/Q2', hcp_id: 'H001', brand: 'cardiora', survey: 'csat', score: 5, at: '2026-10-03 10:05' },
        { response_id: 'R_2b3c4d5e6f7g8h9/Q1', hcp_id: 'H002', brand: 'cardiora', survey: 'nps', score: 7, at: '2026-10-05 14:22' },
        { response_id: 'R_2b3c4d5e6f7g8h9/Q2', hcp_id: 'H002', brand: 'cardiora', survey: 'csat', score: 4, at: '2026-10-05 14:22' },
        { response_id: 'R_3c4d5e6f7g8h9i0/Q1', hcp_id: 'H003', brand: 'cardiora', survey: 'nps', score: 10, at: '2026-10-09 08:03' },
        { response_id: 'R_4d5e6f7g8h9i0j1/Q1', hcp_id: 'H004', brand: 'cardiora', survey: 'nps', score: 3, at: '2026-10-20 17:49' },
        { response_id: 'R_4d5e6f7g8h9i0j1/Q2', hcp_id: 'H004', brand: 'cardiora', survey: 'csat', score: 2, at: '2026-10-20 17:49' },
      ]);
    } finally {
      loaded.db.close();
    }
  });

  it('evaluates NPS and top-two-box satisfaction to the values computed by hand', async () => {
    const out = join(tempDir('kpiops-survey-results-'), 'results.json');
    const run = await kpiops(['eval', '-p', FIXTURE, '--snapshot', SNAPSHOT, '--period', '2026-10', '--out', out, '-q']);
    expect(run.code, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(out, 'utf8')) as { kpis: Array<{ id: string; slices: Array<{ value: number; n: number }> }> };
    const value = (id: string) => results.kpis.find((k) => k.id === id)!.slices[0]!;
    // NPS answers 9, 7, 10, 3: promoters 9 and 10 (2), detractor 3 (1) → (2 − 1) / 4 × 100 = 25.
    expect(value('nps')).toMatchObject({ value: 25, n: 4 });
    // Satisfaction answers 5, 4, 2 (R_3… left it empty): top two boxes 5 and 4 → 2 / 3 × 100 = 66.67.
    expect(value('csat').n).toBe(3);
    expect(value('csat').value).toBeCloseTo(200 / 3, 10);
  });

  it('asks for the team\'s question columns when the export gives no unpivot', async () => {
    expect(await findings('        unpivot:\n          columns:\n            Q1: {survey: nps, brand: cardiora}\n            Q2: {survey: csat, brand: cardiora}\n          value: answer\n          name: question\n', '')).toEqual([
      'schema/required 33:9 Missing required key "unpivot" in export survey_2026_10 (preset qualtrics/survey_wide melts the team\'s own question columns: list them under `unpivot.columns`, with `value: answer` and `name: question`).',
    ]);
  });

  it('names the melted cell\'s name the preset reads when the team\'s unpivot calls it otherwise', async () => {
    expect(await findings('          value: answer\n', '          value: score_text\n')).toEqual([
      'project/preset-unpivot 39:18 Preset qualtrics/survey_wide reads the melted cell as `answer`, and this export\'s unpivot calls it `score_text`: write `value: answer` under `unpivot`.',
    ]);
  });

  it('fails the load, naming the column and a value, when the file keeps the second and third header rows of a Qualtrics CSV', async () => {
    const broken = editedCopy(SNAPSHOT, 'survey_2026_10', (csv) => {
      const [header, ...rows] = csv.split('\n');
      return [header, 'Start Date,End Date,Response Type,Progress,Duration (in seconds),Finished,Recorded Date,Response ID,External Data Reference,Distribution Channel,How likely…,How satisfied…', '"{""ImportId"":""startDate""}",,,,,,,,,,"{""ImportId"":""QID1""}","{""ImportId"":""QID2""}"', ...rows].join('\n');
    });
    const loaded = await load(project, broken);
    try {
      // kpiops reads one header row: the question texts and import ids are data, and no number is computed from them.
      const errors = loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);
      expect(errors).toContain('data/mistyped Table survey_2026_10, column answer: 4 values are not a valid number, e.g. "How likely…".');
      expect(errors).toContain('data/mistyped Table survey_2026_10, column EndDate: 2 values are not a valid timestamp, e.g. "End Date".');
      expect([...loaded.failed]).toEqual(['responses']);
    } finally {
      loaded.db.close();
    }
  });
});
