export * from '../deliver/github/artifact-file.js';
