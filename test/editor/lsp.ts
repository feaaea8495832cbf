import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node.js';

/**
 * Drives the real yaml-language-server (what the VS Code YAML extension runs) over stdio,
 * as an editor would. One server per test file; documents are opened from text, so they
 * need not exist on disk (the schemas their modelines point at must).
 */
const require = createRequire(import.meta.url);
const serverScript = require.resolve('yaml-language-server/bin/yaml-language-server');

export interface LspDiagnostic {
  message: string;
  severity?: number;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}
export interface LspCompletionItem {
  label: string;
  kind?: number;
  documentation?: string | { kind: string; value: string };
}
interface Position { line: number; character: number }

export interface LanguageServer {
  /** Opens a document at `path` (absolute) with this text; returns its URI. */
  open(path: string, text: string): string;
  /** The diagnostics the server publishes for the document after it was opened. */
  diagnostics(uri: string, timeoutMs?: number): Promise<LspDiagnostic[]>;
  completion(uri: string, position: Position): Promise<LspCompletionItem[]>;
  /** The hover text (Markdown) at a position, or '' when there is none. */
  hover(uri: string, position: Position): Promise<string>;
  close(): void;
}

export async function startLanguageServer(root: string, yaml: Record<string, unknown> = {}): Promise<LanguageServer> {
  const settings = { yaml: { validate: true, hover: true, completion: true, schemaStore: { enable: false }, format: { enable: false }, ...yaml } };
  const server: ChildProcess = spawn(process.execPath, [serverScript, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection: MessageConnection = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  const published = new Map<string, LspDiagnostic[]>();
  const waiters: Array<() => void> = [];
  connection.onRequest('workspace/configuration', (params: { items: Array<{ section?: string }> }) =>
    params.items.map((item) => (item.section === 'yaml' ? settings.yaml : item.section ? null : settings)));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: LspDiagnostic[] }) => {
    published.set(p.uri, p.diagnostics);
    waiters.splice(0).forEach((w) => w());
  });
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    capabilities: {
      workspace: { configuration: true },
      textDocument: {
        completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        publishDiagnostics: {},
      },
    },
  });
  connection.sendNotification('initialized', {});
  connection.sendNotification('workspace/didChangeConfiguration', { settings });

  return {
    open(path, text) {
      const uri = pathToFileURL(path).href;
      published.delete(uri);
      connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
      return uri;
    },
    async diagnostics(uri, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!published.has(uri)) {
        if (Date.now() > deadline) throw new Error(`yaml-language-server published no diagnostics for ${uri}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
      return published.get(uri)!;
    },
    async completion(uri, position) {
      const result = (await connection.sendRequest('textDocument/completion', { textDocument: { uri }, position })) as
        { items: LspCompletionItem[] } | LspCompletionItem[] | null;
      return Array.isArray(result) ? result : result?.items ?? [];
    },
    async hover(uri, position) {
      const result = (await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position })) as
        { contents: string | { value: string } } | null;
      if (!result) return '';
      return typeof result.contents === 'string' ? result.contents : result.contents.value;
    },
    close() {
      connection.dispose();
      server.kill();
    },
  };
}
