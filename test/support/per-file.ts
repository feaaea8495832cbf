import { afterAll } from 'vitest';
import { removeTempDirs } from './snapshots.js';

// Test files share a worker process (vitest.config.ts): what a file made under the temporary
// folder, the demo snapshot's copy included, goes when the file ends, and the next file starts
// with nothing of it.
afterAll(removeTempDirs);
