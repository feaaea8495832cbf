export * from '../deliver/github/review-publish.js';
