import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './demo-project.js';

/** Runs the built CLI as a user would, outside GitHub Actions and without colour. */
export function kpiops(args: string[], extraEnv: Record<string, string | undefined> = {}) {
  const { GITHUB_ACTIONS: _, ...env } = process.env;
  // Results JSON on stdout outgrows spawnSync's 1 MB default (the demo's quarter is ~1.5 MB): a cut-off run would read as exit null.
  const result = spawnSync(process.execPath, [join(REPO, 'dist/cli/main.js'), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...env, NO_COLOR: '1', ...extraEnv } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
