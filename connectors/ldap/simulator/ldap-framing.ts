/**
 * Just enough BER (X.690) to frame LDAP messages on the wire and answer one with an error result, for the fault
 * proxy. LDAPMessage ::= SEQUENCE { messageID INTEGER, protocolOp CHOICE { … }, controls [0] OPTIONAL }
 * (RFC 4511 §4.1.1); lengths are definite (§5.1).
 */

export interface FramedMessage {
  /** The whole message, as received. */
  bytes: Buffer;
  /** The encoded messageID INTEGER value (content octets), copied into our answer. */
  messageId: Buffer;
  /** The protocolOp tag, e.g. 0x63 searchRequest. */
  op: number;
}

/** Reads a definite length at `offset`; null when the buffer does not hold all of it yet. */
function readLength(buffer: Buffer, offset: number): { length: number; size: number } | null {
  if (offset >= buffer.length) return null;
  const first = buffer[offset] ?? 0;
  if (first < 0x80) return { length: first, size: 1 };
  const count = first & 0x7f;
  if (count === 0 || count > 4) throw new Error('unsupported BER length in LDAP message');
  if (offset + 1 + count > buffer.length) return null;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (buffer[offset + 1 + i] ?? 0);
  return { length, size: 1 + count };
}

/** Splits complete messages off the front of `buffer`; returns them and what is left. */
export function frameMessages(buffer: Buffer): { messages: FramedMessage[]; rest: Buffer } {
  const messages: FramedMessage[] = [];
  let offset = 0;
  for (;;) {
    if (buffer.length - offset < 2) break;
    if (buffer[offset] !== 0x30) throw new Error('not an LDAP message (expected a SEQUENCE)');
    const outer = readLength(buffer, offset + 1);
    if (!outer) break;
    const start = offset + 1 + outer.size;
    const end = start + outer.length;
    if (end > buffer.length) break;
    // messageID: INTEGER (0x02), then the protocolOp's tag.
    if (buffer[start] !== 0x02) throw new Error('LDAP message without a messageID');
    const idLength = readLength(buffer, start + 1);
    if (!idLength) throw new Error('truncated messageID');
    const idStart = start + 1 + idLength.size;
    const messageId = buffer.subarray(idStart, idStart + idLength.length);
    const op = buffer[idStart + idLength.length] ?? 0;
    messages.push({ bytes: buffer.subarray(offset, end), messageId: Buffer.from(messageId), op });
    offset = end;
  }
  return { messages, rest: buffer.subarray(offset) };
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

// RFC 4511 §4.2–4.12: the response op each request op is answered with (requests without one are absent).
const RESPONSE_OP: Record<number, number> = {
  0x60: 0x61, // bindRequest → bindResponse
  0x63: 0x65, // searchRequest → searchResultDone
  0x66: 0x67, // modifyRequest → modifyResponse
  0x68: 0x69, // addRequest → addResponse
  0x4a: 0x6b, // delRequest → delResponse
  0x6c: 0x6d, // modDNRequest → modDNResponse
  0x6e: 0x6f, // compareRequest → compareResponse
  0x77: 0x78, // extendedReq → extendedResp
};

/** True for requests the server answers (not unbind 0x42 or abandon 0x50). */
export function expectsResponse(op: number): boolean {
  return op in RESPONSE_OP;
}

/** LDAPResult ::= SEQUENCE { resultCode ENUMERATED, matchedDN, diagnosticMessage, … } (RFC 4511 §4.1.9). */
export function errorResponse(request: FramedMessage, resultCode: number, diagnostic: string): Buffer {
  const op = RESPONSE_OP[request.op];
  if (op === undefined) throw new Error(`LDAP op 0x${request.op.toString(16)} has no response`);
  const result = Buffer.concat([
    tlv(0x0a, Buffer.from([resultCode])),
    tlv(0x04, Buffer.alloc(0)),
    tlv(0x04, Buffer.from(diagnostic, 'utf8')),
  ]);
  return tlv(0x30, Buffer.concat([tlv(0x02, request.messageId), tlv(op, result)]));
}
