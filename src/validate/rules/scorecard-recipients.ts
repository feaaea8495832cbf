import { rangeFor } from '../../source/locate.js';
import type { Rule } from '../rule.js';

/**
 * An address appears once in a scorecard's audience. Two entries for one address (a lead
 * of two brands) would be two emails with one Message-ID, of which mailboxes keep one, and
 * one ledger line for both; the author merges them or picks one. Addresses are compared
 * without regard to case, as mail systems, the ledger and the Message-ID do.
 */
export const scorecardRecipients: Rule = {
  name: 'scorecard-recipients',
  withoutProject: true,
  check(ctx) {
    for (const { file, spec } of ctx.files.scorecards) {
      const first = new Map<string, number>();
      spec.audience.forEach((recipient, i) => {
        const address = recipient.email.toLowerCase();
        const seen = first.get(address);
        if (seen === undefined) {
          first.set(address, i);
          return;
        }
        const at = rangeFor(file, ['audience', seen, 'email']).start;
        ctx.report('scorecard/duplicate-recipient', { email: recipient.email, first: `${file.path}:${at.line + 1}:${at.character + 1}` }, { file, path: ['audience', i, 'email'] });
      });
    }
  },
};
