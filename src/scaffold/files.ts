import { codeownerLines, withBlock } from './codeowners.js';
import { markdownText } from '../text/markdown.js';
import { EDITOR_SCHEMA_DIR } from '../editor/project-schemas.js';
import { expectedModeline } from '../validate/modeline.js';
import type { Kind } from '../spec/kinds.js';
import type { ReferenceCatalog, ReferenceKpi } from './catalog.js';

export interface ScaffoldOptions {
  name: string;
  owner: string;
  /** `OWNER/REPO` of the kpiops GitHub Action and reusable workflows. */
  actionRepo: string;
  actionRef: string;
}

export interface ScaffoldFile {
  path: string;
  text: string;
  /**
   * For a file a team may already have (CODEOWNERS, .gitignore, editor settings): what init's
   * part merged into the team's text looks like, or undefined when it cannot be merged (then
   * the file is replaced only with --force).
   */
  merge?: (current: string) => string | undefined;
}

/** The id of the starter scorecard. */
export const STARTER_SCORECARD = 'team_monthly';

const MODELINE = /^#\s*yaml-language-server:.*\n/;
const OWNER_LINE = /^owner: .*$/m;

/**
 * A reference file as the team's own: the modeline pointing at the project's editor schemas
 * (which `kpiops init` writes next to it), and the team as its owner.
 */
function adopt(path: string, kind: Kind, text: string, owner: string): string {
  const body = text.replace(MODELINE, '').replace(OWNER_LINE, `owner: ${JSON.stringify(owner)}`);
  return `${expectedModeline(path, kind, EDITOR_SCHEMA_DIR)}\n${body}`;
}

function projectFile(reference: string, options: ScaffoldOptions): string {
  const body = reference.replace(MODELINE, '').replace(/^name: .*$/m, `name: ${JSON.stringify(options.name)}`);
  return `${expectedModeline('kpiops.yaml', 'project', EDITOR_SCHEMA_DIR)}\n${body}`;
}

/** Stages in the project's journey order, those the KPIs cover. */
function stagesOf(kpis: readonly ReferenceKpi[], journey: readonly string[]): string[] {
  const covered = new Set(kpis.flatMap((k) => k.spec.stages));
  return journey.filter((s) => covered.has(s));
}

/** The example recipients of a card with one page per brand, or of one card for all when no KPI has brands. */
const BRAND_AUDIENCE = `slice: [brand]
audience:
  - name: Cardiora brand lead
    email: cardiora.lead@example.com
    filter: {brand: cardiora}
  - name: Neurexa brand lead
    email: neurexa.lead@example.com
    filter: {brand: neurexa}
  - name: Pulmivo brand lead
    email: pulmivo.lead@example.com
    filter: {brand: pulmivo}`;
const ONE_AUDIENCE = `audience:
  - name: Commercial excellence lead
    email: commercial.excellence@example.com`;

/**
 * The starter card: one page per brand, with the chosen KPIs a brand slices (a KPI without
 * brands, such as the suggestion KPIs, stays in the catalog but off this card); when none
 * has brands, one card of them all.
 */
function scorecardFile(chosen: readonly ReferenceKpi[], journey: readonly string[], options: ScaffoldOptions): string {
  const branded = chosen.filter((k) => (k.spec.dimensions ?? []).includes('brand'));
  const kpis = branded.length > 0 ? branded : chosen;
  return `${expectedModeline('scorecards/x.yaml', 'scorecard', EDITOR_SCHEMA_DIR)}
version: kpiops/v1
id: ${STARTER_SCORECARD}
title: ${JSON.stringify(`${options.name}: monthly scorecard`)}
description: >-
  Each journey stage this month, against target and last year${branded.length > 0 ? ', one page per brand' : ''}.
  Replace the example recipients with the ${branded.length > 0 ? 'brand leads' : 'people'} who should receive it.
owner: ${JSON.stringify(options.owner)}
grain: month
# The 4th of each month at 05:17 UTC (never on the hour, when schedulers are busiest).
schedule:
  cron: "17 5 4 * *"
kpis:
${kpis.map((k) => `  - ${k.spec.id}`).join('\n')}
stages: [${stagesOf(kpis, journey).join(', ')}]
group_by: [stage, indicator]
comparisons: [previous_period, last_year, target]
${branded.length > 0 ? BRAND_AUDIENCE : ONE_AUDIENCE}
send:
  when: always
  skip_when_empty: true
`;
}

/**
 * A team workflow from the examples the package ships (the ones the reusable workflows are
 * tested against), with the Action's repository and ref filled in and the starter scorecard
 * in place of the example's.
 */
function teamWorkflow(example: string, o: ScaffoldOptions): string {
  return example
    .replaceAll('OWNER/kpiops', o.actionRepo)
    .replace(/(uses: [^@\s]+)@v\d+\.\d+\.\d+/g, `$1@${o.actionRef}`)
    // The reusable workflow checks the action out from the same repository and ref as its `uses:`.
    .replace(/(action-ref: )v\d+\.\d+\.\d+/g, `$1${o.actionRef}`)
    .replaceAll('brand_monthly', STARTER_SCORECARD);
}

const GITIGNORE = `node_modules/
# Data snapshots and what is rendered from them stay out of git (they may hold HCP data).
snapshots/*/
out/
outbox/
results.json
`;

/** The lines of init's .gitignore the team's lacks, added at its end. */
function mergeGitignore(current: string): string {
  const have = new Set(current.split(/\r?\n/).map((l) => l.trim()));
  const missing = GITIGNORE.split('\n').filter((l) => l && !l.startsWith('#') && !have.has(l));
  if (missing.length === 0) return current;
  return `${current}${current && !current.endsWith('\n') ? '\n' : ''}# kpiops\n${missing.join('\n')}\n`;
}

const YAML_SCHEMAS = {
  [`${EDITOR_SCHEMA_DIR}/project.schema.json`]: 'kpiops.yaml',
  [`${EDITOR_SCHEMA_DIR}/channel.schema.json`]: 'channels/**/*.yaml',
  [`${EDITOR_SCHEMA_DIR}/kpi.schema.json`]: 'kpis/**/*.yaml',
  [`${EDITOR_SCHEMA_DIR}/scorecard.schema.json`]: 'scorecards/**/*.yaml',
  [`${EDITOR_SCHEMA_DIR}/alert.schema.json`]: 'alerts/**/*.yaml',
};
const vscodeSettings = () => `${JSON.stringify({ 'yaml.schemas': YAML_SCHEMAS }, null, 2)}\n`;

/** The team's VS Code settings with the schema mappings it lacks; undefined when they are not plain JSON (comments). */
function mergeSettings(current: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(current);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const settings = json as Record<string, unknown>;
  const theirs = settings['yaml.schemas'];
  if (theirs !== undefined && (typeof theirs !== 'object' || theirs === null || Array.isArray(theirs))) return undefined;
  const merged = { ...YAML_SCHEMAS, ...(theirs as Record<string, unknown> | undefined) };
  if (theirs && Object.keys(YAML_SCHEMAS).every((k) => k in (theirs as object))) return current;
  return `${JSON.stringify({ ...settings, 'yaml.schemas': merged }, null, 2)}\n`;
}

function readme(kpis: readonly ReferenceKpi[], o: ScaffoldOptions): string {
  return `# ${markdownText(o.name)}: KPIs

Our KPI definitions, reviewed in pull requests and sent as scorecards with
[kpiops](https://www.npmjs.com/package/kpiops). Started with \`kpiops init\` from the kpiops
reference catalog: ${kpis.map((k) => `\`${k.spec.id}\``).join(', ')}.

| folder | what it holds |
|---|---|
| \`kpiops.yaml\` | the data sources (tables and columns) and the journey stages |
| \`channels/\` | one file per channel our data has |
| \`kpis/\` | one file per KPI: its measure, target and owner |
| \`scorecards/\` | who receives which KPIs, when |
| \`.kpiops/schemas/\` | the editor schemas, made by \`npx kpiops schemas\` (commit them) |

## Commands

\`\`\`sh
npm install                                     # kpiops, as pinned in package.json
npx kpiops validate                             # every definition against the schemas and the sources
npx kpiops sample --out snapshots/sample        # demo data with our sources and channels
npx kpiops run --snapshot snapshots/sample      # evaluates the KPIs and renders the scorecards into out/outbox
\`\`\`

After adding or renaming a KPI, channel or column: \`npx kpiops schemas\` (editor completion)
and \`npx kpiops codeowners\` (owners' approval on pull requests), then commit.

Pull requests run \`.github/workflows/kpi-review.yml\`; scorecards are sent by
\`.github/workflows/scorecards.yml\` (SMTP settings in the repository's secrets). A scorecard
is sent at its \`schedule.cron\`: when you add one or change its schedule, put the same cron
line under \`on.schedule\` in that workflow (\`npx kpiops schedule --check\` says what is
missing). \`.github/workflows/alerts.yml\` judges the alerts (\`alerts/\`) and the data feeds
once a day and emails what is owed (\`docs/alerts.md\`). The kpiops docs are in
\`node_modules/kpiops/docs/\`.
`;
}

/**
 * Every file of a starter project except the editor schemas and package.json (which depend
 * on what is on disk): deterministic text for the same catalog and options.
 */
export function scaffoldFiles(catalog: ReferenceCatalog, kpis: readonly ReferenceKpi[], journey: readonly string[], options: ScaffoldOptions): ScaffoldFile[] {
  const files: ScaffoldFile[] = [
    { path: 'kpiops.yaml', text: projectFile(catalog.project.text, options) },
    ...catalog.channels.map((c) => ({ path: c.path, text: adopt(c.path, 'channel', c.text, options.owner) })),
    ...kpis.map((k) => ({ path: k.path, text: adopt(k.path, 'kpi', k.text, options.owner) })),
    { path: `scorecards/${STARTER_SCORECARD}.yaml`, text: scorecardFile(kpis, journey, options) },
    ...catalog.workflows.map((w) => ({ path: `.github/workflows/${w.path.split('/').at(-1)!}`, text: teamWorkflow(w.text, options) })),
    { path: '.gitignore', text: GITIGNORE, merge: mergeGitignore },
    { path: '.vscode/settings.json', text: vscodeSettings(), merge: mergeSettings },
    { path: 'README.md', text: readme(kpis, options) },
  ];
  // Every definition file is the team's: the block `kpiops codeowners --check` expects.
  const owned = files.filter((f) => /^(kpis|channels|scorecards)\//.test(f.path)).map((f) => ({ path: f.path, owner: options.owner }));
  const lines = codeownerLines(owned);
  // A team's own CODEOWNERS rules stay; kpiops' block goes after them (later lines win).
  files.push({ path: '.github/CODEOWNERS', text: withBlock('', lines), merge: (current) => withBlock(current, lines) });
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
