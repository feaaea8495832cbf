/** How a table file's name ends, and the format (and CSV delimiter) that ending means. */
export const TABLE_ENDINGS = [
  { ending: '.parquet', format: 'parquet' },
  { ending: '.csv', format: 'csv' },
  { ending: '.tsv', format: 'csv', delimiter: '\t' },
  { ending: '.json', format: 'json' },
  { ending: '.jsonl', format: 'json' },
] as const;

export type TableEnding = (typeof TABLE_ENDINGS)[number];

/** The format a file's name says, if it ends in one kpiops knows. */
export const endingOf = (file: string): TableEnding | undefined => TABLE_ENDINGS.find((e) => file.endsWith(e.ending));
