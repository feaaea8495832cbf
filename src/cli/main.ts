import { Command, CommanderError, Option } from 'commander';
import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import type { CliIo } from './io.js';
import type { CodeownersOptions } from './codeowners.js';
import type { DiffOptions } from './diff.js';
import type { PublishOptions } from './publish-review.js';
import type { EvalOptions } from './eval.js';
import type { InitOptions } from './init.js';
import type { PlanOptions } from './plan.js';
import type { RunOptions } from './run.js';
import type { SampleCommandOptions } from './sample.js';
import type { SchemasOptions } from './schemas.js';
import type { SealOptions } from './seal.js';
import { validateCommand, type ValidateOptions } from './validate.js';
import { terminalText } from '../text/terminal.js';
import { dateOrTimestamp, memorySize, month, seconds, UsageError, wholeNumber } from './options.js';
import { SMTP_VARIABLES } from '../deliver/smtp-settings.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** Exit codes: 0 clean, 1 findings, 2 usage or internal error. */
/** What `--no-cache` says, on every command that evaluates a snapshot. */
const NO_CACHE = 'do not reuse (or keep) rows of queries already run on the same data and code (kept in $KPIOPS_CACHE_DIR, else ~/.cache/kpiops)';

export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** The exit code the command that ran decided, read by `run` once parsing is done. */
export interface Status {
  code: number;
}

/**
 * The kpiops command line, writing to `io`'s streams; each command's action records its exit
 * code in `status`. Path arguments are read relative to `io.cwd`.
 */
export function program(io: CliIo, status: Status = { code: EXIT.ok }): Command {
  // Commands open paths against the process's own directory. A path given relative to another
  // directory (io.cwd) is made absolute; in the process's directory it is kept as typed, since
  // messages quote it.
  const at = (path: string) => (isAbsolute(path) || resolve(io.cwd) === resolve('.') ? path : resolve(io.cwd, path));
  const paths = <T extends object>(options: T): T => {
    const o = { ...options } as Record<string, unknown>;
    for (const key of ['project', 'snapshot', 'out', 'outDir', 'dir', 'ledger']) if (typeof o[key] === 'string') o[key] = at(o[key] as string);
    return o as T;
  };
  const out = io.out as NodeJS.WriteStream;
  const err = io.err as NodeJS.WriteStream;
  const streams = { out, err, env: io.env, cwd: io.cwd };
  // Rows of queries are reused unless `--no-cache` says not to, or KPIOPS_NO_CACHE does for every command.
  const cacheWanted = (options: { cache?: boolean }) => options.cache !== false && !io.env.KPIOPS_NO_CACHE;
  const cli = new Command('kpiops')
    .description('KPI-as-code for pharma omnichannel teams')
    .version(version)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out.write(s),
      writeErr: (s) => io.err.write(s),
      getOutHelpWidth: () => (io.out.isTTY && io.out.columns) || 80,
      getErrHelpWidth: () => (io.err.isTTY && io.err.columns) || 80,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    });
  cli
    .command('validate')
    .description('check the project: YAML syntax, schemas and cross-file rules')
    .option('-p, --project <dir>', 'project directory', '.')
    .addOption(new Option('-f, --format <format>', 'output format (default: github in GitHub Actions, else stylish)').choices(['stylish', 'json', 'github']))
    .option('-s, --snapshot <dir>', 'also load this data snapshot and run every load check on it')
    .option('-q, --quiet', 'no progress display')
    .action(async (options: ValidateOptions) => {
      status.code = await validateCommand(paths(options), io.env, out, err);
    });
  cli
    .command('init')
    .argument('[dir]', 'the folder of the team\'s KPI repository', '.')
    .description('scaffold a team\'s KPI repository: kpiops.yaml, channels, a starter catalog of reference KPIs, a scorecard, workflows, CODEOWNERS and editor settings; never replaces a file without --force')
    .option('--kpis <ids>', 'reference KPIs to start with, comma-separated (each brings the KPIs it is computed from)')
    .option('--catalog <name>', 'a named set of reference KPIs: omnichannel-core (default) or all')
    .option('--name <name>', 'the team\'s name (default: the folder\'s name)')
    .option('--owner <owner>', 'the GitHub user or team that owns the definitions, e.g. @acme/brand-team')
    .option('--action-repo <owner/repo>', 'the GitHub repository of the kpiops Action the workflows call')
    .option('--action-ref <ref>', 'the Action\'s tag, branch or commit (default: v and this kpiops version)')
    .option('--force', 'replace existing files (each one is listed)')
    .option('--dry-run', 'list what would be written; write nothing')
    .action(async (dir: string, options: InitOptions) => {
      const { initCommand } = await import('./init.js');
      status.code = await initCommand(at(dir), options, { out, err });
    });
  cli
    .command('sample')
    .description('write a realistic, deterministic demo snapshot (same options, same bytes)')
    .requiredOption('-o, --out <dir>', 'directory to write the snapshot to')
    .option('-p, --project <dir>', 'the project whose channels the sample follows (interactions on channels it does not declare are left out)', '.')
    .option('--hcps <n>', 'number of HCPs', wholeNumber('hcps', 10, 5_000_000), '5000')
    .option('--months <n>', 'months of history', wholeNumber('months', 3, 60), '12')
    .option('--seed <n>', 'random seed', wholeNumber('seed', 0, 2 ** 31 - 1), '42')
    .option('--end <month>', 'last month of the sample (YYYY-MM)', month('end'), '2026-10')
    .addOption(new Option('--format <format>', 'table file format').choices(['parquet', 'csv']).default('parquet'))
    .option('--if-missing', 'do nothing when the directory already holds a snapshot')
    .option('-q, --quiet', 'no progress display')
    .action(async (options: SampleCommandOptions) => {
      const { sampleCommand } = await import('./sample.js');
      status.code = await sampleCommand(paths(options), out, err, io.cwd);
    });
  cli
    .command('alert')
    .description('judge every alert and data-feed monitor on a snapshot, keep each series\' state, and list what is firing, pending, resolved, without data or failing')
    .option('-p, --project <dir>', 'project directory', '.')
    .requiredOption('-s, --snapshot <dir>', 'data snapshot directory')
    .option('--as-of <instant>', 'the instant judged: periods over by then, feeds due by then, and the clock for pending and re-notify (default: the snapshot\'s as-of)', dateOrTimestamp)
    .option('--state <file>', 'the alert state file, read and written back (default: alert-state.json in --out)')
    .option('-o, --out <dir>', 'where the alert emails are written', 'out/alerts')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--memory-limit <size>', 'DuckDB working memory, e.g. 3GB', memorySize, '3GB')
    .option('--send', 'send the emails by SMTP (the KPIOPS_SMTP_* settings of run --send), each once per alert, episode, recipient and transition')
    .option('--dry-run', 'decide what would be sent and report it; send nothing')
    .option('--from <address>', 'sender address (default: $KPIOPS_SMTP_FROM, else $KPIOPS_FROM)')
    .option('--ledger <file>', 'the delivery ledger, shared with the scorecards (default: ledger.jsonl next to --out)')
    .option('--ledger-wait <seconds>', 'how long to wait while another run sends with the same ledger', seconds('ledger-wait'), '600')
    .option('-q, --quiet', 'no progress display')
    .action(async (options: import('./alert.js').AlertOptions) => {
      const o = paths(options);
      status.code = await (await import('./alert.js')).alertCommand({ ...o, ...(o.state ? { state: at(o.state) } : {}) }, streams);
    });
  cli
    .command('plan')
    .description('print the compiled plan: the queries (SQL and bound parameters) and which KPIs each one feeds')
    .option('-p, --project <dir>', 'project directory', '.')
    .option('--period <period>', 'period: 2026-10, 2026-W43 or 2026-Q3 (default: the last complete month)')
    .option('--as-of <date>', 'the data\'s as-of date, to plan lagging sources and provisional funnels as eval would', dateOrTimestamp)
    .addOption(new Option('--dialect <dialect>', 'the SQL dialect to write: duckdb and postgres run here; snowflake and bigquery is SQL for a warehouse').choices(['duckdb', 'postgres', 'snowflake', 'bigquery']).default('duckdb'))
    .option('--json', 'print the plan as JSON')
    .action(async (options: PlanOptions) => {
      const { planCommand } = await import('./plan.js');
      status.code = await planCommand(paths(options), out, err);
    });
  cli
    .command('eval')
    .description('evaluate every KPI on a data snapshot and write results/v1 JSON')
    .option('-p, --project <dir>', 'project directory', '.')
    .option('-s, --snapshot <dir>', 'data snapshot directory (kpiops sample makes one); with --engine postgres, the snapshot load-postgres copied (for its as-of date and checksum)')
    .addOption(new Option('--engine <engine>', 'where the KPIs run: the embedded DuckDB on the snapshot, or PostgreSQL (connection URL in $DATABASE_URL, tables as kpiops.yaml warehouse: maps them)').choices(['duckdb', 'postgres']).default('duckdb'))
    .option('--period <period>', 'period: 2026-10, 2026-W43 or 2026-Q3 (default: the last month the snapshot covers)')
    .option('--as-of <date>', 'with --engine postgres: the data\'s as-of date (default: what load-postgres recorded, else now)')
    .option('--schema <name>', 'with --engine postgres: the schema holding the tables (default: warehouse.schema in kpiops.yaml, else public)')
    .option('-o, --out <file>', 'write the results here instead of standard output')
    .option('--memory-limit <size>', 'DuckDB working memory, e.g. 3GB; larger groupings spill to temporary files', memorySize, '3GB')
    .option('--no-cache', NO_CACHE)
    .option('-q, --quiet', 'no progress display')
    .action(async (options: EvalOptions & { engine: string; asOf?: string; schema?: string }) => {
      options = paths(options);
      if (options.engine === 'postgres') {
        const { evalPostgres } = await import('./warehouse.js');
        status.code = await evalPostgres(options, streams);
        return;
      }
      if (!options.snapshot) throw new UsageError('eval needs --snapshot DIR (or --engine postgres to run on a warehouse)');
      const { evalCommand } = await import('./eval.js');
      status.code = await evalCommand({ ...options, snapshot: options.snapshot, cache: cacheWanted(options) }, streams);
    });
  cli
    .command('explain')
    .argument('<kpi>', 'the KPI to explain')
    .description('why a KPI moved: its change split exactly by the parts of its formula and by each dimension\'s slices (rate, mix, interaction)')
    .option('-p, --project <dir>', 'project directory', '.')
    .option('-s, --snapshot <dir>', 'data snapshot directory; with --engine postgres, the snapshot load-postgres copied (for its as-of date)')
    .option('--scorecard <id>', 'explain the KPI as this scorecard reads it: the period of its grain kpiops run would send, split by its explain.by dimensions (the KPI must be on it)')
    .addOption(new Option('--engine <engine>', 'where the KPI runs: the embedded DuckDB on the snapshot, or PostgreSQL (connection URL in $DATABASE_URL), as for eval').choices(['duckdb', 'postgres']).default('duckdb'))
    .option('--period <period>', 'period: 2026-10, 2026-W43 or 2026-Q3 (default: the last month the data covers, or with --scorecard the scorecard\'s last period)')
    .addOption(new Option('--vs <period>', 'compare with the period before or the same period a year earlier').choices(['previous', 'last_year']).default('previous'))
    .option('--by <dims>', 'dimensions to split by, comma-separated (default: every dimension the KPI declares, or the scorecard\'s explain.by)')
    .option('--as-of <date>', 'with --engine postgres: the data\'s as-of date (default: what load-postgres recorded, else now)')
    .option('--schema <name>', 'with --engine postgres: the schema holding the tables (default: warehouse.schema in kpiops.yaml, else public)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-q, --quiet', 'no progress display')
    .action(async (kpi: string, options: import('./explain.js').ExplainOptions) => {
      status.code = await (await import('./explain.js')).explainCommand(kpi, paths(options), streams);
    });
  cli
    .command('load-postgres')
    .description('check a snapshot and copy its tables into PostgreSQL (connection URL in $DATABASE_URL), to try warehouse mode')
    .option('-p, --project <dir>', 'project directory', '.')
    .requiredOption('-s, --snapshot <dir>', 'data snapshot directory')
    .option('--schema <name>', 'the schema to create the tables in (default: warehouse.schema in kpiops.yaml, else public)')
    .option('--memory-limit <size>', 'DuckDB working memory while checking, e.g. 3GB', memorySize, '3GB')
    .option('-q, --quiet', 'no progress display')
    .action(async (options: { project: string; snapshot: string; schema?: string; memoryLimit?: string; quiet?: boolean }) => {
      const { loadPostgresCommand } = await import('./warehouse.js');
      status.code = await loadPostgresCommand(paths(options), streams);
    });
  cli
    .command('diff')
    .description('what a change does: KPIs, scorecards and channels compared field by field between two revisions, and with a snapshot the values, status flips and recipients it changes')
    .option('-p, --project <dir>', 'project directory (in a git repository)', '.')
    .requiredOption('--base <ref>', 'the revision to compare with, e.g. origin/main')
    .option('--head <ref>', 'the revision to review (default: the work tree)')
    .option('-s, --snapshot <dir>', 'evaluate both revisions on this snapshot')
    .option('--period <period>', 'period for the scorecards of its grain (default: each scorecard\'s last period the snapshot covers, as kpiops run picks it)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['md', 'json']).default('md'))
    .option('--github', 'post the review to the pull request: sticky comment, check run with annotations, job summary')
    .option('--out-dir <dir>', 'also write review.md and review.json (the artifact kpiops publish-review reads)')
    .option('--no-cache', NO_CACHE)
    .option('-q, --quiet', 'no progress display')
    .action(async (options: DiffOptions) => {
      const { diffCommand } = await import('./diff.js');
      status.code = await diffCommand({ ...paths(options), cache: cacheWanted(options) }, streams);
    });
  cli
    .command('publish-review')
    .description('post a pull request\'s review from a privileged job: the artifact its review job left is read as data, the check\'s result is decided here')
    .requiredOption('--dir <dir>', 'the review artifact: the folder kpiops diff --out-dir wrote, with pull-request.json')
    .option('--pr <number>', 'the pull request, when the workflow\'s event names it (default: the artifact\'s, checked against GitHub)')
    .option('-p, --project <dir>', 'the base branch\'s checkout, with the pull request\'s head commit fetched', '.')
    .action(async (options: PublishOptions) => {
      const { publishCommand } = await import('./publish-review.js');
      status.code = await publishCommand(paths(options), { err, env: io.env });
    });
  cli
    .command('schemas')
    .description('write the project\'s editor schemas to .kpiops/schemas: its channel, KPI, stage, event, source and column ids, for completion and as-you-type checks')
    .option('-p, --project <dir>', 'project directory', '.')
    .option('--check', 'only check that .kpiops/schemas is current (exit 1 when not)')
    .action(async (options: SchemasOptions) => {
      const { schemasCommand } = await import('./schemas.js');
      status.code = await schemasCommand(paths(options), streams);
    });
  cli
    .command('codeowners')
    .description('write the owners of KPIs, channels and scorecards into .github/CODEOWNERS, so their approval is required on changes')
    .option('-p, --project <dir>', 'project directory', '.')
    .option('--check', 'only check that .github/CODEOWNERS is current (exit 1 when not)')
    .action(async (options: CodeownersOptions) => {
      const { codeownersCommand } = await import('./codeowners.js');
      status.code = await codeownersCommand(paths(options), streams);
    });
  cli
    .command('schedule')
    .description('print the scorecard a cron line sends (--cron), or check that the workflow lists every scorecard\'s cron (--check)')
    .option('-p, --project <dir>', 'project directory', '.')
    .option('--cron <cron>', 'a cron line, as the workflow\'s github.event.schedule gives it')
    .option('--check [workflow]', 'the workflow to check (default: .github/workflows/scorecards.yml)')
    .action(async (options: import('./schedule.js').ScheduleOptions) => {
      const { scheduleCommand } = await import('./schedule.js');
      status.code = await scheduleCommand(paths(options), streams);
    });
  cli
    .command('snapshot')
    .description('work with data snapshots')
    .command('seal')
    .description('write snapshot.yaml from the table files in DIR (format, delimiter, rows, SHA-256, coverage_start, coverage_end), or with --check verify it')
    .argument('<dir>', 'the snapshot directory')
    .option('-p, --project <dir>', 'project directory', '.')
    .option('--as-of <time>', 'when the data was taken, UTC (default: the manifest\'s, else now); never before its latest row')
    .option('--id <id>', 'snapshot id (default: the manifest\'s, else <folder name>-<as_of day>)')
    .option('--keep-coverage', 'keep each table\'s coverage_start and coverage_end from the manifest instead of reading them from the data')
    .option('--check', 'only verify the manifest against the files; name every difference (exit 1 when any)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-q, --quiet', 'no progress display')
    .action(async (dir: string, options: SealOptions) => {
      const { sealCommand } = await import('./seal.js');
      status.code = await sealCommand(at(dir), paths(options), streams);
    });
  const targets = cli.command('targets').description('targets from the KPIs\' own history');
  targets
    .command('suggest')
    .description('suggest each KPI\'s target from a percentile of its own history, as the target: block to paste into its file')
    .option('-p, --project <dir>', 'project directory', '.')
    .option('-s, --snapshot <dir>', 'data snapshot directory (the history)')
    .option('--kpi <ids>', 'only these KPIs, comma-separated (default: all)')
    .option('--percentile <n>', 'the percentile of the past values, 1–99 (mirrored for lower-is-better KPIs)', '60')
    .option('--periods <n>', 'how many periods before the reported one to read', '12')
    .option('--period <period>', 'the period the targets are for: 2026-10, 2026-W43 (target.grains.week) or 2026-Q3 (default: the last month the snapshot covers)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .option('-q, --quiet', 'no progress display')
    .action(async (options: import('./targets.js').TargetsOptions) => {
      status.code = await (await import('./targets.js')).targetsSuggestCommand(paths(options), streams);
    });
  cli
    .command('run')
    .description('render every recipient\'s scorecard into an outbox (.eml, .html, .txt, .md) and print a summary')
    .option('-p, --project <dir>', 'project directory', '.')
    .option('-s, --snapshot <dir>', 'data snapshot directory; with --engine postgres, the snapshot load-postgres copied (for its as-of date and checksum)')
    .addOption(new Option('--engine <engine>', 'where the KPIs and briefs run: the embedded DuckDB on the snapshot, or PostgreSQL (connection URL in $DATABASE_URL, tables as kpiops.yaml warehouse: maps them)').choices(['duckdb', 'postgres']).default('duckdb'))
    .option('--schema <name>', 'with --engine postgres: the schema holding the tables (default: warehouse.schema in kpiops.yaml, else public)')
    .option('--as-of <date>', 'with --engine postgres: the data\'s as-of date (default: what load-postgres recorded, else now)')
    .option('--scorecard <id>', 'only this scorecard')
    .option('--period <period>', 'period: 2026-10, 2026-W43 or 2026-Q3 (default: each scorecard\'s last complete period)')
    .option('-o, --out <dir>', 'outbox directory', 'out/outbox')
    .option('--from <address>', 'sender address (default: $KPIOPS_SMTP_FROM, else $KPIOPS_FROM)')
    .option('--memory-limit <size>', 'DuckDB working memory, e.g. 3GB', memorySize, '3GB')
    .option('--no-cache', NO_CACHE)
    .option('--send', 'send the scorecards by SMTP (settings below), each once per scorecard, period and recipient')
    .option('--dry-run', 'decide what would be sent and report it; send nothing')
    .option('--only <email>', 'send only to this recipient')
    .option('--resend-changed', 'send again a scorecard that changed since it was sent for the same period')
    .option('--ledger <file>', 'the delivery ledger (default: ledger.jsonl next to the outbox)')
    .option('--ledger-wait <seconds>', 'how long to wait while another run sends with the same ledger (its lock file is <ledger>.lock)', seconds('ledger-wait'), '600')
    .option('--print-period', 'print the period each scorecard would be run for ("id period" lines, from snapshot.yaml alone) and stop')
    .option('-q, --quiet', 'no progress display')
    .addHelpText('after', `\nSMTP settings for --send (environment variables):\n${SMTP_VARIABLES.map(([name, meaning]) => `  ${name.padEnd(30)} ${meaning}`).join('\n')}\n`)
    .action(async (options: RunOptions) => {
      const { runCommand } = await import('./run.js');
      status.code = await runCommand({ ...paths(options), cache: cacheWanted(options) }, streams);
    });
  return cli;
}

/**
 * Runs kpiops with `argv` (without the node and script paths) on `io`; resolves to the exit
 * code. Never throws: an unexpected error is reported on `io.err` as an internal error (exit 2).
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const status: Status = { code: EXIT.ok };
  try {
    await program(io, status).parseAsync(argv, { from: 'user' });
    return status.code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    // A value the command line cannot take, said like every other usage error; the value is the user's, shown, never acted on.
    if (error instanceof UsageError) return io.err.write(`kpiops: ${terminalText(error.message)}\n`), EXIT.usage;
    io.err.write(`kpiops: internal error: ${terminalText(error instanceof Error ? error.message : String(error))}\n`);
    return EXIT.usage;
  }
}
