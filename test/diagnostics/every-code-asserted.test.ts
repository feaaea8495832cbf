import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../src/diagnostics/codes.js';
import { REPO } from '../support/demo-project.js';

const TESTS = join(REPO, 'test');
/** This file lists no codes, and the registry's own test compares the registry with the docs: neither proves a code is produced. */
const NOT_EVIDENCE = new Set(['test/diagnostics/every-code-asserted.test.ts', 'test/diagnostics/codes.test.ts']);

const testFiles = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
  const path = join(dir, e.name);
  if (e.isDirectory()) return e.name === 'fixtures' ? [] : testFiles(path);
  return e.name.endsWith('.test.ts') ? [path] : [];
});

/**
 * A test file's text without its comment lines (a code named in a comment asserts nothing),
 * with `\/` read as `/` so a code inside a regular expression counts too.
 */
const code = (path: string) => readFileSync(path, 'utf8').split('\n').filter((l) => !/^\s*(\/\/|\/\*|\*)/.test(l)).join('\n').replaceAll('\\/', '/');

/**
 * A code counts as asserted when a test that makes expectations names it inside a string
 * (`'kpi/unknown-kpi'`, `` `${F}:3:7 kpi/unknown-kpi` ``, `/… kpi\/unknown-kpi/`), as a whole name: not as the start of a
 * longer code, and not only in a comment.
 */
function assertedCodes(): Set<string> {
  const texts = testFiles(TESTS).filter((p) => !NOT_EVIDENCE.has(relative(REPO, p))).map(code).filter((t) => t.includes('expect('));
  return new Set(Object.keys(CODES).filter((c) => {
    const named = new RegExp(`['"\`\\s]${c.replace('/', '\\/')}(?![a-z-])`);
    return texts.some((t) => named.test(t));
  }));
}

describe('the diagnostic code registry', () => {
  it('has every code asserted by at least one test', () => {
    const asserted = assertedCodes();
    expect(Object.keys(CODES).filter((c) => !asserted.has(c))).toEqual([]);
  });
});
