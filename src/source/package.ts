import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { realDirectory } from './inside.js';

/** The running kpiops package: this repository, or a team's `node_modules/kpiops`. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The `schemas/` folder shipped in a kpiops package, when it has one. */
const schemasIn = (pkg: string) => (existsSync(join(pkg, 'schemas')) ? join(pkg, 'schemas') : undefined);

/**
 * The kpiops the project installs, found as Node looks a package up: `node_modules/kpiops`
 * in the project folder, then in each folder above it (a workspace hoists it to the top).
 * The path goes through `node_modules/kpiops` as written, not where a link leads, so it
 * stays the same when the package is upgraded.
 */
function installedIn(root: string): string | undefined {
  for (let dir = root; ; dir = dirname(dir)) {
    const pkg = join(dir, 'node_modules', 'kpiops');
    if (existsSync(join(pkg, 'package.json'))) return pkg;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The JSON Schemas folder an editor should load for the project at `root`, as a path
 * relative to the project with `/` separators: the kpiops the project installs
 * (`node_modules/kpiops/schemas` in a team's repository), else the running package's own
 * (`schemas` in the kpiops repository itself, which is its own example project).
 */
export function schemasFor(root: string): string {
  const real = realDirectory(root);
  const installed = installedIn(real);
  const dir = (installed && schemasIn(installed)) ?? join(PACKAGE_ROOT, 'schemas');
  return relative(real, dir).split(sep).join('/') || '.';
}

let code: string | undefined;

/**
 * What the running kpiops's code is, as a digest: its version and every file of its code
 * (`dist/`, or `src/` when run from source). Cached query rows are keyed by it, so an
 * upgrade, or any edit to kpiops itself, never reuses rows an older code computed.
 */
export function codeVersion(): string {
  if (code) return code;
  const root = fileURLToPath(new URL('..', import.meta.url));
  const hash = createHash('sha256').update(readFileSync(join(PACKAGE_ROOT, 'package.json')));
  const files = (readdirSync(root, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((e) => e.isFile() && !e.name.endsWith('.map'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  for (const file of files) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  code = hash.digest('hex');
  return code;
}
