import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discover } from '../../src/source/discover.js';
import { demoText, REPO } from '../support/demo-project.js';
import { startLanguageServer, type LanguageServer } from './lsp.js';

/** Through the modeline alone, the shipped schemas must give analysts red squiggles and completion. */
let server: LanguageServer;
beforeAll(async () => {
  server = await startLanguageServer(REPO);
});
afterAll(() => server?.close());

/** The demo project's files and the documented examples (an export mapping with its snapshot manifest). */
const EXAMPLES = 'docs/examples';
const shipped = [
  ...(await discover(REPO)).files.map((f) => f.path).filter((p) => p.endsWith('.yaml')),
  ...readdirSync(`${REPO}/${EXAMPLES}`, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.yaml')).map((p) => `${EXAMPLES}/${p}`).sort(),
];
const shippedText = (path: string) => (path.startsWith(EXAMPLES) ? readFileSync(`${REPO}/${path}`, 'utf8') : demoText(path));

describe('editor support through the schema modeline', () => {
  it('shows no diagnostic on any shipped project, channel, KPI, scorecard or snapshot manifest file', async () => {
    expect(shipped.length).toBeGreaterThan(40);
    expect(shipped).toContain('docs/examples/exports/snapshot/snapshot.yaml');
    const uris = shipped.map((path) => [path, server.open(`${REPO}/${path}`, shippedText(path))] as const);
    const found: string[] = [];
    for (const [path, uri] of uris) {
      for (const d of await server.diagnostics(uri)) found.push(`${path}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
    }
    expect(found).toEqual([]);
  });

  it('flags a misspelt unit in a KPI file at the value', async () => {
    const text = demoText('kpis/email/email_open_rate.yaml').replace('unit: percent', 'unit: percnet');
    const found = await server.diagnostics(server.open(`${REPO}/kpis/email/misspelt_unit.yaml`, text));
    const unit = found.find((d) => d.range.start.line === 10);
    expect(unit?.message).toMatch(/percent/);
    expect(unit?.range.start.character).toBe(6);
  });

  it('offers the KPI properties not yet written when completing a new key', async () => {
    const text = '# yaml-language-server: $schema=../../schemas/kpi.schema.json\nversion: kpiops/v1\nid: new_kpi\n\n';
    const uri = server.open(`${REPO}/kpis/email/new_kpi.yaml`, text);
    const labels = (await server.completion(uri, { line: 3, character: 0 })).map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['measure', 'indicator', 'owner', 'target']));
    expect(labels).not.toContain('id');
  });
});
