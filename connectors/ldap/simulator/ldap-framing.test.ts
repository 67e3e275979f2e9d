import { errorResponse, expectsResponse, frameMessages } from './ldap-framing.js';

// An LDAPv3 simple bind request, messageID 1, "cn=a", password "b" (RFC 4511 §4.2).
const bindRequest = Buffer.from('3011020101600c020103040463' + '6e3d61' + '800162', 'hex');

describe('LDAP framing for the fault proxy', () => {
  it('splits complete messages and keeps a partial one for later', () => {
    const two = Buffer.concat([bindRequest, bindRequest]);
    const partial = two.subarray(0, bindRequest.length + 5);
    const first = frameMessages(partial);
    expect(first.messages).toHaveLength(1);
    expect(first.messages[0]?.op).toBe(0x60);
    expect(first.messages[0]?.messageId).toEqual(Buffer.from([1]));
    expect(first.rest).toHaveLength(5);
    const second = frameMessages(Buffer.concat([first.rest, two.subarray(bindRequest.length + 5)]));
    expect(second.messages).toHaveLength(1);
    expect(second.rest).toHaveLength(0);
  });

  it('reads long-form lengths', () => {
    const value = Buffer.alloc(300, 0x61);
    const body = Buffer.concat([Buffer.from('020105', 'hex'), Buffer.from([0x63, 0x82, 0x01, 0x2c]), value]);
    const message = Buffer.concat([Buffer.from([0x30, 0x82, body.length >> 8, body.length & 0xff]), body]);
    const { messages } = frameMessages(message);
    expect(messages[0]?.op).toBe(0x63);
    expect(messages[0]?.messageId).toEqual(Buffer.from([5]));
  });

  it('answers a request with an LDAPResult of the right response type', () => {
    const [request] = frameMessages(bindRequest).messages;
    if (!request) throw new Error('no message');
    // bindResponse (0x61) { resultCode busy (51), matchedDN "", diagnosticMessage "busy" }
    expect(errorResponse(request, 51, 'busy').toString('hex')).toBe(
      '30100201016' + '10b0a013304000404' + '62757379',
    );
    expect(expectsResponse(0x42)).toBe(false);
    expect(expectsResponse(0x63)).toBe(true);
  });
});
