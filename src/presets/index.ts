import type { Preset } from './preset.js';
import { RX_WIDE } from './rx-wide.js';
import { SALESFORCE_LSC } from './salesforce-lsc.js';
import { QUALTRICS_SURVEY } from './survey-wide.js';
import { VEEVA_CRM } from './veeva-crm.js';

/** Every preset, by name. */
export const PRESETS: ReadonlyMap<string, Preset> = new Map([...VEEVA_CRM, ...SALESFORCE_LSC, RX_WIDE, QUALTRICS_SURVEY].map((p) => [p.name, p]));

/** The names an export's `preset:` accepts: the schema's list, in `spec/presets.ts`. */
export { PRESET_NAMES } from '../spec/presets.js';

export type { Preset, Reference } from './preset.js';
