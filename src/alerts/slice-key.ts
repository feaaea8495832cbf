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

/** The key of one series in the state file: `alert|slice`. */
export const trackKey = (alert: string, slice: string) => `${alert}|${slice}`;
