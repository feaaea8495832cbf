// Regenerates the committed `schemas/*.json` from the TypeBox definitions (`npm run schemas`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchema } from './json-schema.js';
import { KIND_NAMES, KINDS } from './kinds.js';

export const schemaText = (kind: (typeof KIND_NAMES)[number]) => `${JSON.stringify(jsonSchema(kind), null, 2)}\n`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = join(process.cwd(), 'schemas');
  for (const kind of KIND_NAMES) writeFileSync(join(dir, KINDS[kind].file), schemaText(kind));
  console.log(`wrote ${KIND_NAMES.length} schemas to ${dir}`);
}
