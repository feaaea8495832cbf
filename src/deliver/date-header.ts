/** RFC 5322 date-time, as nodemailer writes it: "Fri, 04 Dec 2026 05:17:09 +0000". */
const rfc5322 = (date: Date) => date.toUTCString().replace(/GMT$/, '+0000');

/**
 * The message with its Date header set to `date`. The Date header is the origination date
 * (RFC 5322 §3.6.1): when the message is sent, not the data's as-of date the outbox copy
 * carries so that it stays byte-for-byte reproducible. Only the header block is touched;
 * the Message-ID and everything the recipient reads stay as they were.
 */
export function withDate(eml: Buffer, date: Date): Buffer {
  const headerEnd = eml.indexOf('\r\n\r\n');
  // latin1 maps each byte to one character, so string offsets are byte offsets.
  const head = eml.subarray(0, headerEnd < 0 ? eml.length : headerEnd).toString('latin1');
  const line = Buffer.from(`Date: ${rfc5322(date)}`, 'latin1');
  const found = /^Date:[^\r\n]*(?:\r\n[ \t][^\r\n]*)*/im.exec(head);
  if (!found) return Buffer.concat([line, Buffer.from('\r\n'), eml]);
  return Buffer.concat([eml.subarray(0, found.index), line, eml.subarray(found.index + found[0].length)]);
}
