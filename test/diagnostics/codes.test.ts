import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../src/diagnostics/codes.js';
import { REPO } from '../support/demo-project.js';

describe('the diagnostic code registry', () => {
  const documented = [...readFileSync(`${REPO}/docs/diagnostics.md`, 'utf8').matchAll(/^\| `([a-z-]+\/[a-z-]+)` \| (error|warning) \|/gm)].map((m) => [m[1], m[2]]);

  it('is documented code by code, with the same severity, in docs/diagnostics.md', () => {
    const registered = Object.entries(CODES).map(([code, spec]) => [code, spec.severity]);
    expect(documented.sort()).toEqual(registered.sort());
  });

  it('uses codes of the form area/kebab-case', () => {
    for (const code of Object.keys(CODES)) expect(code).toMatch(/^(file|yaml|schema|editor|project|channel|kpi|scorecard|alert|snapshot|data|review|internal)\/[a-z]+(-[a-z]+)*$/);
  });
});
