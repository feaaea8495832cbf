import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { readReferenceCatalog, selectKpis, NAMED_CATALOGS, DEFAULT_CATALOG } from '../scaffold/catalog.js';
import { scaffoldFiles, type ScaffoldFile } from '../scaffold/files.js';
import { PACKAGE_ROOT } from '../source/package.js';
import type { Kind } from '../spec/kinds.js';
import { terminalText } from '../text/terminal.js';
import { validateSources } from '../validate/project.js';
import { editorSchemaFiles } from './schemas.js';

export interface InitOptions {
  kpis?: string;
  catalog?: string;
  name?: string;
  owner?: string;
  actionRepo?: string;
  actionRef?: string;
  force?: boolean;
  dryRun?: boolean;
}

interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

/** Who owns the definitions until the team says (`--owner`): a placeholder GitHub team, named as one. */
export const PLACEHOLDER_OWNER = '@your-org/kpi-owners';
const OWNER = /^@[A-Za-z0-9](?:[A-Za-z0-9-]*)(?:\/[A-Za-z0-9._-]+)?$/;
const REPO = /^[A-Za-z0-9](?:[A-Za-z0-9-]*)\/[A-Za-z0-9._-]+$/;

interface OwnPackage {
  version: string;
  repository?: string | { url?: string };
  overrides?: Record<string, string>;
}
const own = (): OwnPackage => JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as OwnPackage;

/**
 * The GitHub repository that publishes the kpiops Action and reusable workflows: the one
 * place it is decided, from the package's `repository` field (`owner/repo`, `github:owner/repo`
 * or a github.com URL). Undefined when the package does not say: then init asks for it.
 */
export function actionRepository(pkg: OwnPackage = own()): string | undefined {
  const raw = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  if (!raw) return undefined;
  const m = /^(?:github:|(?:git\+)?https:\/\/github\.com\/|git@github\.com:)?([A-Za-z0-9-]+\/[A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(raw);
  return m?.[1];
}

const kindOf = (path: string): Kind | undefined =>
  path === 'kpiops.yaml' ? 'project' : /^channels\/.*\.ya?ml$/.test(path) ? 'channel' : /^kpis\/.*\.ya?ml$/.test(path) ? 'kpi' : /^scorecards\/.*\.ya?ml$/.test(path) ? 'scorecard' : undefined;

/** The team's package.json with kpiops pinned and the Node 20 overrides, merged into what is there; what was added. */
function packageJson(current: string | undefined, name: string, pkg: OwnPackage): { text: string; added: string[] } | { error: string } {
  let json: Record<string, unknown>;
  if (current === undefined) {
    json = { name: name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-._]+|[-._]+$/g, '') || 'kpis', private: true };
  } else {
    try {
      json = JSON.parse(current) as Record<string, unknown>;
    } catch (error) {
      // Node names the character offset; an editor wants line and column.
      const at = Number(/position (\d+)/.exec((error as Error).message)?.[1] ?? Number.NaN);
      const where = Number.isNaN(at) ? '' : `:${current.slice(0, at).split('\n').length}:${at - current.lastIndexOf('\n', at - 1)}`;
      const reason = (error as Error).message.replace(/ in JSON at position \d+.*$/, '');
      return { error: `package.json${where}: not valid JSON (${terminalText(reason)}); fix it and run kpiops init again (nothing was written)` };
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return { error: 'package.json does not hold a JSON object; fix it and run kpiops init again' };
  }
  const added: string[] = [];
  const section = (key: string) => {
    const value = json[key];
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    json[key] = {};
    return json[key] as Record<string, unknown>;
  };
  const has = (key: string) => {
    const value = json[key];
    return typeof value === 'object' && value !== null && 'kpiops' in value;
  };
  if (!has('dependencies') && !has('devDependencies')) {
    section('devDependencies').kpiops = pkg.version;
    added.push(`devDependencies.kpiops ${pkg.version}`);
  }
  // npm applies overrides only from the project it installs in: kpiops cannot set them for the team.
  for (const [dep, version] of Object.entries(pkg.overrides ?? {})) {
    const overrides = section('overrides');
    if (dep in overrides) continue;
    overrides[dep] = version;
    added.push(`overrides.${dep} ${version}`);
  }
  return { text: `${JSON.stringify(json, null, 2)}\n`, added };
}

/** `kpiops init [DIR]`: scaffolds a team's KPI repository; never replaces a file without --force. */
export async function initCommand(dir: string, options: InitOptions, s: Streams): Promise<number> {
  const fail = (message: string) => {
    s.err.write(`kpiops: ${message}\n`);
    return 2;
  };
  const pkg = own();
  if (options.kpis !== undefined && options.catalog !== undefined) return fail('give --kpis or --catalog, not both');
  const actionRepo = options.actionRepo ?? actionRepository(pkg);
  if (!actionRepo) return fail('init needs --action-repo OWNER/REPO: the GitHub repository of the kpiops Action that the generated workflows call (this kpiops package does not name one in its package.json `repository`)');
  if (!REPO.test(actionRepo)) return fail(`--action-repo must be OWNER/REPO, e.g. acme/kpiops (got "${terminalText(actionRepo)}")`);
  const actionRef = options.actionRef ?? `v${pkg.version}`;
  if (!/^[A-Za-z0-9._/-]+$/.test(actionRef)) return fail(`--action-ref must be a tag, branch or commit (got "${terminalText(actionRef)}")`);
  const owner = options.owner ?? PLACEHOLDER_OWNER;
  if (!OWNER.test(owner)) return fail(`--owner must be a GitHub user or team such as @acme or @acme/brand-team (got "${terminalText(owner)}")`);
  const root = resolve(dir);
  const name = options.name ?? basename(root);
  if (!name.trim() || /[\u0000-\u001f\u007f]/.test(name)) return fail('--name must be a one-line team name');

  const catalog = readReferenceCatalog();
  const kpiIds = options.kpis?.split(',').map((k) => k.trim()).filter(Boolean);
  const selected = selectKpis(catalog, { ...(kpiIds ? { kpis: kpiIds } : {}), ...(options.catalog !== undefined ? { catalog: options.catalog } : {}) });
  if ('error' in selected) return fail(terminalText(selected.error));
  const journey = ((parse(catalog.project.text) as { journey?: { stages?: Array<{ id: string }> } }).journey?.stages ?? []).map((st) => st.id);
  const files: ScaffoldFile[] = scaffoldFiles(catalog, selected.value, journey, { name, owner, actionRepo, actionRef });

  // The starter validates before anything is written; its editor schemas come from that check.
  const inputs = files.flatMap((f) => {
    const kind = kindOf(f.path);
    return kind ? [{ path: f.path, kind, bytes: new TextEncoder().encode(f.text) }] : [];
  });
  const validated = validateSources(inputs, [], [], undefined, '.kpiops/schemas');
  const editor = editorSchemaFiles(validated.files);
  if (hasErrors(validated.diagnostics) || !editor) return fail(`the starter project does not validate (${validated.diagnostics.map((d) => d.code).join(', ')}); this is a kpiops defect`);
  files.push(...editor.files);

  const pkgPath = join(root, 'package.json');
  const currentPkg = existsSync(pkgPath) ? readFileSync(pkgPath, 'utf8') : undefined;
  const merged = packageJson(currentPkg, name, pkg);
  if ('error' in merged) return fail(merged.error);

  const read = (path: string) => (existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : undefined);
  const plan = files.map((f) => {
    const before = read(f.path);
    const merged = before !== undefined && f.merge ? f.merge(before) : undefined;
    return { ...f, before, ...(merged !== undefined ? { text: merged, merged: true } : { merged: false }) };
  });
  const replaced = plan.filter((f) => f.before !== undefined && f.before !== f.text && !f.merged);
  if (replaced.length > 0 && !options.force) {
    s.err.write(`kpiops: init would replace ${replaced.length} existing file${replaced.length === 1 ? '' : 's'}, so nothing was written:\n${replaced.map((f) => `  ${f.path}\n`).join('')}Run again with --force to replace them (--dry-run lists every file first).\n`);
    return 2;
  }
  const toWrite = plan.filter((f) => f.before !== f.text);
  const pkgChanged = merged.text !== currentPkg && merged.added.length > 0;
  const verb = options.dryRun ? 'would ' : '';
  const lines: string[] = [];
  for (const f of plan) {
    const what = f.before === undefined ? 'write' : f.before === f.text ? 'keep (unchanged)' : f.merged ? 'add to' : 'replace';
    const done = { write: 'wrote', replace: 'replaced', 'add to': 'added to', 'keep (unchanged)': 'kept (unchanged)' }[what];
    lines.push(`  ${options.dryRun ? `would ${what}` : done} ${f.path}${f.merged && f.before !== f.text ? " (the team's lines kept)" : ''}`);
  }
  if (pkgChanged) lines.push(`  ${verb}${currentPkg === undefined ? (options.dryRun ? 'write' : 'wrote') : options.dryRun ? 'add to' : 'added to'} package.json: ${merged.added.join(', ')}`);
  else lines.push('  kept package.json (kpiops and the overrides are there)');

  if (!options.dryRun) {
    for (const f of toWrite) {
      mkdirSync(dirname(join(root, f.path)), { recursive: true });
      writeFileSync(join(root, f.path), f.text);
    }
    if (pkgChanged) writeFileSync(pkgPath, merged.text);
  }
  const kpis = selected.value.map((k) => k.spec.id);
  const source = kpiIds ? '--kpis' : `catalog ${options.catalog ?? DEFAULT_CATALOG}`;
  s.out.write(`${options.dryRun ? 'kpiops init --dry-run: nothing written' : '✔ kpiops init'}: ${kpis.length} KPI${kpis.length === 1 ? '' : 's'} (${kpis.join(', ')}) from ${source}, ${catalog.channels.length} channels, 1 scorecard, in ${terminalText(dir)}\n${lines.join('\n')}\n`);
  // A starter of only early signals (or only outcomes) is valid, but validate will say what the scorecard lacks.
  for (const d of validated.diagnostics) s.out.write(`Note: ${d.file}: ${terminalText(d.message)} (${d.code})\n`);
  if (owner === PLACEHOLDER_OWNER) s.out.write(`Owner: ${PLACEHOLDER_OWNER} is a placeholder; run again with --force --owner @your-org/your-team, or edit the owner: lines and run npx kpiops codeowners.\n`);
  if (!options.dryRun) {
    const cd = resolve(dir) === resolve('.') ? '' : `cd ${terminalText(dir)} && `;
    s.out.write(`Next:\n  ${cd}${pkgChanged ? 'npm install && ' : ''}npx kpiops validate\n  npx kpiops sample --out snapshots/sample\n  npx kpiops run --snapshot snapshots/sample\n`);
  }
  return 0;
}

export const CATALOG_NAMES = Object.keys(NAMED_CATALOGS);
