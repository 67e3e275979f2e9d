import { inflateRawSync } from 'node:zlib';
import { SamlMessageRejected } from './safe-xml.js';

/** A SAML protocol message as it arrived, before any check. */
export interface ReceivedMessage {
  binding: 'redirect' | 'post';
  xml: string;
  relayState: string | undefined;
  /** HTTP-Redirect signatures travel in the query (bindings §3.4.4.1), over the octets exactly as received. */
  redirectSignature?: { sigAlg: string; signature: Buffer; signedOctets: string };
}

const MAX_INFLATED = 256 * 1024;

/** HTTP-Redirect binding (bindings §3.4.4): DEFLATE (RFC 1951) + base64 + URL-encoding, from the raw query. */
export function decodeRedirect(rawQuery: string, param: 'SAMLRequest' | 'SAMLResponse'): ReceivedMessage {
  const raw = new Map<string, string>();
  for (const pair of rawQuery.split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq);
    if (raw.has(name)) throw new SamlMessageRejected('binding', `parameter ${name} appears twice`);
    raw.set(name, pair.slice(eq + 1));
  }
  const message = raw.get(param);
  if (!message) throw new SamlMessageRejected('binding', `no ${param} parameter`);
  let xml: string;
  try {
    xml = inflateRawSync(Buffer.from(decode(message), 'base64'), { maxOutputLength: MAX_INFLATED }).toString(
      'utf8',
    );
  } catch (error) {
    throw new SamlMessageRejected('binding', `${param} is not DEFLATE + base64: ${String(error)}`);
  }
  const relay = raw.get('RelayState');
  const signature = raw.get('Signature');
  const sigAlg = raw.get('SigAlg');
  const received: ReceivedMessage = {
    binding: 'redirect',
    xml,
    relayState: relay === undefined ? undefined : decode(relay),
  };
  if (signature !== undefined || sigAlg !== undefined) {
    if (!signature || !sigAlg)
      throw new SamlMessageRejected('signature', 'Signature and SigAlg must come together');
    const signedOctets = [
      `${param}=${message}`,
      ...(relay !== undefined ? [`RelayState=${relay}`] : []),
      `SigAlg=${sigAlg}`,
    ].join('&');
    received.redirectSignature = {
      sigAlg: decode(sigAlg),
      signature: Buffer.from(decode(signature), 'base64'),
      signedOctets,
    };
  }
  return received;
}

/** HTTP-POST binding (bindings §3.5.4): base64 form field. */
export function decodePost(
  fields: Record<string, unknown>,
  param: 'SAMLRequest' | 'SAMLResponse',
): ReceivedMessage {
  const value = fields[param];
  if (typeof value !== 'string' || value === '')
    throw new SamlMessageRejected('binding', `no ${param} field`);
  if (value.length > MAX_INFLATED * 2) throw new SamlMessageRejected('binding', `${param} too large`);
  const relay = fields.RelayState;
  const bytes = Buffer.from(value, 'base64');
  return {
    binding: 'post',
    xml: looksLikeXml(bytes) ? bytes.toString('utf8') : inflateLenient(bytes),
    relayState: typeof relay === 'string' ? relay : undefined,
  };
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new SamlMessageRejected('binding', 'malformed URL encoding');
  }
}

function looksLikeXml(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 64).toString('utf8').trimStart();
  return head.startsWith('<');
}

/**
 * The POST binding carries plain base64 (bindings §3.5.4), but some SPs (node-saml by default among them) DEFLATE
 * it as for the Redirect binding; accepting both costs nothing, since signatures are checked on the XML.
 */
function inflateLenient(bytes: Buffer): string {
  try {
    return inflateRawSync(bytes, { maxOutputLength: MAX_INFLATED }).toString('utf8');
  } catch {
    throw new SamlMessageRejected('binding', 'the message is neither XML nor DEFLATE-compressed XML');
  }
}
