#!/usr/bin/env node
import { EXIT, run } from './main.js';
import { terminalText } from '../text/terminal.js';

// process.env is an accessor into the C library's environment: every read is a native call.
// The YAML parser reads it once per token, which costs about a sixth of parsing time; a plain
// copy made once here serves every later read (child processes still receive it).
process.env = { ...process.env };

/** The status of a process SIGPIPE ended (128 + 13): what shells report for `yes | head`. */
const EXIT_BROKEN_PIPE = 141;

// A reader that stops early (`kpiops eval … | head -1`) closes the pipe. Stop as a Unix tool
// ended by SIGPIPE does (status 141), not with a stack trace; any other failure to write
// output is an internal error, reported once on whichever stream still works.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT_BROKEN_PIPE);
    if (stream !== process.stderr) process.stderr.write(`kpiops: internal error: cannot write output (${terminalText(error.code ?? error.message)})\n`);
    process.exit(EXIT.usage);
  });
}

process.exitCode = await run(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env, cwd: process.cwd(), stdin: process.stdin });
