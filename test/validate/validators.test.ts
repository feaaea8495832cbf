import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KIND_NAMES, type Kind } from '../../src/spec/kinds.js';
import { schemaValidators } from '../../src/validate/validators.js';
import { demoText } from '../support/demo-project.js';

const require = createRequire(import.meta.url);

describe('the validators the build precompiles', () => {
  // `npm test` builds first; the CLI runs these precompiled validators, the tests above the compiled-at-runtime ones.
  const precompiled = require('../../dist/validate/validators.cjs') as Record<Kind, ValidateFunction>;
  const runtime = schemaValidators();
  const kpi = parse(demoText('kpis/email/email_open_rate.yaml')) as Record<string, unknown>;
  const broken: unknown[] = [
    kpi,
    { ...kpi, unit: 'percnet', extra: 1 },
    { ...kpi, measure: { kind: 'ratio', numerator: { source: 'x', count: 'all', where: { a: { gte: [1] } } } } },
    { ...kpi, target: { value: { in_person: 2 }, schedule: { '2026-13': 1 } } },
    [],
    'text',
  ];

  it.each(KIND_NAMES)('report the same errors as compiling the %s schema at run time', (kind) => {
    for (const value of broken) {
      const a = precompiled[kind];
      const b = runtime.get(kind)!;
      expect(a(value)).toBe(b(value));
      expect(a.errors ?? null).toEqual(b.errors ?? null);
    }
  });
});
