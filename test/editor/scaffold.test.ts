import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initCommand } from '../../src/cli/init.js';
import { startLanguageServer, type LanguageServer } from './lsp.js';

/** A team's repository as `kpiops init --catalog all` writes it, opened in the editor with the settings init writes. */
let root: string;
let server: LanguageServer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kpiops-scaffold-editor-'));
  const sink = { write: () => true } as unknown as NodeJS.WritableStream;
  expect(await initCommand(root, { actionRepo: 'acme/kpiops', owner: '@acme/omnichannel', catalog: 'all' }, { out: sink, err: sink })).toBe(0);
  const settings = JSON.parse(readFileSync(join(root, '.vscode/settings.json'), 'utf8')) as Record<string, unknown>;
  server = await startLanguageServer(root, { schemas: settings['yaml.schemas'] });
});
afterAll(() => {
  server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('a scaffolded repository in the editor', () => {
  it('shows no diagnostic on any YAML file init writes, the workflows included', async () => {
    const files = (readdirSync(root, { recursive: true, withFileTypes: true }) as Array<{ isFile(): boolean; parentPath: string; name: string }>)
      .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name)).map((e) => join(e.parentPath, e.name).slice(root.length + 1)).sort();
    // kpiops.yaml, 10 channels, 30 KPIs, 1 scorecard, 4 workflows (review, review comment, scorecards, alerts).
    expect(files).toHaveLength(46);
    const opened = files.map((path) => [path, server.open(join(root, path), readFileSync(join(root, path), 'utf8'))] as const);
    const found: string[] = [];
    for (const [path, uri] of opened) {
      for (const d of await server.diagnostics(uri)) found.push(`${path}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
    }
    expect(found).toEqual([]);
    // The same server does see a mistake in such a file: a misspelt channel in reach's filter.
    const reach = files.find((f) => f.endsWith('/reach.yaml'))!;
    const broken = readFileSync(join(root, reach), 'utf8').replace('kind: reach', 'kind: reach\n  where: {channel: emial}');
    expect((await server.diagnostics(server.open(join(root, 'kpis/reach/reach_typo.yaml'), broken))).map((d) => d.message)).toEqual([expect.stringMatching(/^Value is not accepted. Valid values: .*"email"/)]);
  }, 60_000);
});
