// Run by `npm run build`, after tsc: bundles the compiled CLI into dist/bin/, which is what
// the package's `kpiops` command runs. Loaded as ~110 separate modules, the CLI spent about
// 30 ms of every start resolving and reading them one by one; `validate` now starts with 13
// bundle files. npm packages stay outside it (installed with kpiops, loaded from node_modules), and
// each command loaded on demand stays its own file, so `validate` still never loads DuckDB.
// dist/bin sits as deep as every other dist folder: paths taken from `import.meta.url`
// (`../../schemas`, `../validate/validators.cjs`) lead to the same files from either.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('..', import.meta.url));
const out = `${dist}bin`;
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: { kpiops: `${dist}cli/bin.js` },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
chmodSync(`${out}/kpiops.js`, 0o755);
