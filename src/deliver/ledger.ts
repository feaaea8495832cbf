import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** What became of one message. `unknown`: the data went out but the server's reply never came. */
export type DeliveryStatus = 'sent' | 'unknown' | 'failed';

export interface LedgerEntry {
  scorecard: string;
  period: string;
  email: string;
  /** SHA-256 of what the recipient reads (subject, HTML, text, images), without Date or Message-ID. */
  content_hash: string;
  /** SHA-256 of the values and statuses alone, for `send.when: on_change`. */
  values_hash: string;
  /** SHA-256 of the statuses alone, for `send.when: on_status_change`. */
  status_hash: string;
  message_id: string;
  status: DeliveryStatus;
  at: string;
  /** The server's last reply, or what went wrong. */
  response?: string;
}

const key = (scorecard: string, period: string, email: string) => `${scorecard}\0${period}\0${email.toLowerCase()}`;

/**
 * The delivery ledger: one JSON line per delivery attempt's outcome, appended and flushed to
 * disk before the next message goes out, so a crash loses at most the line being written (a
 * torn last line is ignored on reading). The latest line for a (scorecard, period,
 * recipient) is its state.
 */
export class Ledger {
  private readonly latest = new Map<string, LedgerEntry>();
  private readonly lastSent = new Map<string, LedgerEntry>();

  private constructor(readonly path: string) {}

  static open(path: string): Ledger {
    const ledger = new Ledger(path);
    if (existsSync(path)) {
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        let entry: LedgerEntry;
        try {
          entry = JSON.parse(line) as LedgerEntry;
        } catch {
          continue; // a line torn by a crash: that message's outcome was never recorded
        }
        ledger.remember(entry);
      }
    }
    return ledger;
  }

  // The latest outcome by time, not by line: ledgers of two runs merged in any order still agree.
  private remember(entry: LedgerEntry) {
    const k = key(entry.scorecard, entry.period, entry.email);
    const known = this.latest.get(k);
    if (!known || known.at <= entry.at) this.latest.set(k, entry);
    const who = `${entry.scorecard}\0${entry.email.toLowerCase()}`;
    const sent = this.lastSent.get(who);
    if ((entry.status === 'sent' || entry.status === 'unknown') && (!sent || sent.at <= entry.at)) this.lastSent.set(who, entry);
  }

  /** The latest outcome for this scorecard, period and recipient. */
  get(scorecard: string, period: string, email: string): LedgerEntry | undefined {
    return this.latest.get(key(scorecard, period, email));
  }

  /** The last message of this scorecard that went (or may have gone) to this recipient, any period. */
  lastSentTo(scorecard: string, email: string): LedgerEntry | undefined {
    return this.lastSent.get(`${scorecard}\0${email.toLowerCase()}`);
  }

  /** Appends an outcome and flushes it to disk before returning. */
  record(entry: LedgerEntry): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const fd = openSync(this.path, 'a');
    try {
      writeSync(fd, `${JSON.stringify(entry)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.remember(entry);
  }
}
