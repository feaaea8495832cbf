import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    // Test files run in child processes, not worker threads: they run kpiops in process, with
    // DuckDB's native threads, and a native abort then ends one file's process, not the run.
    pool: 'forks',
  },
});
