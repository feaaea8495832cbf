import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO } from './demo-project.js';

/** Steps as the workflow and action files spell them. */
export interface Step { name?: string; id?: string; uses?: string; run?: string; if?: string; shell?: string; 'working-directory'?: string; env?: Record<string, string>; with?: Record<string, string | boolean> }
export interface Job { if?: string; needs?: string; uses?: string; permissions?: Record<string, string>; concurrency?: { group: string }; environment?: string; steps: Step[]; outputs?: Record<string, string>; with?: Record<string, unknown>; secrets?: Record<string, string> }
export interface Workflow { on: Record<string, unknown>; jobs: Record<string, Job> }
interface Action { inputs: Record<string, { default?: string }>; runs: { steps: Step[] } }

export const workflow = (path: string) => parse(readFileSync(join(REPO, path), 'utf8')) as Workflow;
export const action = parse(readFileSync(join(REPO, 'action.yml'), 'utf8')) as Action;

/** Fills `${{ … }}` from the values given; an expression the test does not know is a test error. */
export function expand(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    if (!(expr in values)) throw new Error(`the workflow uses \${{ ${expr} }}, which this test does not provide`);
    return values[expr]!;
  });
}

/**
 * The inputs the action gets from a workflow step that `uses:` it: the step's `with:`, filled
 * from the values given, over the action's defaults (filled too), as `inputs.<name>` values.
 */
export function actionInputs(step: Step, values: Record<string, string>): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) inputs[`inputs.${name}`] = expand(spec.default ?? '', values);
  for (const [name, value] of Object.entries(step.with ?? {})) {
    if (!(name in action.inputs)) throw new Error(`the workflow passes ${name}, which the action does not declare`);
    inputs[`inputs.${name}`] = expand(String(value), values);
  }
  return inputs;
}

/** The action's step of that name; it must run for the command given (none: for every command). */
export function actionStep(name: string, command?: string): Step {
  const step = action.runs.steps.find((s) => s.name === name);
  if (!step) throw new Error(`action.yml has no step "${name}"`);
  if (command ? !step.if?.includes(`inputs.command == '${command}'`) : step.if !== undefined) throw new Error(`action.yml's step "${name}" does not run for ${command ?? 'every command'}`);
  return step;
}

/** Puts a `kpiops` on the project's node_modules/.bin that runs this build, as `npm ci` would install it. */
export function installKpiops(dir: string) {
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
  const bin = join(dir, 'node_modules/.bin/kpiops');
  writeFileSync(bin, `#!/bin/sh\nexec node ${JSON.stringify(join(REPO, 'dist/bin/kpiops.js'))} "$@"\n`);
  chmodSync(bin, 0o755);
}

/**
 * Runs one of the action's steps with bash, as the runner would: in the project's directory,
 * its env filled from the inputs, github.action_path this repository.
 */
export async function runActionStep(step: Step, inputs: Record<string, string>, cwd: string, extraEnv: Record<string, string>) {
  if (step.run === undefined) throw new Error(`"${step.name}" is not a run: step`);
  const values = { ...inputs, 'github.action_path': REPO };
  const { GITHUB_ACTIONS: _a, GITHUB_EVENT_PATH: _e, ...inherited } = process.env;
  const env = { ...inherited, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, values)])), ...extraEnv };
  // Asynchronously: a GitHub stand-in answers from this process's event loop.
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}
