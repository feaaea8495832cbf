import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchema } from '../../src/spec/json-schema.js';
import { KIND_NAMES, KINDS } from '../../src/spec/kinds.js';
import { newAjv, schemaValidators } from '../../src/validate/validators.js';
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

/** Every `oneOf` in a schema, by JSON pointer, with the values its node and branches give as examples. */
function oneOfs(schema: unknown, path = ''): Array<{ path: string; branches: number; examples: unknown[] }> {
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const out: Array<{ path: string; branches: number; examples: unknown[] }> = [];
  if (Array.isArray(node.oneOf)) {
    const branches = node.oneOf as Array<{ examples?: unknown[] }>;
    out.push({ path, branches: branches.length, examples: [...(node.examples as unknown[] ?? []), ...branches.flatMap((b) => b.examples ?? [])] });
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'examples' || key === 'default') continue;
    if (Array.isArray(value)) value.forEach((v, i) => out.push(...oneOfs(v, `${path}/${key}/${i}`)));
    else if (typeof value === 'object') out.push(...oneOfs(value, `${path}/${key}`));
  }
  return out;
}

describe('alternatives in the published schemas', () => {
  // Editors apply `oneOf` literally: a value fitting two branches is an error under the analyst's cursor,
  // even where kpiops itself (which reads a discriminator) accepts it.
  it.each(KIND_NAMES)('each example in the %s schema fits exactly one branch of every oneOf it is an example for', (kind) => {
    const ajv = newAjv({ strict: false, discriminator: false });
    ajv.addSchema(jsonSchema(kind), kind);
    const overlapping: string[] = [];
    for (const { path, branches, examples } of oneOfs(jsonSchema(kind))) {
      expect(examples.length, `${path} has examples`).toBeGreaterThan(0);
      const fits = Array.from({ length: branches }, (_, i) => ajv.compile({ $ref: `${kind}#${path}/oneOf/${i}` }));
      for (const example of examples) {
        const count = fits.filter((fit) => fit(example)).length;
        if (count !== 1) overlapping.push(`${path}: ${JSON.stringify(example)} fits ${count} branches`);
      }
    }
    expect(overlapping).toEqual([]);
  });

  it('the check finds a oneOf whose branches overlap', () => {
    const schema = { oneOf: [{ required: ['tag'] }, { required: ['stage'] }], examples: ['reach'] };
    expect(oneOfs({ properties: { kpis: { items: schema } } })).toEqual([{ path: '/properties/kpis/items', branches: 2, examples: ['reach'] }]);
  });
});

describe('the results schema', () => {
  it('the committed schemas/results.schema.json matches its TypeBox source (run `npm run schemas` to refresh)', () => {
    expect(readFileSync(join(REPO, 'schemas', RESULTS_FILE), 'utf8')).toBe(resultsSchemaText());
  });
});
