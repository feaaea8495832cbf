import type { Preset } from './preset.js';

const DATASET = { title: 'Qualtrics Support — Understanding Your Dataset (three header rows; StartDate, EndDate, Finished)', url: 'https://www.qualtrics.com/support/survey-platform/data-and-analysis-module/data/download-data/understanding-your-dataset/' };
const DATASET_360 = { title: 'Qualtrics Support — Understanding Your Response Dataset (360): EndDate is when the survey was submitted', url: 'https://qualtrics.com/support/employee-experience/creating-360-project/data-tab-360/understanding-your-response-data-set-360' };

/**
 * A Qualtrics survey's response dataset: one row per response, one column per question. The
 * questions are each survey's own, so the team lists them (question → survey) under the
 * export's `unpivot.columns`; the preset maps the response's own fields.
 */
export const QUALTRICS_SURVEY: Preset = {
  name: 'qualtrics/survey_wide',
  table: 'responses',
  object: 'Qualtrics response dataset (CSV)',
  description: 'A Qualtrics survey\'s responses: one row per response with ResponseId, EndDate and ExternalReference, then one column per question (Q1, Q2 …).',
  unpivot: { columns: 'team', value: 'answer', name: 'question' },
  columns: {
    // One response answers several questions: each answer's key is the response and the question.
    response_id: { concat: [{ from: 'ResponseId' }, '/', { from: 'question' }] },
    // The HCP is the contact's external reference the survey was distributed with (the team's HCP id).
    hcp_id: { from: 'ExternalReference' },
    responded_at: { from: 'EndDate' },
    score: { from: 'answer' },
  },
  references: [DATASET, DATASET_360],
  notes: [
    'List the survey\'s question columns under the export\'s `unpivot.columns`, each with its survey (`Q1: {survey: nps}`), and write `value: answer` and `name: question`.',
    'Export numeric values (not choice text), with one header row: a Qualtrics CSV has three (field ids, question texts, import ids); delete the second and third before sealing the snapshot, or they load as answers and fail as mistyped scores.',
    'Export finished responses only (Finished = 1): a partial response\'s EndDate is its last interaction, not a submission.',
    'The brand is the team\'s: give `brand` per question under `unpivot.columns`, or map it under `columns`.',
  ],
};
