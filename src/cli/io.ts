/**
 * What a kpiops command may take from the process it runs in. Only `bin.ts` reads `process`;
 * everything below it gets these, so the same `run` serves a terminal and a test in memory.
 */
export interface CliIo {
  /** Standard output: results, reports, anything a pipe reads. */
  out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /**
   * Standard error: findings, progress, messages. Its `isTTY` decides whether a spinner shows
   * progress; a stream without it (a pipe, a file, memory) never gets a spinner.
   */
  err: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** The environment: settings (SMTP, DATABASE_URL), GITHUB_ACTIONS, NO_COLOR. */
  env: NodeJS.ProcessEnv;
  /** The directory relative paths in arguments are read from. */
  cwd: string;
  /** Standard input, for a command that reads it. */
  stdin?: NodeJS.ReadableStream;
}
