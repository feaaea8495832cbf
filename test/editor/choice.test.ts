import { describe, expect, it } from 'vitest';
import { choice } from '../../src/editor/choice.js';

describe('a list of project ids in an editor schema', () => {
  it('shows a channel\'s name and description as inert text: Markdown, HTML and links in them are escaped', () => {
    const schema = choice([
      { id: 'email', name: '**Email** <img src=x onerror=alert(1)>', description: '[click](http://evil.example) `x`\n# big' },
      { id: 'fax' },
    ], 'A channel.');
    expect(schema).toEqual({
      description: 'A channel.',
      type: 'string',
      enum: ['email', 'fax'],
      markdownEnumDescriptions: ['**\\*\\*Email\\*\\* \\<img src=x onerror=alert(1)\\>** — \\[click\\](http:\u2060//evil.example) \\`x\\` #\u2060 big', ''],
    });
  });

  it('keeps numbers as numbers and then names no type, so a numeric value is accepted as written', () => {
    expect(choice([{ id: '1', value: 1 }, { id: 'x' }], 'A value.')).toEqual({ description: 'A value.', enum: [1, 'x'] });
  });
});
