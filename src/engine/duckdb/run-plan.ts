// Plans run the same on every engine: the runner lives in engine/run-plan.ts.
export * from '../run-plan.js';
