import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchema } from '../../src/spec/json-schema.js';
import { KIND_NAMES, KINDS } from '../../src/spec/kinds.js';
import { schemaValidators } from '../../src/validate/validators.js';
import { join } from 'node:path';
import { RESULTS_FILE, resultsSchemaText, schemaText } from '../../src/spec/write-schemas.js';
import { REPO } from '../support/demo-project.js';

/** Walks a JSON Schema and lists the paths of properties that have no description. */
function undescribed(schema: unknown, path = '#'): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const out: string[] = [];
  for (const [name, sub] of Object.entries((node.properties as Record<string, Record<string, unknown>>) ?? {})) {
    if (!sub.description && !sub.$ref) out.push(`${path}/properties/${name}`);
  }
  for (const [key, value] of Object.entries(node)) {
    if (Array.isArray(value)) value.forEach((v, i) => out.push(...undescribed(v, `${path}/${key}/${i}`)));
    else if (typeof value === 'object' && key !== 'examples' && key !== 'default') out.push(...undescribed(value, `${path}/${key}`));
  }
  return out;
}

describe('published JSON Schemas', () => {
  it.each(KIND_NAMES)('the committed schemas/%s schema matches its TypeBox source (run `npm run schemas` to refresh)', (kind) => {
    const committed = readFileSync(`${REPO}/schemas/${KINDS[kind].file}`, 'utf8');
    expect(committed).toBe(schemaText(kind));
  });

  it.each(KIND_NAMES)('the %s schema is draft 2020-12 and compiles in strict mode', (kind) => {
    expect(jsonSchema(kind).$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schemaValidators().get(kind)).toBeTypeOf('function');
  });

  it('the description check finds a property without one, however deep', () => {
    const schema = { properties: { a: { description: 'x', properties: { b: { type: 'string' } } } }, $defs: { f: { properties: { c: {} } } } };
    expect(undescribed(schema)).toEqual(['#/properties/a/properties/b', '#/$defs/f/properties/c']);
  });

  it.each(KIND_NAMES)('every property of the %s schema has a description for editor hover text', (kind) => {
    expect(undescribed(jsonSchema(kind))).toEqual([]);
  });
});

describe('the results schema', () => {
  it('the committed schemas/results.schema.json matches its TypeBox source (run `npm run schemas` to refresh)', () => {
    expect(readFileSync(join(REPO, 'schemas', RESULTS_FILE), 'utf8')).toBe(resultsSchemaText());
  });
});
