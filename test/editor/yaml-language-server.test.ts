import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node.js';
import { demoText, REPO } from '../support/demo-project.js';

/**
 * Drives the real yaml-language-server (what the VS Code YAML extension runs) over stdio,
 * as an editor would: the modeline alone must give analysts red squiggles and completion.
 */
const require = createRequire(import.meta.url);
const serverScript = require.resolve('yaml-language-server/bin/yaml-language-server');
const settings = { yaml: { validate: true, hover: true, completion: true, schemaStore: { enable: false }, format: { enable: false } } };

let server: ChildProcess;
let connection: MessageConnection;
const diagnostics = new Map<string, Array<{ message: string; range: { start: { line: number; character: number } } }>>();
const waiters: Array<() => void> = [];

function open(path: string, text: string): string {
  const uri = pathToFileURL(`${REPO}/${path}`).href;
  connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  return uri;
}

async function diagnosticsFor(uri: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(diagnostics.get(uri)?.length) && Date.now() < deadline) {
    await new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, 200);
    });
  }
  return diagnostics.get(uri) ?? [];
}

beforeAll(async () => {
  server = spawn(process.execPath, [serverScript, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  connection = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  connection.onRequest('workspace/configuration', (params: { items: Array<{ section?: string }> }) =>
    params.items.map((item) => (item.section === 'yaml' ? settings.yaml : item.section ? null : settings)));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: [] }) => {
    diagnostics.set(p.uri, p.diagnostics);
    waiters.splice(0).forEach((w) => w());
  });
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(REPO).href,
    capabilities: { workspace: { configuration: true }, textDocument: { completion: { completionItem: { snippetSupport: true } }, publishDiagnostics: {} } },
  });
  connection.sendNotification('initialized', {});
  connection.sendNotification('workspace/didChangeConfiguration', { settings });
});

afterAll(() => {
  connection?.dispose();
  server?.kill();
});

describe('editor support through the schema modeline', () => {
  it('flags a misspelt unit in a KPI file at the value', async () => {
    const text = demoText('kpis/email/email_open_rate.yaml').replace('unit: percent', 'unit: percnet');
    const found = await diagnosticsFor(open('kpis/email/email_open_rate.yaml', text));
    const unit = found.find((d) => d.range.start.line === 10);
    expect(unit?.message).toMatch(/percent/);
    expect(unit?.range.start.character).toBe(6);
  });

  it('offers the KPI properties not yet written when completing a new key', async () => {
    const text = '# yaml-language-server: $schema=../../schemas/kpi.schema.json\nversion: kpiops/v1\nid: new_kpi\n\n';
    const uri = open('kpis/email/new_kpi.yaml', text);
    const result = (await connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 3, character: 0 } })) as
      { items: Array<{ label: string; documentation?: unknown }> } | Array<{ label: string }>;
    const labels = (Array.isArray(result) ? result : result.items).map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['measure', 'indicator', 'owner', 'target']));
    expect(labels).not.toContain('id');
  });
});
