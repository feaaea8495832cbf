import type { Ajv2020, Options, ValidateFunction } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { KIND_NAMES, KINDS, type Kind } from '../spec/kinds.js';

const require = createRequire(import.meta.url);

/** Ajv settings shared by the precompiled validators and the runtime fallback. */
export const AJV_OPTIONS: Options = { allErrors: true, strictRequired: false, allowUnionTypes: true, discriminator: true };

/**
 * Precompiled validators written next to this module by `npm run build` (see build-validators),
 * named so the bundled CLI in dist/bin finds them too.
 */
export const PRECOMPILED = '../validate/validators.cjs';

const schemaCache = new Map<Kind, Record<string, unknown>>();

/** The committed JSON Schema of a kind, as editors load it. */
export function publishedSchema(kind: Kind): Record<string, unknown> {
  let schema = schemaCache.get(kind);
  if (!schema) {
    schema = JSON.parse(readFileSync(new URL(`../../schemas/${KINDS[kind].file}`, import.meta.url), 'utf8')) as Record<string, unknown>;
    schemaCache.set(kind, schema);
  }
  return schema;
}

/** The schema compiler, loaded only when validators are compiled (the CLI runs precompiled ones). */
export function newAjv(extra: Options = {}): Ajv2020 {
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = require('ajv-formats') as (ajv: Ajv2020) => Ajv2020;
  const ajv = new Ajv2020({ ...AJV_OPTIONS, ...extra });
  addFormats(ajv);
  return ajv;
}

let validators: Map<Kind, ValidateFunction> | undefined;

/**
 * One validator per kind. The build precompiles them (compiling the KPI schema takes
 * ~300 ms, loading the compiled code ~30 ms); from source they are compiled here.
 */
export function schemaValidators(): Map<Kind, ValidateFunction> {
  if (validators) return validators;
  let compiled: Record<Kind, ValidateFunction> | undefined;
  try {
    compiled = require(PRECOMPILED) as Record<Kind, ValidateFunction>;
  } catch {
    compiled = undefined;
  }
  if (compiled) {
    validators = new Map(KIND_NAMES.map((kind) => [kind, compiled[kind]]));
  } else {
    const ajv = newAjv();
    validators = new Map(KIND_NAMES.map((kind) => [kind, ajv.compile(publishedSchema(kind))]));
  }
  return validators;
}
