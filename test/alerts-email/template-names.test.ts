import { describe, expect, it } from 'vitest';
import { availableTemplates, builtInTemplateNames } from '../../src/source/templates.js';

describe('the alert template beside the scorecard templates', () => {
  it('is no scorecard template: a scorecard cannot name it, built in or the project\'s own', () => {
    expect(builtInTemplateNames()).toEqual(['scorecard']);
    expect(availableTemplates(['alert', 'field_weekly'])).toEqual(['field_weekly', 'scorecard']);
  });
});
