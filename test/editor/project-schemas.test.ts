import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemasCommand } from '../../src/cli/schemas.js';
import { discover } from '../../src/source/discover.js';
import { REPO } from '../support/demo-project.js';
import { startLanguageServer, type LanguageServer } from './lsp.js';

const EDITOR_SETTINGS = {
  '.kpiops/schemas/project.schema.json': 'kpiops.yaml',
  '.kpiops/schemas/channel.schema.json': 'channels/**/*.yaml',
  '.kpiops/schemas/kpi.schema.json': 'kpis/**/*.yaml',
  '.kpiops/schemas/scorecard.schema.json': 'scorecards/**/*.yaml',
  '.kpiops/schemas/alert.schema.json': 'alerts/**/*.yaml',
};

/** The demo project with its editor schemas generated, its files pointing at them, as a team's repository would. */
let root: string;
let server: LanguageServer;
let files: string[];

/** A file's text with its modeline pointing at the project's generated schemas instead of the published ones. */
const text = (path: string) => readFileSync(join(root, path), 'utf8').replace(/(\$schema=(?:\.\.\/)*)schemas\//, '$1.kpiops/schemas/');

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kpiops-editor-'));
  for (const entry of ['kpiops.yaml', 'channels', 'kpis', 'scorecards', 'alerts', 'templates']) cpSync(join(REPO, entry), join(root, entry), { recursive: true });
  const err = new PassThrough() as unknown as NodeJS.WriteStream;
  expect(await schemasCommand({ project: root }, { out: new PassThrough(), err, env: {} })).toBe(0);
  files = (await discover(root)).files.map((f) => f.path).filter((p) => p.endsWith('.yaml'));
  // As docs/editor.md tells VS Code users: the generated schemas mapped to the project's globs in the settings.
  server = await startLanguageServer(root, { schemas: EDITOR_SETTINGS });
});
afterAll(() => {
  server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

const KPI_HEAD = '# yaml-language-server: $schema=../../.kpiops/schemas/kpi.schema.json\nversion: kpiops/v1\nid: draft\nname: Draft\ndescription: A draft.\nstages: [awareness]\nindicator: leading\nunit: percent\ndirection: higher\n';

// Each document gets its own path: the server keeps the first text opened under a path.
let drafts = 0;
const KPI = () => `kpis/email/draft_${++drafts}.yaml`;
const draftKpi = (measure: string) => `${KPI_HEAD}measure:\n${measure}`;
const labels = (items: Array<{ label: string }>) => items.map((i) => i.label);
const docs = (items: Array<{ label: string; documentation?: string | { value: string } }>, label: string) => {
  const doc = items.find((i) => i.label === label)?.documentation;
  return typeof doc === 'string' ? doc : doc?.value;
};

describe('editor support through the project\'s generated schemas', () => {
  it('shows no diagnostic on any file of the project when its modelines point at the generated schemas', async () => {
    expect(files.length).toBeGreaterThan(30);
    const opened = files.map((path) => [path, server.open(join(root, path), text(path))] as const);
    expect(text('kpis/email/email_open_rate.yaml')).toMatch(/^# yaml-language-server: \$schema=\.\.\/\.\.\/\.kpiops\/schemas\/kpi\.schema\.json\n/);
    const found: string[] = [];
    for (const [path, uri] of opened) {
      for (const d of await server.diagnostics(uri)) found.push(`${path}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
    }
    expect(found).toEqual([]);
  });

  it('offers the project\'s channel ids, with each channel\'s name and description, inside where: {channel: …}', async () => {
    const line = '  numerator: {source: interactions, count: touches, where: {channel: }}';
    const uri = server.open(join(root, KPI()), draftKpi(`  kind: ratio\n${line}\n  denominator: {source: interactions, count: touches}\n`));
    const items = await server.completion(uri, { line: 11, character: line.indexOf('}}') });
    expect(labels(items)).toEqual(expect.arrayContaining(['email', 'rep_visit', 'webinar', 'whatsapp', 'banner']));
    expect(docs(items, 'rep_visit')).toBe('**Rep visit** — A sales representative meets the HCP in person at their practice or hospital.');
  });

  it('offers the events the interactions table lists inside a filter on event', async () => {
    const uri = server.open(join(root, KPI()), draftKpi('  kind: reach\n  source: interactions\n  where:\n    event: \n'));
    expect(labels(await server.completion(uri, { line: 13, character: 11 }))).toEqual(expect.arrayContaining(['opened', 'clicked', 'sample_requested']));
  });

  it('flags a misspelt channel id at its exact position, listing the channels there are', async () => {
    const uri = server.open(join(root, KPI()), draftKpi('  kind: ratio\n  numerator:\n    source: interactions\n    count: touches\n    where: {channel: emial}\n  denominator: {source: interactions, count: touches}\n'));
    const found = await server.diagnostics(uri);
    // Line 15 (0-based 14) is `    where: {channel: emial}`: "emial" starts after 4 + 8 (`where: {`) + 9 (`channel: `) = 21 characters.
    expect(found.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character])).toEqual([[14, 21, 26]]);
    expect(found[0]!.message).toMatch(/^Value is not accepted\. Valid values: "banner", "call_center", .*"email"/);
  });

  it('flags a column the measure\'s source does not have, and knows the HCP columns it reaches through hcp_id', async () => {
    const uri = server.open(join(root, KPI()), draftKpi('  kind: reach\n  source: interactions\n  where: {chanel: email, segment: growth}\n'));
    const found = await server.diagnostics(uri);
    // Line 13 (0-based 12) is `  where: {chanel: email, segment: growth}`: the key starts after 2 + 8 (`where: {`) = 10 characters.
    expect(found.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message}`)).toEqual(['12:10 Property chanel is not allowed.']);
  });

  it('offers the KPI ids in a scorecard\'s kpis list, shows a KPI\'s name on hover, and flags one that does not exist', async () => {
    const head = '# yaml-language-server: $schema=../.kpiops/schemas/scorecard.schema.json\nversion: kpiops/v1\nid: draft\ntitle: Draft\ngrain: month\n';
    const audience = 'audience:\n  - {name: Anna Berg, email: anna.berg@example.com}\n';
    const uri = server.open(join(root, 'scorecards/draft.yaml'), `${head}kpis:\n  - reach\n  - \n${audience}`);
    const items = await server.completion(uri, { line: 7, character: 4 });
    expect(labels(items)).toEqual(expect.arrayContaining(['reach', 'email_open_rate', 'trx_share', 'nps']));
    expect(docs(items, 'nps')).toMatch(/^\*\*Net Promoter Score/);
    // Line 7 (0-based 6) is `  - reach`.
    expect(await server.hover(uri, { line: 6, character: 6 })).toMatch(/Allowed Values:\n\n\* `reach`: \*\*Reach\*\* — /);
    const typo = server.open(join(root, 'scorecards/typo.yaml'), `${head}kpis:\n  - reach\n  - {kpi: trx_shar, grain: month}\n${audience}`);
    const found = await server.diagnostics(typo);
    expect(found.map((d) => [d.range.start.line, d.range.start.character])).toEqual([[7, 10]]);
  });

  it('offers the KPI ids in an alert\'s kpis list and the columns in its `by`, and flags a KPI that does not exist', async () => {
    const head = '# yaml-language-server: $schema=../.kpiops/schemas/alert.schema.json\nversion: kpiops/v1\nid: draft\ntitle: Draft\ngrain: month\nwhen: {below: 0.2}\n';
    const audience = 'audience:\n  - {name: Anna Berg, email: anna.berg@example.com}\n';
    const uri = server.open(join(root, 'alerts/draft.yaml'), `${head}kpis:\n  - \nby: []\n${audience}`);
    // Line 8 (0-based 7) is `  - `; line 9 (0-based 8) is `by: []`, the list's inside at character 5.
    expect(labels(await server.completion(uri, { line: 7, character: 4 }))).toEqual(expect.arrayContaining(['reach', 'email_open_rate']));
    expect(labels(await server.completion(uri, { line: 8, character: 5 }))).toEqual(expect.arrayContaining(['brand', 'country', 'territory']));
    const typo = server.open(join(root, 'alerts/typo.yaml'), `${head}kpis: [email_open_rat]\n${audience}`);
    // Line 7 (0-based 6) is `kpis: [email_open_rat]`: the id starts after `kpis: [`, 7 characters.
    expect((await server.diagnostics(typo)).map((d) => [d.range.start.line, d.range.start.character])).toEqual([[6, 7]]);
  });

  it('shows a channel\'s name and description first when hovering over its id', async () => {
    const uri = server.open(join(root, 'kpis/email/email_open_rate.yaml'), text('kpis/email/email_open_rate.yaml'));
    // Line 19 is `    where: {channel: email, event: opened, bot: {ne: true}}`; "email" starts at character 21.
    const hover = await server.hover(uri, { line: 18, character: 23 });
    expect(hover).toContain('Allowed Values:\n\n* `email`: **Email** — Approved marketing or rep-triggered emails.');
  });

  it('flags an event a channel\'s stage map names that the interactions table does not list', async () => {
    const channel = text('channels/email.yaml').replace('  clicked: consideration', '  clikced: consideration');
    const found = await server.diagnostics(server.open(join(root, 'channels/draft.yaml'), channel));
    expect(found.map((d) => d.range.start.line)).toEqual([channel.split('\n').findIndex((l) => l.startsWith('  clikced'))]);
  });

  it('checks a file without a modeline against the generated schema its folder is mapped to in the editor settings', async () => {
    const body = draftKpi('  kind: reach\n  source: interactions\n  where: {channel: emial}\n').split('\n').slice(1).join('\n');
    const found = await server.diagnostics(server.open(join(root, 'kpis/reach/no_modeline.yaml'), body));
    // Line 12 (0-based 11) is `  where: {channel: emial}`: 2 + 8 + 9 = 19.
    expect(found.map((d) => [d.range.start.line, d.range.start.character, d.message.slice(0, 21)])).toEqual([[11, 19, 'Value is not accepted']]);
  });

  it('offers the source names for a column\'s references in kpiops.yaml, without flagging a source typed since the schemas were written', async () => {
    const project = text('kpiops.yaml').replace('      hcp_id: {type: string, references: hcps}', '      hcp_id: {type: string, references: }');
    const line = project.split('\n').findIndex((l) => l === '      hcp_id: {type: string, references: }');
    const uri = server.open(join(root, 'draft/kpiops.yaml'), project.replace('$schema=.kpiops/', '$schema=../.kpiops/'));
    expect(labels(await server.completion(uri, { line, character: '      hcp_id: {type: string, references: '.length }))).toEqual(expect.arrayContaining(['hcps', 'content', 'interactions']));
    const added = text('kpiops.yaml').replace('references: content}', 'references: campaigns}');
    expect(added).not.toBe(text('kpiops.yaml'));
    expect(await server.diagnostics(server.open(join(root, 'draft2/kpiops.yaml'), added.replace('$schema=.kpiops/', '$schema=../.kpiops/')))).toEqual([]);
  });
});
