export * from '../deliver/github/review-artifact.js';
