import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';

type Operation = { requestBody?: { content?: Record<string, { schema?: object }> } };
interface Route { method: string; template: string; regex: RegExp; literal: number; operation: Operation }

let routes: Route[] | undefined;
/** GitHub's published OpenAPI description (the @octokit/openapi package), as routes: method, path template, operation. */
function loadRoutes(): Route[] {
  if (routes) return routes;
  const file = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.deref.json');
  const spec = JSON.parse(readFileSync(file, 'utf8')) as { paths: Record<string, Record<string, Operation>> };
  routes = Object.entries(spec.paths).flatMap(([template, ops]) => Object.entries(ops).filter(([m]) => ['get', 'post', 'patch', 'put', 'delete'].includes(m)).map(([method, operation]) => ({
    method: method.toUpperCase(), template, operation,
    regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\\{[^}]+\\\}|\{[^}]+\}/g, '[^/]+')}$`),
    literal: template.split('/').filter((s) => s && !s.startsWith('{')).length,
  })));
  return routes;
}

export interface Recorded { method: string; path: string; template?: string; body: unknown }
export type Responder = (req: Recorded, count: number) => { status: number; body?: unknown; headers?: Record<string, string> } | undefined;

/**
 * A local stand-in for the GitHub API: every request is checked against GitHub's published
 * OpenAPI description (the operation must exist for the method and path, and the JSON body
 * must match its schema); problems are collected, not thrown, so a test can assert there
 * are none. Comments and check runs are kept in memory; `respond` injects faults.
 */
export interface Commenter { login: string; id: number; type: 'User' | 'Bot' }

/** The workflow's own GITHUB_TOKEN comments as this user. */
export const ACTIONS_BOT_USER: Commenter = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

export async function startGitHub(respond?: Responder, options: { as?: Commenter } = {}) {
  const self = options.as ?? ACTIONS_BOT_USER;
  const all = loadRoutes();
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  const requests: Recorded[] = [];
  const problems: string[] = [];
  /** Comments on the pull request; a test may add other people's, with their author. */
  const comments: Array<{ id: number; body: string; user: Commenter }> = [];
  const checkRuns = new Map<number, { body: unknown; updates: unknown[] }>();
  let nextId = 1000;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? JSON.parse(text) as unknown : undefined;
      const route = all.filter((r) => r.method === req.method && r.regex.test(url.pathname)).sort((a, b) => b.literal - a.literal)[0];
      const recorded: Recorded = { method: req.method ?? '', path: url.pathname, ...(route ? { template: route.template } : {}), body };
      requests.push(recorded);
      const send = (status: number, data?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(data === undefined ? '' : JSON.stringify(data));
      };
      if (!route) {
        problems.push(`${req.method} ${url.pathname}: no such operation in GitHub's API`);
        return send(404, { message: 'Not Found' });
      }
      const schema = route.operation.requestBody?.content?.['application/json']?.schema;
      if (schema) {
        const key = `${route.method} ${route.template}`;
        if (!validators.has(key)) validators.set(key, ajv.compile(schema));
        const validate = validators.get(key)!;
        if (!validate(body)) problems.push(`${key}: body does not match the schema: ${ajv.errorsText(validate.errors)}`);
      }
      const injected = respond?.(recorded, requests.filter((r) => r.method === recorded.method && r.template === recorded.template).length);
      if (injected) return send(injected.status, injected.body, injected.headers);
      const t = route.template;
      if (req.method === 'GET' && t === '/repos/{owner}/{repo}/issues/{issue_number}/comments') return send(200, comments);
      if (req.method === 'POST' && t === '/repos/{owner}/{repo}/issues/{issue_number}/comments') {
        // Comments are written as whoever the token belongs to.
        const c = { id: nextId++, body: (body as { body: string }).body, user: self };
        comments.push(c);
        return send(201, c);
      }
      if (req.method === 'PATCH' && t === '/repos/{owner}/{repo}/issues/comments/{comment_id}') {
        const c = comments.find((x) => String(x.id) === url.pathname.split('/').at(-1));
        if (!c) return send(404, { message: 'Not Found' });
        c.body = (body as { body: string }).body;
        return send(200, c);
      }
      if (req.method === 'POST' && t === '/repos/{owner}/{repo}/check-runs') {
        const id = nextId++;
        checkRuns.set(id, { body, updates: [] });
        return send(201, { id });
      }
      if (req.method === 'PATCH' && t === '/repos/{owner}/{repo}/check-runs/{check_run_id}') {
        const run = checkRuns.get(Number(url.pathname.split('/').at(-1)));
        if (!run) return send(404, { message: 'Not Found' });
        run.updates.push(body);
        return send(200, { id: Number(url.pathname.split('/').at(-1)) });
      }
      return send(200, {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, problems, comments, checkRuns, close: () => new Promise<void>((r) => server.close(() => r())) };
}
