import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { demoText, validateWith } from '../support/demo-project.js';

const FILE = 'kpis/email/email_open_rate.yaml';
const good = demoText(FILE);

/** Validates the project settings, the channels and the replaced KPI file; the call itself must never throw. */
const run = (content: string | Uint8Array) =>
  validateWith([{ file: FILE, to: content }], { keep: (path) => path === FILE || path === 'kpiops.yaml' || path.startsWith('channels/') });
const errorsOnFile = (content: string | Uint8Array) => run(content).diagnostics.some((d) => d.file === FILE && d.severity === 'error');

/** One edit of the good file: delete, insert or replace a span with characters YAML cares about. */
const mutation = fc.record({
  at: fc.nat({ max: good.length }),
  remove: fc.nat({ max: 12 }),
  insert: fc.string({ unit: fc.constantFrom(':', ' ', '\n', '\t', '-', '[', ']', '{', '}', '&', '*', '!', '|', '>', '#', '"', "'", ',', '?', '%', '@', '`', 'a', '1', '\u0000', '\u00e9'), maxLength: 8 }),
});

const mutate = (edits: Array<{ at: number; remove: number; insert: string }>) =>
  edits.reduce((text, e) => text.slice(0, Math.min(e.at, text.length)) + e.insert + text.slice(Math.min(e.at, text.length) + e.remove), good);

describe('no input crashes the loader', () => {
  it('the unmutated file is clean, so the mutations below start from a valid KPI', () => {
    expect(run(good).diagnostics).toEqual([]);
  });

  it('a mutated KPI file always ends in diagnostics or a clean result, never a throw', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (edits) => {
        const result = run(mutate(edits));
        const onFile = result.diagnostics.filter((d) => d.file === FILE);
        // Every finding carries a position inside the file and a registered message.
        for (const d of onFile) {
          expect(d.range.start.line).toBeGreaterThanOrEqual(0);
          expect(d.message.length).toBeGreaterThan(0);
        }
        expect(result.diagnostics.some((d) => d.code.startsWith('internal/'))).toBe(false);
      }),
      { numRuns: 300 },
    );
    // Hundreds of validations: seconds alone, more beside other test files on a 2-core runner.
  }, 60_000);

  it('any YAML value that is not a KPI is an error (exit 1), never a throw', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const result = run(stringify(value));
        expect(result.diagnostics.some((d) => d.file === FILE && d.severity === 'error')).toBe(true);
        expect(result.diagnostics.some((d) => d.code.startsWith('internal/'))).toBe(false);
      }),
      { numRuns: 300 },
    );
    // Hundreds of validations: seconds alone, more beside other test files on a 2-core runner.
  }, 60_000);

  it('random bytes are an error, never a throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expect(errorsOnFile(bytes)).toBe(true);
      }),
      { numRuns: 300 },
    );
    // Hundreds of validations: seconds alone, more beside other test files on a 2-core runner.
  }, 60_000);

  it('random text is an error, never a throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        expect(errorsOnFile(text)).toBe(true);
      }),
      { numRuns: 300 },
    );
    // Hundreds of validations: seconds alone, more beside other test files on a 2-core runner.
  }, 60_000);

  it('a deep nest of 100,000 brackets ends quickly in a diagnostic', () => {
    const started = Date.now();
    const result = run(`tags: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    expect(result.diagnostics.map((d) => d.code)).toContain('yaml/too-deep');
    // Not a timing assertion on speed, a guard against a hang: far above the ~1 s it takes.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a deep nest of block mappings ends in a diagnostic', () => {
    const deep = Array.from({ length: 200 }, (_, i) => `${' '.repeat(i * 2)}k${i}:`).join('\n');
    expect(run(deep).diagnostics.map((d) => d.code)).toContain('yaml/too-deep');
  });
});
