import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/demo-project.js';
import { staticImportsOf } from '../support/imports.js';

/**
 * The bundled CLI in dist/bin (what the package's `kpiops` runs; `npm test` builds it first).
 * Each command's code is loaded when the command runs, so starting kpiops, and `validate`,
 * must not load the heavy packages only evaluation, rendering, delivery or the schema
 * builder need. A bundle that hoisted one of them into a shared file would load it on
 * every start: these tests fail then.
 */
const BIN = join(REPO, 'dist/bin');
const HEAVY = ['@duckdb/node-api', 'mjml', 'handlebars', 'nodemailer', '@octokit/rest', 'pg', '@resvg/resvg-js', '@sinclair/typebox', 'ajv', '@babel/code-frame'];

/** The npm packages the entry file and every file it imports statically import. */
function packagesLoadedAtStart(): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(BIN, file), 'utf8');
    for (const specifier of staticImportsOf(text)) {
      if (specifier.startsWith('./')) visit(specifier.slice(2));
      else if (!specifier.startsWith('node:')) packages.add(specifier);
    }
  };
  visit('kpiops.js');
  return packages;
}

describe('the bundled kpiops', () => {
  it('loads no heavy package when it starts', () => {
    const loaded = packagesLoadedAtStart();
    // The graph is really read: the argument parser and the YAML parser are in it.
    expect(loaded).toContain('commander');
    expect(loaded).toContain('yaml');
    expect([...loaded].filter((p) => HEAVY.some((h) => p === h || p.startsWith(`${h}/`)))).toEqual([]);
  });

  it('validates the demo project, finding its schemas and precompiled validators from dist/bin', () => {
    // NODE_DEBUG=module names every CommonJS file loaded: the precompiled validators, not the schema compiler.
    const r = spawnSync(process.execPath, [join(BIN, 'kpiops.js'), 'validate', '--project', REPO], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', NODE_DEBUG: 'module' } });
    expect(r.stdout).toMatch(/^✔ \d+ files valid \(\d+ KPIs, 10 channels, \d+ scorecards/);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`load "${join(REPO, 'dist/validate/validators.cjs')}"`);
    expect(r.stderr).not.toMatch(/REQUEST ajv\/dist\/2020/);
  });
});
