import { describe, expect, it } from 'vitest';
import { suggest } from '../../src/validate/suggest.js';

describe('did-you-mean suggestions', () => {
  it.each([
    ['emial', ['email', 'webinar'], 'email'],
    ['directoin', ['direction', 'description'], 'direction'],
    ['percnet', ['percent', 'ratio'], 'percent'],
    ['Email', ['email'], 'email'],
    ['zzz', ['email', 'webinar'], undefined],
    ['cap', ['tag', 'map'], 'map'],
    ['cap', ['tag', 'max'], undefined],
    ['email', ['email'], undefined],
  ])('%s among %j suggests %s', (name, candidates, expected) => {
    expect(suggest(name, candidates)).toBe(expected);
  });
});
