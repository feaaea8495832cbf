import { Readable, Writable } from 'node:stream';
import { run } from '../../src/cli/main.js';

/** A stream that keeps what is written to it, as a pipe to a test would (not a terminal: no spinner, no colour). */
class Memory extends Writable {
  private readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer | string, encoding: BufferEncoding, done: () => void) {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding));
    done();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** The directory relative paths are read from (default: the test process's). */
  cwd?: string;
  /** Variables added to the environment; `undefined` removes one. */
  env?: Record<string, string | undefined>;
  /** What the command reads on standard input. */
  stdin?: string;
}

/**
 * Runs kpiops in this process, from the TypeScript source (a test after an edit tests the
 * edit, with no build in between), as a user would outside GitHub Actions and without colour.
 * The process itself (the bin, its exit status, a closed pipe) is tested in test/e2e/ and
 * test/cli/broken-pipe.test.ts.
 */
export async function runCli(argv: string[], options: CliOptions = {}): Promise<CliRun> {
  const { GITHUB_ACTIONS: _, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = { ...inherited, NO_COLOR: '1' };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const out = new Memory();
  const err = new Memory();
  const code = await run(argv, { out, err, env, cwd: options.cwd ?? process.cwd(), ...(options.stdin !== undefined ? { stdin: Readable.from([options.stdin]) } : {}) });
  return { code, stdout: out.text(), stderr: err.text() };
}

/** `runCli` with only variables added to the environment. */
export const kpiops = (argv: string[], env: Record<string, string | undefined> = {}) => runCli(argv, { env });
