// The dialects live one per file in dialects/; this module keeps older imports working.
export * from './dialects/index.js';
