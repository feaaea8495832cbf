/**
 * The names an export's `preset:` accepts, in the order the JSON Schema lists them (so
 * editors complete them). Each is a layout in `presets/`, which is written in the types of
 * this folder; the names live here so the schema does not import the presets.
 * `test/presets/registry.test.ts` holds the two lists together.
 */
export const PRESET_NAMES = [
  'veeva_crm/call2',
  'veeva_crm/sent_email',
  'veeva_crm/email_activity',
  'veeva_crm/suggestion',
  'salesforce_lsc/visit',
  'rx_wide/trx',
  'qualtrics/survey_wide',
] as const;

export type PresetName = (typeof PRESET_NAMES)[number];
