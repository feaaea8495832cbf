import type MailComposer from 'nodemailer/lib/mail-composer/index.js';

type MimeNode = ReturnType<MailComposer['compile']>;

const LINE = 76;
const CRLF = Buffer.from('\r\n');

/** Base64 in lines of 76 characters joined by CRLF, no line break after the last: what nodemailer's encoder writes. */
function base64Lines(bytes: Buffer): Buffer {
  const flat = Buffer.from(bytes.toString('base64'), 'latin1');
  if (flat.length <= LINE) return flat;
  const lines = Math.ceil(flat.length / LINE);
  const out = Buffer.allocUnsafe(flat.length + 2 * (lines - 1));
  let to = 0;
  for (let from = 0; from < flat.length; from += LINE) {
    if (from > 0) to += CRLF.copy(out, to);
    to += flat.copy(out, to, from, Math.min(from + LINE, flat.length));
  }
  return out;
}

/**
 * A binary part whole (headers, blank line, base64 body), made once per content and headers:
 * a run's chart cache hands every recipient of a slice the same PNG buffer, so 10,000
 * messages encode and head a few dozen charts, not 180,000. The headers nodemailer writes for
 * such a part follow from its type, file name, Content-ID and disposition, which make the key.
 */
const binaryParts = new WeakMap<Buffer, Map<string, Buffer>>();
function binaryPart(node: MimeNode, content: Buffer): Buffer | undefined {
  const key = [node.getHeader('Content-Type'), node.getHeader('Content-Id'), node.getHeader('Content-Disposition'), node.filename, node.textEncoding].map(String).join('\0');
  let parts = binaryParts.get(content);
  if (!parts) binaryParts.set(content, (parts = new Map()));
  let part = parts.get(key);
  if (!part) {
    const headers = node.buildHeaders();
    if (node.getTransferEncoding() !== 'base64') return undefined;
    parts.set(key, (part = Buffer.concat([Buffer.from(`${headers}\r\n\r\n`), base64Lines(content)])));
  }
  return part;
}

/**
 * The message's bytes, written in one pass from the tree nodemailer composed: each node's own
 * headers (`buildHeaders`, nodemailer's encoding and folding), its body in base64, its
 * children between their boundaries. Byte for byte what `build()` streams, without a stream,
 * an abort signal and a timer per part. A tree holding anything else (a stream, a file, raw
 * MIME, another transfer encoding) is left to `build()`: `undefined`.
 */
export function messageBytes(root: MimeNode): Buffer | undefined {
  const out: Buffer[] = [];
  const write = (node: MimeNode): boolean => {
    const content = node.content;
    if (Buffer.isBuffer(content) && node.childNodes.length === 0) {
      const part = binaryPart(node, content);
      if (part) out.push(part);
      return part !== undefined;
    }
    const headers = node.buildHeaders();
    if (content !== undefined && content !== null && content !== '') {
      if (node.getTransferEncoding() !== 'base64' || typeof content !== 'string') return false;
      out.push(Buffer.from(`${headers}\r\n\r\n`), base64Lines(Buffer.from(content, 'utf8')));
    } else {
      out.push(Buffer.from(`${headers}\r\n\r\n`));
    }
    if (!node.multipart) return true;
    for (const [i, child] of node.childNodes.entries()) {
      out.push(Buffer.from(`${i > 0 ? '\r\n' : ''}--${node.boundary}\r\n`));
      if (!write(child)) return false;
    }
    out.push(Buffer.from(`\r\n--${node.boundary}--\r\n`));
    return true;
  };
  if (!write(root)) return undefined;
  // As nodemailer does, the message ends with a line break.
  const end = out.at(-1)?.at(-1);
  if (end !== 0x0a) out.push(end === 0x0d ? Buffer.from('\n') : CRLF);
  return Buffer.concat(out);
}
