export * from '../deliver/github/publish.js';
