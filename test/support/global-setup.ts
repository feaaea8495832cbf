import { demoSnapshot, removeTempDirs, smallCsvSample } from './snapshots.js';

/**
 * Makes the samples most test files read once, before any file starts, so that two files
 * started together do not both generate the same one (see cachedSample; a warm cache only copies).
 */
export default async function setup(): Promise<void> {
  await smallCsvSample();
  await demoSnapshot();
  removeTempDirs();
}
