import type { Status } from './status.js';
import type { StatusView } from './view.js';

/**
 * How each status reads, in one place for the email, the text part and the pull-request
 * review: a symbol and a word, so a status never rests on colour alone. `label` heads a
 * cell; `word` sits inside a sentence; `emoji` marks it in Markdown (grey for every status
 * that is not a colour).
 */
export const STATUS_WORDS: Readonly<Record<Status, { symbol: string; label: string; word: string; emoji: string }>> = {
  green: { symbol: '✓', label: 'On target', word: 'on target', emoji: '🟢' },
  amber: { symbol: '!', label: 'Near target', word: 'near target', emoji: '🟠' },
  red: { symbol: '✗', label: 'Off target', word: 'off target', emoji: '🔴' },
  no_target: { symbol: '–', label: 'No target', word: 'no target', emoji: '⚪' },
  insufficient_data: { symbol: '?', label: 'Too little data', word: 'too little data', emoji: '⚪' },
  suppressed: { symbol: '⊘', label: 'Hidden (privacy)', word: 'hidden', emoji: '⚪' },
  stale: { symbol: '…', label: 'Data not in yet', word: 'data not in yet', emoji: '⚪' },
};

/** A status with its symbol, label and, when it is not a colour, the reason. */
export const statusView = (status: Status, reason?: string): StatusView => {
  const { symbol, label } = STATUS_WORDS[status];
  return { status, symbol, label, ...(reason ? { reason } : {}) };
};
