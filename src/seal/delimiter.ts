/** The delimiters a CSV header is looked at for, as people name them. */
const CANDIDATES = [[',', '","'], [';', '";"'], ['\t', 'a tab'], ['|', '"|"']] as const;

/**
 * The delimiter a CSV header line is split by: the one candidate (`,` `;` tab `|`) it holds
 * outside quotes. A header with none is one column (`,`, the default); a header with
 * several is ambiguous and gets `found`, the candidates it holds, for the message.
 */
export function detectDelimiter(header: string): { delimiter: string } | { found: string[] } {
  const unquoted = header.replace(/"(?:[^"]|"")*"/g, '');
  const present = CANDIDATES.filter(([c]) => unquoted.includes(c));
  if (present.length === 0) return { delimiter: ',' };
  if (present.length === 1) return { delimiter: present[0]![0] };
  return { found: present.map(([, name]) => name) };
}
