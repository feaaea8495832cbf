import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Commands keep no rows of queries between runs in tests (a test that evaluates twice must compute twice); the cache's own tests turn it on.
    env: { KPIOPS_NO_CACHE: '1' },
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/per-file.ts'],
    // Files run two at a time: a test's own waits (git, npm, Chromium) stretch beside another file's.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Test files run in child processes, not worker threads: they run kpiops in process, with
    // DuckDB's native threads, and a native abort then ends a worker process, which the run
    // reports, not the run itself.
    pool: 'forks',
    // A worker process runs one file after another without re-importing the modules they share
    // (DuckDB's binding, MJML, the compiled validators): importing them afresh for each file
    // took about a quarter of the suite's time. Files keep no state of their own between them
    // but temporary folders, which test/support/per-file.ts removes.
    isolate: false,
    // Vitest's default is one worker fewer than the cores: one on a 2-core runner, so files ran
    // one after another while most of them wait on git, npm, Chromium, SMTP or PostgreSQL.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
