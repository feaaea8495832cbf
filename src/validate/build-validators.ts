// Run by `npm run build`: writes the schema validators as standalone code next to validators.js.
import standaloneModule from 'ajv/dist/standalone/index.js';
import { writeFileSync } from 'node:fs';
import { KIND_NAMES } from '../spec/kinds.js';
import { PRECOMPILED, newAjv, publishedSchema } from './validators.js';

// The package is CommonJS: its default import is the function itself.
const standaloneCode = standaloneModule as unknown as typeof standaloneModule.default;
const ajv = newAjv({ code: { source: true } });
for (const kind of KIND_NAMES) ajv.addSchema(publishedSchema(kind), kind);
const code = standaloneCode(ajv, Object.fromEntries(KIND_NAMES.map((k) => [k, k])));
writeFileSync(new URL(PRECOMPILED, import.meta.url), code);
