// Regenerates the committed `schemas/*.json` from the TypeBox definitions (`npm run schemas`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchema } from './json-schema.js';
import { KIND_NAMES, KINDS } from './kinds.js';
import { ResultsSchema } from './results.js';
import { AlertStateSchema } from './alert-state.js';

export const schemaText = (kind: (typeof KIND_NAMES)[number]) => `${JSON.stringify(jsonSchema(kind), null, 2)}\n`;

/** The results file `kpiops eval` writes is a published contract too. */
export const RESULTS_FILE = 'results.schema.json';
export const resultsSchemaText = () => `${JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...JSON.parse(JSON.stringify(ResultsSchema)) }, null, 2)}\n`;

/** The alert state file `kpiops alert` keeps between runs. */
export const ALERT_STATE_FILE = 'alert-state.schema.json';
export const alertStateSchemaText = () => `${JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...JSON.parse(JSON.stringify(AlertStateSchema)) }, null, 2)}\n`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = join(process.cwd(), 'schemas');
  for (const kind of KIND_NAMES) writeFileSync(join(dir, KINDS[kind].file), schemaText(kind));
  writeFileSync(join(dir, RESULTS_FILE), resultsSchemaText());
  writeFileSync(join(dir, ALERT_STATE_FILE), alertStateSchemaText());
  console.log(`wrote ${KIND_NAMES.length + 2} schemas to ${dir}`);
}
