import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/demo-project.js';

describe('a reader that closes the pipe early', () => {
  it('ends kpiops as SIGPIPE ends a Unix tool (status 141), with nothing on standard error, not an EPIPE stack trace', () => {
    // The demo's plan as JSON (about 170 KB) is far larger than a pipe's buffer (64 KiB), so
    // kpiops is still writing when `head` has its byte and exits; before, Node printed
    // "Error: write EPIPE" and its stack. bash reports each side's status.
    const cli = join(REPO, 'dist/bin/kpiops.js');
    const script = `"${process.execPath}" "${cli}" plan --json | head -c 1 >/dev/null; echo "\${PIPESTATUS[0]}"`;
    const run = spawnSync('bash', ['-c', script], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('141');
  });
});
