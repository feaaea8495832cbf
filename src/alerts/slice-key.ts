/** The characters that separate a slice key's parts (and a track key's), written as `%XX` inside a value. */
const RESERVED = /[%,=|]/g;
const escapeValue = (value: string) => value.replace(RESERVED, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

/**
 * The canonical text of a slice: `dim=value` pairs in dimension order, joined by commas
 * (`brand=Neurexa`, `brand=Neurexa,country=DE`), or `total` for the whole. `%`, `,`, `=` and
 * `|` in a value are written `%25`, `%2C`, `%3D`, `%7C`, so two slices never share a key.
 */
export function sliceKey(slice: Readonly<Record<string, string | number | boolean>>): string {
  const dims = Object.keys(slice).sort();
  if (dims.length === 0) return 'total';
  return dims.map((dim) => `${dim}=${escapeValue(String(slice[dim]))}`).join(',');
}

/**
 * A slice read back from its key (`sliceKey`'s inverse; `total` is `{}`). Values come back as
 * text: a caller holding the slice as the data has it (a number, a boolean) keeps that one.
 */
export function sliceOfKey(key: string): Record<string, string> {
  if (key === 'total') return {};
  return Object.fromEntries(key.split(',').map((pair) => {
    const at = pair.indexOf('=');
    return [pair.slice(0, at), decodeURIComponent(pair.slice(at + 1))];
  }));
}

/** The key of one series in the state file: `alert|slice`. */
export const trackKey = (alert: string, slice: string) => `${alert}|${slice}`;
