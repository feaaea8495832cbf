import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sliceKey, sliceOfKey, trackKey } from '../../src/alerts/slice-key.js';
import { emptyState, readState, writeState, type AlertStateFile } from '../../src/alerts/state-file.js';
import { ALERT_STATE_FILE, alertStateSchemaText } from '../../src/spec/write-schemas.js';
import { newAjv } from '../../src/validate/validators.js';
import { REPO } from '../support/demo-project.js';

const EPISODE = 'email_opens_collapse|brand=Neurexa|2026-12-01T06:00:00.000Z';
const STATE: AlertStateFile = {
  version: 'alert-state/v1',
  evaluated_at: '2026-12-04T06:00:00.000Z',
  tracks: {
    // Written out of order, fields too: the file sorts them.
    'email_opens_collapse|total': { pending: 1, state: 'pending', since: '2026-12-04T06:00:00.000Z', last_period: '2026-11', last_value: 0.2 },
    'email_opens_collapse|brand=Neurexa': {
      last_value: 0.12, state: 'firing', since: '2026-12-01T06:00:00.000Z', pending: 0, episode: EPISODE,
      notified_at: '2026-12-01T06:00:00.000Z', renotified: 0, last_period: '2026-11',
    },
  },
};

describe('the alert state file', () => {
  const text = writeState(STATE);

  it('writes tracks sorted by key and each track\'s keys in a fixed order', () => {
    expect(text).toBe(`{
  "version": "alert-state/v1",
  "evaluated_at": "2026-12-04T06:00:00.000Z",
  "tracks": {
    "email_opens_collapse|brand=Neurexa": {
      "state": "firing",
      "since": "2026-12-01T06:00:00.000Z",
      "pending": 0,
      "episode": "${EPISODE}",
      "notified_at": "2026-12-01T06:00:00.000Z",
      "renotified": 0,
      "last_value": 0.12,
      "last_period": "2026-11"
    },
    "email_opens_collapse|total": {
      "state": "pending",
      "since": "2026-12-04T06:00:00.000Z",
      "pending": 1,
      "last_value": 0.2,
      "last_period": "2026-11"
    }
  }
}
`);
  });

  it('reads back what it wrote and writes it again byte for byte', () => {
    const read = readState(text);
    expect('state' in read && writeState(read.state)).toBe(text);
    expect(readState(writeState(emptyState(new Date('2026-12-04T06:00:00Z'))))).toEqual({ state: { version: 'alert-state/v1', evaluated_at: '2026-12-04T06:00:00.000Z', tracks: {} } });
  });

  it.each([
    ['{"version": "alert-state/v1",', 'the alert state file is not JSON ('],
    ['[]', 'not a valid alert-state/v1 file: it holds [], not an object'],
    ['{"version": "alert-state/v2", "evaluated_at": "2026-12-04T06:00:00.000Z", "tracks": {}}', 'its version is "alert-state/v2"; this kpiops reads "alert-state/v1"'],
    ['{"version": "alert-state/v1", "evaluated_at": "yesterday", "tracks": {}}', 'evaluated_at is "yesterday"; expected an instant'],
    ['{"version": "alert-state/v1", "evaluated_at": "2026-12-04T06:00:00.000Z", "tracks": {}, "extra": 1}', '"extra" is not a key of the state file'],
    ['{"version": "alert-state/v1", "evaluated_at": "2026-12-04T06:00:00.000Z", "tracks": {"a|total": {"state": "burning", "since": "2026-12-04T06:00:00.000Z", "pending": 0}}}', 'tracks["a|total"].state is "burning"; expected one of ok, pending, firing, no_data, error'],
    ['{"version": "alert-state/v1", "evaluated_at": "2026-12-04T06:00:00.000Z", "tracks": {"a|total": {"state": "ok", "since": "2026-12-04T06:00:00.000Z"}}}', 'tracks["a|total"] has no "pending"'],
    ['{"version": "alert-state/v1", "evaluated_at": "2026-12-04T06:00:00.000Z", "tracks": {"a|total": {"state": "ok", "since": "2026-12-04T06:00:00.000Z", "pending": -1}}}', '.pending is -1; expected a whole number'],
    ['{"version": "alert-state/v1", "evaluated_at": "2026-12-04T06:00:00.000Z", "tracks": {"total": {"state": "ok", "since": "2026-12-04T06:00:00.000Z", "pending": 0}}}', 'the track key "total" is not `alert|slice`'],
  ])('a corrupt file is an error naming what is wrong, never an empty state: %s', (input, message) => {
    const read = readState(input);
    expect(read).not.toHaveProperty('state');
    expect('error' in read && read.error).toContain(message);
  });

  it('text from the file reaches a terminal as visible characters only', () => {
    // ESC is written as the text \u001b by JSON; a right-to-left override (U+202E), which JSON leaves raw, becomes �.
    const read = readState('{"version": "v1\\u001b[2J\\u202egnp.exe"}');
    const error = 'error' in read ? read.error : '';
    expect(error).toContain('its version is "v1\\u001b[2J\ufffdgnp.exe"');
    expect(error).not.toMatch(/[\u001b\u202e]/);
  });

  it('accepts exactly what its published JSON Schema accepts', () => {
    const valid = newAjv().compile(JSON.parse(alertStateSchemaText()) as object);
    const samples = [text, '{}', '{"version": "alert-state/v1", "evaluated_at": "2026-12-04T06:00:00.000Z", "tracks": {}}',
      ...['"last_value": "x"', '"renotified": 1.5', '"episode": ""', '"notified_at": "2026-12-04"', '"colour": "red"', '"last_period": "2026-11"', '"last_value": -3.5']
        .map((extra) => `{"version": "alert-state/v1", "evaluated_at": "2026-12-04T06:00:00.000Z", "tracks": {"a|total": {"state": "ok", "since": "2026-12-04T06:00:00.000Z", "pending": 0, ${extra}}}}`)];
    for (const sample of samples) expect('state' in readState(sample), sample).toBe(valid(JSON.parse(sample)));
  });

  it('the committed schemas/alert-state.schema.json matches its TypeBox source (run `npm run schemas` to refresh)', () => {
    expect(readFileSync(join(REPO, 'schemas', ALERT_STATE_FILE), 'utf8')).toBe(alertStateSchemaText());
  });
});

describe('slice keys', () => {
  it('the whole is `total`; a slice is its dimensions in name order', () => {
    expect(sliceKey({})).toBe('total');
    expect(sliceKey({ brand: 'Neurexa' })).toBe('brand=Neurexa');
    expect(sliceKey({ country: 'DE', brand: 'Neurexa' })).toBe('brand=Neurexa,country=DE');
    expect(trackKey('email_opens_collapse', sliceKey({ brand: 'Neurexa' }))).toBe('email_opens_collapse|brand=Neurexa');
  });

  it('separators inside a value are escaped, so two slices never share a key', () => {
    expect(sliceKey({ a: 'x,b=y' })).toBe('a=x%2Cb%3Dy');
    expect(sliceKey({ a: 'x', b: 'y' })).toBe('a=x,b=y');
    expect(sliceKey({ a: '50%|half' })).toBe('a=50%25%7Chalf');
    expect(sliceKey({ flag: true, n: 3 })).toBe('flag=true,n=3');
  });

  it('a key reads back as its slice, values as text', () => {
    for (const slice of [{}, { brand: 'Neurexa' }, { a: 'x,b=y', c: '50%|half' }] as Array<Record<string, string>>) expect(sliceOfKey(sliceKey(slice))).toEqual(slice);
    expect(sliceOfKey(sliceKey({ n: 3 }))).toEqual({ n: '3' });
  });
});
